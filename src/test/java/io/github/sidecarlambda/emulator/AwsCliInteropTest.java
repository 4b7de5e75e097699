package io.github.sidecarlambda.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ROLE_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID_PARAMETER;
import static io.github.sidecarlambda.emulator.SeedScenario.FUNCTION_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.FUNCTION_NAME;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ROLE_ARN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second client that shares nothing with the Java SDK: the AWS CLI (v2, Python, its own SigV4 signer), run as a
 * process against the emulator. It signs fewer headers than the SDK (no x-amz-content-sha256), so it proves that the
 * verifier follows the client's SignedHeaders, and that the wire protocols are AWS's, not one SDK's reading of them.
 * Needs /usr/bin/aws (Debian's awscli, which .ci/run installs): skipped locally without it, failed in CI (CI=true).
 */
class AwsCliInteropTest {
    /** The Debian package's CLI v2; a PATH lookup may find another install (a pyenv shim with CLI v1, say). */
    private static final Path AWS = Path.of("/usr/bin/aws");

    @TempDir
    static Path home;

    private static AwsEmulator emu;
    private static AwsSessionCredentials platform;

    private record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            assertThat(exitCode).as("aws exit code, stderr: %s", stderr).isZero();
            return Json.parse(stdout);
        }
    }

    @BeforeAll
    static void start() {
        if (!Files.isExecutable(AWS)) {
            String why = AWS + " not found (apt-get install awscli)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + ": CI must run the AWS CLI interoperability test");
            }
            Assumptions.abort(why);
        }
        emu = SeedScenario.builder().start();
        platform = (AwsSessionCredentials) emu.credentialsFor(PLATFORM_ROLE_ARN).resolveCredentials();
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    @Test
    void ssmGetParameterWithDecryption() throws Exception {
        JsonNode out = aws(
                        platform.accessKeyId(),
                        platform.secretAccessKey(),
                        platform.sessionToken(),
                        "ssm",
                        "get-parameter",
                        "--name",
                        EXTERNAL_ID_PARAMETER,
                        "--with-decryption")
                .json();
        assertThat(out.field("Parameter").get().field("Value").get().asString()).isEqualTo(EXTERNAL_ID);
        assertThat(lastCall("ssm").principalArn())
                .isEqualTo("arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance");
    }

    @Test
    void assumeRoleNeedsTheExternalIdThenInvokeWithTheSession() throws Exception {
        Result denied = aws(
                platform.accessKeyId(),
                platform.secretAccessKey(),
                platform.sessionToken(),
                "sts",
                "assume-role",
                "--role-arn",
                CUSTOMER_ROLE_ARN,
                "--role-session-name",
                "cli");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("AccessDenied").contains("is not authorized to perform: sts:AssumeRole");

        JsonNode creds = aws(
                        platform.accessKeyId(),
                        platform.secretAccessKey(),
                        platform.sessionToken(),
                        "sts",
                        "assume-role",
                        "--role-arn",
                        CUSTOMER_ROLE_ARN,
                        "--role-session-name",
                        "cli",
                        "--external-id",
                        EXTERNAL_ID)
                .json()
                .field("Credentials")
                .get();
        String key = creds.field("AccessKeyId").get().asString();
        String secret = creds.field("SecretAccessKey").get().asString();
        String token = creds.field("SessionToken").get().asString();

        Path payload = home.resolve("response.json");
        JsonNode meta = aws(
                        key,
                        secret,
                        token,
                        "lambda",
                        "invoke",
                        "--function-name",
                        FUNCTION_NAME,
                        "--cli-binary-format",
                        "raw-in-base64-out",
                        "--payload",
                        "{\"hello\":\"cli\"}",
                        payload.toString())
                .json();
        assertThat(meta.field("StatusCode").get().asNumber()).isEqualTo("200");
        assertThat(Files.readString(payload))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"hello\":\"cli\"},\"function\":\"" + FUNCTION_NAME + "\"}");
        CallRecord invoke = lastCall("lambda");
        assertThat(invoke.principalArn())
                .isEqualTo("arn:aws:sts::641769673540:assumed-role/Boomi_sidecar_connector_acme/cli");
        assertThat(invoke.resource()).isEqualTo(FUNCTION_ARN);
    }

    @Test
    void wrongSecretIsRefusedByEveryService() throws Exception {
        String wrong = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        Result ssm = aws(
                platform.accessKeyId(),
                wrong,
                platform.sessionToken(),
                "ssm",
                "get-parameter",
                "--name",
                EXTERNAL_ID_PARAMETER,
                "--with-decryption");
        assertThat(ssm.exitCode()).isNotZero();
        assertThat(ssm.stderr())
                .contains("InvalidSignatureException")
                .contains("signature we calculated does not match");
        assertThat(lastCall("ssm").errorCode()).isEqualTo("InvalidSignatureException");

        Result sts = aws(platform.accessKeyId(), wrong, platform.sessionToken(), "sts", "get-caller-identity");
        assertThat(sts.exitCode()).isNotZero();
        assertThat(sts.stderr()).contains("SignatureDoesNotMatch");
        assertThat(lastCall("sts").errorCode()).isEqualTo("SignatureDoesNotMatch");

        Result lambda = aws(
                platform.accessKeyId(),
                wrong,
                platform.sessionToken(),
                "lambda",
                "invoke",
                "--function-name",
                FUNCTION_NAME,
                home.resolve("unused.json").toString());
        assertThat(lambda.exitCode()).isNotZero();
        assertThat(lambda.stderr()).contains("InvalidSignatureException");
        assertThat(lastCall("lambda").errorCode()).isEqualTo("InvalidSignatureException");
    }

    private static CallRecord lastCall(String service) {
        List<CallRecord> calls =
                emu.calls().stream().filter(c -> c.service().equals(service)).toList();
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    /** Runs the CLI with only these credentials: no user config, no instance metadata, one attempt per call. */
    private static Result aws(String accessKeyId, String secret, String token, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                AWS.toString(), "--endpoint-url", emu.endpoint().toString(), "--output", "json", "--no-cli-pager"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_SESSION_TOKEN", token);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        Path stdout = Files.createTempFile(home, "stdout", ".txt");
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(
                p.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
