package io.github.sidecarlambda.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets Manager over the wire with the SDK's own client: CreateSecret, GetSecretValue by stage or version,
 * PutSecretValue with and without VersionStages, UpdateSecretVersionStage moving AWSCURRENT (and with it AWSPREVIOUS),
 * authorization on the secret's ARN, and the errors for what does not exist.
 */
class SecretsManagerEmulatorTest {

    static final String ADMIN = "arn:aws:iam::" + SeedScenario.PLATFORM_ACCOUNT + ":user/secrets-admin";
    static AwsEmulator aws;

    @BeforeAll
    static void start() {
        aws = SeedScenario.builder()
                .account(
                        SeedScenario.PLATFORM_ACCOUNT,
                        a -> a.user(
                                "secrets-admin",
                                "AKIASECRETSADMIN0001",
                                "admin-secret",
                                "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Action\": \"secretsmanager:*\","
                                        + "\"Resource\": \"arn:aws:secretsmanager:*:" + SeedScenario.PLATFORM_ACCOUNT
                                        + ":secret:*\"}]}"))
                .secret(
                        SeedScenario.PLATFORM_ACCOUNT,
                        SeedScenario.REGION,
                        "acme/prod/trustKey",
                        SeedScenario.EXTERNAL_ID)
                .start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static SecretsManagerClient client(AwsCredentialsProvider creds) {
        return SecretsManagerClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void aSeededSecretIsReadByThePlatformAsAwsCurrent() {
        try (SecretsManagerClient sm = client(aws.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN))) {
            GetSecretValueResponse r = sm.getSecretValue(b -> b.secretId("acme/prod/trustKey"));
            assertThat(r.secretString()).isEqualTo(SeedScenario.EXTERNAL_ID);
            assertThat(r.versionStages()).containsExactly("AWSCURRENT");
            assertThat(r.name()).isEqualTo("acme/prod/trustKey");
            assertThat(r.arn())
                    .matches("arn:aws:secretsmanager:us-east-1:809167139867:secret:acme/prod/trustKey-[A-Za-z0-9]{6}");
            // by ARN too
            assertThat(sm.getSecretValue(b -> b.secretId(r.arn())).secretString())
                    .isEqualTo(SeedScenario.EXTERNAL_ID);
            // the platform may read, not write
            assertError(
                    () -> sm.putSecretValue(
                            b -> b.secretId("acme/prod/trustKey").secretString("x-new-value")),
                    "AccessDeniedException",
                    400,
                    "secretsmanager:PutSecretValue");
            assertError(
                    () -> sm.getSecretValue(b -> b.secretId("acme/prod/missing")),
                    "ResourceNotFoundException",
                    400,
                    "can't find the specified secret");
            assertError(
                    () -> sm.getSecretValue(
                            b -> b.secretId("acme/prod/trustKey").versionStage("AWSPREVIOUS")),
                    "ResourceNotFoundException",
                    400,
                    "staging label: AWSPREVIOUS");
        }
    }

    @Test
    void putWithoutStagesMovesCurrentAndPreviousPutWithAStageLeavesCurrentAlone() {
        try (SecretsManagerClient sm = client(aws.credentialsFor(ADMIN))) {
            String v1 = sm.createSecret(b -> b.name("initech/prod/trustKey").secretString("first-value-01"))
                    .versionId();
            assertError(
                    () -> sm.createSecret(b -> b.name("initech/prod/trustKey").secretString("again-value")),
                    "ResourceExistsException",
                    400,
                    "already exists");

            var pending = sm.putSecretValue(b -> b.secretId("initech/prod/trustKey")
                    .secretString("pending-value-02")
                    .versionStages("AWSPENDING"));
            assertThat(pending.versionStages()).containsExactly("AWSPENDING");
            assertThat(sm.getSecretValue(b -> b.secretId("initech/prod/trustKey"))
                            .versionId())
                    .isEqualTo(v1);
            assertThat(sm.getSecretValue(
                                    b -> b.secretId("initech/prod/trustKey").versionStage("AWSPENDING"))
                            .secretString())
                    .isEqualTo("pending-value-02");

            var put = sm.putSecretValue(b -> b.secretId("initech/prod/trustKey").secretString("third-value-03"));
            assertThat(put.versionStages()).containsExactly("AWSCURRENT");
            assertThat(sm.getSecretValue(b -> b.secretId("initech/prod/trustKey"))
                            .secretString())
                    .isEqualTo("third-value-03");
            GetSecretValueResponse previous =
                    sm.getSecretValue(b -> b.secretId("initech/prod/trustKey").versionStage("AWSPREVIOUS"));
            assertThat(previous.versionId()).isEqualTo(v1);
            assertThat(previous.secretString()).isEqualTo("first-value-01");
        }
    }

    @Test
    void movingAwsCurrentMovesAwsPreviousToTheVersionItLeft() {
        try (SecretsManagerClient sm = client(aws.credentialsFor(ADMIN))) {
            String v1 = sm.createSecret(b -> b.name("hooli/prod/trustKey").secretString("hooli-one-value"))
                    .versionId();
            String v2 = sm.putSecretValue(b -> b.secretId("hooli/prod/trustKey")
                            .secretString("hooli-two-value")
                            .versionStages("AWSPENDING"))
                    .versionId();
            // AWSCURRENT is on v1: moving it needs RemoveFromVersionId v1
            assertError(
                    () -> sm.updateSecretVersionStage(b -> b.secretId("hooli/prod/trustKey")
                            .versionStage("AWSCURRENT")
                            .moveToVersionId(v2)),
                    "InvalidParameterException",
                    400,
                    "RemoveFromVersionId");
            sm.updateSecretVersionStage(b -> b.secretId("hooli/prod/trustKey")
                    .versionStage("AWSCURRENT")
                    .moveToVersionId(v2)
                    .removeFromVersionId(v1));
            GetSecretValueResponse current = sm.getSecretValue(b -> b.secretId("hooli/prod/trustKey"));
            assertThat(current.versionId()).isEqualTo(v2);
            assertThat(current.versionStages()).containsExactlyInAnyOrder("AWSCURRENT", "AWSPENDING");
            assertThat(sm.getSecretValue(b -> b.secretId("hooli/prod/trustKey").versionStage("AWSPREVIOUS"))
                            .versionId())
                    .isEqualTo(v1);
            assertThat(sm.getSecretValue(b -> b.secretId("hooli/prod/trustKey").versionId(v1))
                            .secretString())
                    .isEqualTo("hooli-one-value");
        }
        assertThat(aws.count("secretsmanager", "UpdateSecretVersionStage", true))
                .isEqualTo(1);
    }
}
