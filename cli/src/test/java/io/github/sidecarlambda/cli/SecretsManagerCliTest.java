package io.github.sidecarlambda.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.github.sidecarlambda.cli.EmulatedPlatform.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --store secretsManager}: the External ID as a secret (AWSCURRENT), a rotation staged as AWSPENDING and
 * promoted with UpdateSecretVersionStage (the old value becoming AWSPREVIOUS), read back as the platform reads it.
 */
class SecretsManagerCliTest {

    static AwsEmulator aws;
    static SecretsManagerClient platform;

    @BeforeAll
    static void start() {
        aws = EmulatedPlatform.start();
        aws.putSecret(
                SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "acme/prod/trustKey", SeedScenario.EXTERNAL_ID);
        platform = SecretsManagerClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(EmulatedPlatform.platform(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        platform.close();
        aws.close();
    }

    private static CliRun cli(String... args) {
        return CliRun.run(
                EmulatedPlatform.onboarding(aws), CliRun.args(CliRun.args(args, "--store", "secretsManager"), at(aws)));
    }

    private static GetSecretValueResponse read(String name, String stage) {
        return platform.getSecretValue(b -> b.secretId(name).versionStage(stage));
    }

    @Test
    void createRefuseRotateAndPromote() {
        CliRun created = cli("external-id", "create", "wayne/prod/trustKey");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String first = created.out().strip();
        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(read("wayne/prod/trustKey", "AWSCURRENT").secretString()).isEqualTo(first);

        CliRun again = cli("external-id", "create", "wayne/prod/trustKey");
        assertThat(again.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(again.err()).contains("secret wayne/prod/trustKey already exists");
        assertThat(read("wayne/prod/trustKey", "AWSCURRENT").secretString()).isEqualTo(first);

        String next = cli("external-id", "create", "wayne/prod/trustKey", "--rotate")
                .out()
                .strip();
        assertThat(read("wayne/prod/trustKey", "AWSCURRENT").secretString()).isEqualTo(first);
        assertThat(read("wayne/prod/trustKey", "AWSPENDING").secretString()).isEqualTo(next);
        CliRun both = cli(
                "policy",
                "trust",
                "--platform-principal",
                SeedScenario.PLATFORM_ROLE_ARN,
                "--external-id-key",
                "wayne/prod/trustKey",
                "--include-pending");
        assertThat(both.out()).contains(first).contains(next);

        CliRun rotated = cli("external-id", "rotate", "wayne/prod/trustKey");
        assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
        GetSecretValueResponse current = read("wayne/prod/trustKey", "AWSCURRENT");
        assertThat(current.secretString()).isEqualTo(next);
        assertThat(current.versionStages()).containsExactly("AWSCURRENT");
        assertThat(read("wayne/prod/trustKey", "AWSPREVIOUS").secretString()).isEqualTo(first);
        assertThat(cli("external-id", "rotate", "wayne/prod/trustKey").err()).contains("no staged External ID");
    }

    @Test
    void preflightReadsTheSecret() {
        CliRun run = CliRun.run(
                EmulatedPlatform.platform(aws),
                CliRun.args(
                        new String[] {
                            "preflight",
                            "--role-arn",
                            SeedScenario.CUSTOMER_ROLE_ARN,
                            "--external-id-key",
                            "acme/prod/trustKey",
                            "--function",
                            SeedScenario.FUNCTION_ARN,
                            "--store",
                            "secretsManager"
                        },
                        at(aws)));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("✓ External ID        secret acme/prod/trustKey, read with decryption "
                        + "(GetSecretValue, AWSCURRENT)")
                .contains("All 5 checks passed.");

        CliRun missing = CliRun.run(
                EmulatedPlatform.platform(aws),
                CliRun.args(
                        new String[] {
                            "preflight",
                            "--role-arn",
                            SeedScenario.CUSTOMER_ROLE_ARN,
                            "--external-id-key",
                            "acme/dev/trustKey",
                            "--function",
                            SeedScenario.FUNCTION_ARN,
                            "--store",
                            "secretsManager"
                        },
                        at(aws)));
        assertThat(missing.out())
                .contains("✗ External ID")
                .contains("external-id create acme/dev/trustKey --store secretsManager");
    }
}
