package io.github.sidecarlambda.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.github.sidecarlambda.cli.EmulatedPlatform.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code external-id create} and {@code rotate} against the emulator's Parameter Store, read back as the platform reads it. */
class ExternalIdCommandTest {

    static AwsEmulator aws;
    static SsmClient platformSsm;

    @BeforeAll
    static void start() {
        aws = EmulatedPlatform.start();
        platformSsm = SsmClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(EmulatedPlatform.platform(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        platformSsm.close();
        aws.close();
    }

    private static CliRun cli(String... args) {
        return CliRun.run(EmulatedPlatform.onboarding(aws), CliRun.args(args, at(aws)));
    }

    private static Parameter read(String name) {
        return platformSsm.getParameter(b -> b.name(name).withDecryption(true)).parameter();
    }

    @Test
    void createsARandomSecureStringPrintedOnceOnStandardOutput() {
        CliRun run = cli("external-id", "create", "initech/prod/trustKey");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String printed = run.out().strip();
        assertThat(printed).hasSizeGreaterThanOrEqualTo(32).matches("[\\w+=,.@:/-]+");
        assertThat(run.out().lines().count()).isEqualTo(1);
        assertThat(run.err()).contains("WARNING").contains("shown once").doesNotContain(printed);

        Parameter stored = read("/initech/prod/trustKey");
        assertThat(stored.typeAsString()).isEqualTo("SecureString");
        assertThat(stored.value()).isEqualTo(printed);
        assertThat(stored.version()).isEqualTo(1L);

        // another key gets another value (SecureRandom, 288 bits)
        CliRun other = cli("external-id", "create", "initech/staging/trustKey");
        assertThat(other.out().strip()).isNotEqualTo(printed);
    }

    @Test
    void refusesToOverwriteWithoutRotate() {
        CliRun first = cli("external-id", "create", "hooli/prod/trustKey");
        assertThat(first.exitCode()).isZero();
        CliRun again = cli("external-id", "create", "hooli/prod/trustKey");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(again.err()).contains("already exists").contains("--rotate");
        assertThat(again.out()).isEmpty();
        assertThat(read("/hooli/prod/trustKey").value()).isEqualTo(first.out().strip());
        assertThat(read("/hooli/prod/trustKey").version()).isEqualTo(1L);
    }

    @Test
    void rotateStagesTheNewValueBesideTheCurrentThenSwitches() {
        String current =
                cli("external-id", "create", "umbrella/prod/trustKey").out().strip();

        CliRun staged = cli("external-id", "create", "umbrella/prod/trustKey", "--rotate");
        assertThat(staged.exitCode()).as(staged.toString()).isZero();
        String next = staged.out().strip();
        assertThat(next).isNotEqualTo(current).hasSizeGreaterThanOrEqualTo(32);
        // the platform still reads the current value; the new one waits beside it
        assertThat(read("/umbrella/prod/trustKey").value()).isEqualTo(current);
        assertThat(read("/umbrella/prod/trustKey.pending").value()).isEqualTo(next);
        assertThat(read("/umbrella/prod/trustKey.pending").typeAsString()).isEqualTo("SecureString");

        CliRun rotated = cli("external-id", "rotate", "umbrella/prod/trustKey");
        assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
        assertThat(rotated.out()).isEmpty();
        assertThat(read("/umbrella/prod/trustKey").value()).isEqualTo(next);
        assertThat(read("/umbrella/prod/trustKey").version()).isEqualTo(2L);
        assertThatThrownBy(() -> read("/umbrella/prod/trustKey.pending"))
                .isInstanceOf(ParameterNotFoundException.class);

        CliRun nothingStaged = cli("external-id", "rotate", "umbrella/prod/trustKey");
        assertThat(nothingStaged.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(nothingStaged.err()).contains("--rotate' first");
    }

    @Test
    void rotateOfAKeyThatDoesNotExistIsRefused() {
        CliRun run = cli("external-id", "create", "nobody/prod/trustKey", "--rotate");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.err()).contains("nothing to rotate");
        assertThatThrownBy(() -> read("/nobody/prod/trustKey.pending")).isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void aKeyOutsideTheHierarchyIsRefusedBeforeAnyAwsCall() {
        aws.resetCounters();
        CliRun run = cli("external-id", "create", "trustKey");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.err()).contains("<customer>/<environment>/<key>");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void theIdentityNeedsPutParameter() {
        // the platform role may only read parameters: AWS's AccessDenied is reported, nothing printed
        CliRun run = CliRun.run(
                EmulatedPlatform.platform(aws),
                CliRun.args(new String[] {"external-id", "create", "acme/test/trustKey"}, at(aws)));
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.err()).contains("AccessDeniedException");
        assertThat(run.out()).isEmpty();
        assertThat(SeedScenario.PLATFORM_ACCOUNT).isNotNull();
    }
}
