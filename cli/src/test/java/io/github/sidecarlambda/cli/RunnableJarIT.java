package io.github.sidecarlambda.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar camel-sidecar-lambda-cli-*.jar} in its own JVM, configured the way an operator's shell is: only
 * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}, {@code AWS_REGION} and
 * {@code AWS_ENDPOINT_URL} (pointing at the emulator), no tool option for any of them.
 */
class RunnableJarIT {

    static AwsEmulator aws;

    @BeforeAll
    static void start() {
        aws = EmulatedPlatform.start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    record Result(int exit, String out, String err) {}

    private static Result java(AwsCredentialsProvider as, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("cli.jar"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        AwsCredentials c = as.resolveCredentials();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        if (c instanceof AwsSessionCredentials s) {
            env.put("AWS_SESSION_TOKEN", s.sessionToken());
        }
        env.put("AWS_REGION", SeedScenario.REGION);
        env.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void createsTheExternalIdAndPreflightsTheSeedScenario() throws Exception {
        Result created = java(EmulatedPlatform.onboarding(aws), "external-id", "create", "stark/prod/trustKey");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out().strip()).hasSizeGreaterThanOrEqualTo(32).matches("[\\w+=,.@:/-]+");
        assertThat(created.err()).contains("WARNING").doesNotContain("SLF4J");

        Result preflight = java(
                EmulatedPlatform.platform(aws),
                "preflight",
                "--role-arn",
                SeedScenario.CUSTOMER_ROLE_ARN,
                "--external-id-key",
                "acme/prod/trustKey",
                "--function",
                SeedScenario.FUNCTION_ARN);
        assertThat(preflight.exit()).as(preflight.toString()).isZero();
        assertThat(preflight.out()).contains("✓ invoke permission").contains("All 5 checks passed.");
    }

    @Test
    void lintExitsNonZeroOnTheSeedsPermissionPolicy() throws Exception {
        Path seed = Path.of("src/test/resources/seed/permission-policy.json");
        Result lint = java(EmulatedPlatform.platform(aws), "policy", "lint", seed.toString());
        assertThat(lint.exit()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(lint.out()).contains("ERROR invalid-json");
    }
}
