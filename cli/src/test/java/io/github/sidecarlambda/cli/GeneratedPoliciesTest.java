package io.github.sidecarlambda.cli;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.LambdaHandler;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.github.sidecarlambda.cli.EmulatedPlatform.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policies {@code policy trust} and {@code policy invoke} print, loaded into the emulator's IAM as the customer's
 * role: the platform gets in with the External ID and not without it, and may invoke exactly the ARN asked for.
 */
class GeneratedPoliciesTest {

    static final String CUSTOMER = "222233334444";
    static final String ROLE = "arn:aws:iam::" + CUSTOMER + ":role/Boomi_sidecar_connector_initech";
    static final String FUNCTION = "arn:aws:lambda:us-east-1:" + CUSTOMER + ":function:Orders";
    static final String ALIAS_ROLE = "arn:aws:iam::" + CUSTOMER + ":role/Boomi_sidecar_connector_initech_live";

    static AwsEmulator aws;
    static String externalId;
    static StsClient platformSts;

    @BeforeAll
    static void onboard() {
        aws = EmulatedPlatform.start();
        aws.putFunction(FunctionSpec.of(CUSTOMER, SeedScenario.REGION, "Orders", named("Orders"))
                .version("1", named("Orders-v1"))
                .alias("live", "1"));
        externalId = CliRun.run(
                        EmulatedPlatform.onboarding(aws),
                        CliRun.args(new String[] {"external-id", "create", "initech/prod/trustKey"}, at(aws)))
                .out()
                .strip();

        CliRun trust = CliRun.run(
                EmulatedPlatform.onboarding(aws),
                CliRun.args(
                        new String[] {
                            "policy",
                            "trust",
                            "--platform-principal",
                            SeedScenario.PLATFORM_ROLE_ARN,
                            "--external-id-key",
                            "initech/prod/trustKey",
                            "--role-name",
                            "Boomi_sidecar_connector_initech"
                        },
                        at(aws)));
        CliRun invoke = CliRun.run(
                null, "policy", "invoke", "--function", "Orders", "--account", CUSTOMER, "--region", "us-east-1");
        CliRun invokeAlias = CliRun.run(null, "policy", "invoke", "--function", FUNCTION, "--qualifier", "live");
        assertThat(trust.exitCode()).as(trust.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(trust.err()).contains("aws iam create-role --role-name Boomi_sidecar_connector_initech");
        assertThat(invoke.err()).contains("aws iam put-role-policy");
        // the customer creates the two roles from exactly what was printed
        aws.account(
                CUSTOMER,
                a -> a.role("/", "Boomi_sidecar_connector_initech", trust.out(), invoke.out())
                        .role("/", "Boomi_sidecar_connector_initech_live", trust.out(), invokeAlias.out()));
        platformSts = StsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(EmulatedPlatform.platform(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A function that answers with its name, so a test sees which version ran. */
    static LambdaHandler named(String name) {
        return (payload, ctx) -> ("{\"function\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        platformSts.close();
        aws.close();
    }

    private static Credentials assume(String role, String id) {
        return platformSts
                .assumeRole(b -> b.roleArn(role).roleSessionName("test").externalId(id))
                .credentials();
    }

    private static LambdaClient lambdaAs(Credentials c) {
        return LambdaClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static String errorCode(Runnable r) {
        try {
            r.run();
            return "none";
        } catch (AwsServiceException e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    @Test
    void thePlatformGetsInWithTheExternalIdOnly() {
        assertThat(assume(ROLE, externalId).accessKeyId()).startsWith("ASIA");
        assertThat(errorCode(() -> assume(ROLE, null))).isEqualTo("AccessDenied");
        assertThat(errorCode(() -> assume(ROLE, externalId.substring(1)))).isEqualTo("AccessDenied");
        // and only the platform role: another identity of the platform account with the right External ID is refused
        StsClient onboardingSts = StsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(EmulatedPlatform.onboarding(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        assertThatThrownBy(() -> onboardingSts.assumeRole(
                        b -> b.roleArn(ROLE).roleSessionName("onboarding").externalId(externalId)))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
    }

    @Test
    void theRoleMayInvokeExactlyTheFunctionAskedFor() {
        try (LambdaClient lambda = lambdaAs(assume(ROLE, externalId))) {
            assertThat(lambda.invoke(b -> b.functionName("Orders").invocationType(InvocationType.DRY_RUN))
                            .statusCode())
                    .isEqualTo(204);
            assertThat(lambda.invoke(b -> b.functionName(FUNCTION)
                                    .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"n\":1}")))
                            .payload()
                            .asUtf8String())
                    .contains("\"function\":\"Orders\"");
            // the unqualified ARN does not cover an alias, nor another function
            assertThat(errorCode(() -> lambda.invoke(
                            b -> b.functionName("Orders").qualifier("live").invocationType(InvocationType.DRY_RUN))))
                    .isEqualTo("AccessDeniedException");
            assertThat(errorCode(() -> lambda.invoke(
                            b -> b.functionName(SeedScenario.FUNCTION_ARN).invocationType(InvocationType.DRY_RUN))))
                    .isEqualTo("AccessDeniedException");
        }
    }

    @Test
    void withAQualifierThePolicyCoversTheAliasInvoked() {
        try (LambdaClient lambda = lambdaAs(assume(ALIAS_ROLE, externalId))) {
            assertThat(lambda.invoke(b -> b.functionName("Orders")
                                    .qualifier("live")
                                    .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{}")))
                            .payload()
                            .asUtf8String())
                    .contains("Orders-v1");
            assertThat(errorCode(
                            () -> lambda.invoke(b -> b.functionName("Orders").invocationType(InvocationType.DRY_RUN))))
                    .isEqualTo("AccessDeniedException");
        }
    }

    @Test
    void theTrustPolicyHoldsTheSecretOnlyOnStandardOutput() {
        CliRun trust = CliRun.run(
                EmulatedPlatform.onboarding(aws),
                CliRun.args(
                        new String[] {
                            "policy",
                            "trust",
                            "--platform-principal",
                            SeedScenario.PLATFORM_ROLE_ARN,
                            "--external-id-key",
                            "initech/prod/trustKey"
                        },
                        at(aws)));
        assertThat(trust.out()).contains(externalId);
        assertThat(trust.err()).doesNotContain(externalId);
    }

    @Test
    void aRoleNameWithoutThePrefixIsRefused() {
        CliRun run =
                CliRun.run(null, "policy", "invoke", "--function", FUNCTION, "--role-name", "tibco_sidecar_conector");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.err()).contains("must start with the prefix 'Boomi_sidecar_connector'");
        assertThat(run.out()).isEmpty();
    }
}
