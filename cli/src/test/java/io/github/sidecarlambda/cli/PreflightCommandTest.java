package io.github.sidecarlambda.cli;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.github.sidecarlambda.cli.EmulatedPlatform.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code preflight} as the platform identity: ✓ for every step of the seed scenario, and for each broken link the
 * failed step with its cause and fix, the later steps skipped.
 */
class PreflightCommandTest {

    static final String CUSTOMER = SeedScenario.CUSTOMER_ACCOUNT;
    static AwsEmulator aws;

    @BeforeAll
    static void start() {
        aws = EmulatedPlatform.start();
        aws.putFunction(FunctionSpec.of(
                        CUSTOMER, SeedScenario.REGION, "Other", (payload, ctx) -> "{}".getBytes(StandardCharsets.UTF_8))
                .alias("live", "$LATEST"));
        // a role whose trust policy forgot the External ID condition, and one trusting another External ID
        aws.account(
                CUSTOMER,
                a -> a.role(
                                "/",
                                "Boomi_sidecar_connector_open",
                                "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": "
                                        + "\"Allow\",\"Principal\": {\"AWS\": \"" + SeedScenario.PLATFORM_ROLE_ARN
                                        + "\"},\"Action\": "
                                        + "\"sts:AssumeRole\"}]}",
                                SeedScenario.invokePolicy(SeedScenario.FUNCTION_ARN))
                        .role(
                                "/",
                                "Boomi_sidecar_connector_next",
                                SeedScenario.trustPolicy(
                                        SeedScenario.PLATFORM_ROLE_ARN, "next-external-id-0123456789abcdef"),
                                SeedScenario.invokePolicy(SeedScenario.FUNCTION_ARN))
                        .role(
                                "/",
                                "Boomi_sidecar_connector_missing",
                                SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, SeedScenario.EXTERNAL_ID),
                                SeedScenario.invokePolicy(
                                        "arn:aws:lambda:us-east-1:" + CUSTOMER + ":function:Missing")));
        aws.putParameter(
                SeedScenario.PLATFORM_ACCOUNT,
                SeedScenario.REGION,
                "/acme/prod/wrongKey",
                "not-the-trusted-external-id-0123",
                true);
        aws.putParameter(
                SeedScenario.PLATFORM_ACCOUNT,
                SeedScenario.REGION,
                "/acme/prod/rotating",
                SeedScenario.EXTERNAL_ID,
                true);
        aws.putParameter(
                SeedScenario.PLATFORM_ACCOUNT,
                SeedScenario.REGION,
                "/acme/prod/rotating.pending",
                "next-external-id-0123456789abcdef",
                true);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static CliRun preflight(String role, String key, String function, String... more) {
        String[] base = {"preflight", "--role-arn", role, "--external-id-key", key, "--function", function};
        return CliRun.run(EmulatedPlatform.platform(aws), CliRun.args(CliRun.args(base, more), at(aws)));
    }

    @Test
    void theSeedScenarioPassesEveryStep() {
        aws.resetCounters();
        CliRun run = preflight(SeedScenario.CUSTOMER_ROLE_ARN, "acme/prod/trustKey", SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("✓ configuration")
                .contains("✓ platform identity")
                .contains("arn:aws:sts::809167139867:assumed-role/java_proxy/")
                .contains("✓ External ID")
                .contains("/acme/prod/trustKey, read with decryption (GetParameter)")
                .contains("✓ assume role")
                .contains("without it: denied")
                .contains("✓ invoke permission")
                .contains("204")
                .contains("All 5 checks passed.")
                .doesNotContain(SeedScenario.EXTERNAL_ID);
        // the DryRun ran nothing: the call log shows exactly the chain, in order
        assertThat(aws.calls())
                .extracting(c -> c.operation())
                .containsSubsequence("GetCallerIdentity", "GetParameter", "AssumeRole", "AssumeRole", "Invoke");
        assertThat(aws.count("lambda", "Invoke", true)).isEqualTo(1);
    }

    @Test
    void aWrongExternalIdFailsAtAssumeRoleWithTheLikelyCauses() {
        CliRun run = preflight(SeedScenario.CUSTOMER_ROLE_ARN, "acme/prod/wrongKey", SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✓ External ID")
                .contains("✗ assume role")
                .contains("with the External ID: AccessDenied; without it: AccessDenied")
                .contains("the trust policy's sts:ExternalId is not the value under /acme/prod/wrongKey")
                .contains("policy trust --platform-principal arn:aws:iam::809167139867:role/java_proxy")
                .contains("- invoke permission")
                .contains("3 of 5 checks passed.")
                .doesNotContain("not-the-trusted-external-id");
    }

    @Test
    void aMissingParameterFailsAtTheExternalIdStep() {
        CliRun run = preflight(SeedScenario.CUSTOMER_ROLE_ARN, "acme/prod/missing", SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✗ External ID")
                .contains("read /acme/prod/missing: not found")
                .contains("fix:   create it: external-id create acme/prod/missing")
                .contains("- assume role")
                .contains("- invoke permission");
    }

    @Test
    void aDeniedFunctionFailsAtTheInvokeStep() {
        CliRun run = preflight(
                SeedScenario.CUSTOMER_ROLE_ARN,
                "acme/prod/trustKey",
                "arn:aws:lambda:us-east-1:" + CUSTOMER + ":function:Other");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✓ assume role")
                .contains("✗ invoke permission")
                .contains("AccessDeniedException")
                .contains("may not call lambda:InvokeFunction on arn:aws:lambda:us-east-1:641769673540:function:Other")
                .contains("policy invoke --function arn:aws:lambda:us-east-1:641769673540:function:Other");
    }

    @Test
    void aQualifierTheUnqualifiedArnDoesNotCoverIsNamed() {
        CliRun run = preflight(
                SeedScenario.CUSTOMER_ROLE_ARN,
                "acme/prod/trustKey",
                "SideCarJsonResponse",
                "--qualifier",
                "$LATEST",
                "--function-region",
                "us-east-1");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✗ invoke permission")
                .contains("an unqualified function ARN does not cover the qualifier '$LATEST'")
                .contains("--qualifier $LATEST");
    }

    @Test
    void aFunctionThatDoesNotExist() {
        CliRun run = preflight(
                "arn:aws:iam::" + CUSTOMER + ":role/Boomi_sidecar_connector_missing",
                "acme/prod/trustKey",
                "arn:aws:lambda:us-east-1:" + CUSTOMER + ":function:Missing");
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✓ assume role")
                .contains("✗ invoke permission")
                .contains("ResourceNotFoundException")
                .contains("no such function in account 641769673540, region us-east-1");
    }

    @Test
    void aTrustPolicyWithoutTheExternalIdConditionIsAFailure() {
        CliRun run = preflight(
                "arn:aws:iam::" + CUSTOMER + ":role/Boomi_sidecar_connector_open",
                "acme/prod/trustKey",
                SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✗ assume role")
                .contains("without it: allowed too")
                .contains("confused deputy");
    }

    @Test
    void aCustomerWhoTrustsOnlyTheStagedExternalIdIsToldToRotate() {
        CliRun run = preflight(
                "arn:aws:iam::" + CUSTOMER + ":role/Boomi_sidecar_connector_next",
                "acme/prod/rotating",
                SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✗ assume role")
                .contains("accepts only the new External ID")
                .contains("external-id rotate acme/prod/rotating");
    }

    @Test
    void aRoleWithoutThePrefixIsRefusedBeforeAnyAwsCall() {
        aws.resetCounters();
        CliRun run = preflight(
                "arn:aws:iam::" + CUSTOMER + ":role/tibco_sidecar_connector",
                "acme/prod/trustKey",
                SeedScenario.FUNCTION_ARN);
        assertThat(run.exitCode()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .contains("✗ configuration")
                .contains("Boomi_sidecar_connector")
                .contains("- platform identity");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void noValidPlatformCredentials() {
        CliRun run = CliRun.run(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                "AKIAUNKNOWN000000000", "x")),
                CliRun.args(
                        new String[] {
                            "preflight",
                            "--role-arn",
                            SeedScenario.CUSTOMER_ROLE_ARN,
                            "--external-id-key",
                            "acme/prod/trustKey",
                            "--function",
                            SeedScenario.FUNCTION_ARN
                        },
                        at(aws)));
        assertThat(run.out())
                .contains("✗ platform identity")
                .contains("InvalidClientTokenId")
                .contains("- External ID");
    }
}
