package io.github.sidecarlambda.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code policy lint}: every rule with a policy that breaks it (exit code 3, the rule named with a fix) and one that
 * keeps it; the seed's own samples as written there; the policies the tool generates.
 */
class PolicyLintTest {

    static final String PLATFORM = "arn:aws:iam::809167139867:role/java_proxy";
    static final String FUNCTION = "arn:aws:lambda:us-east-1:641769673540:function:SideCarJsonResponse";
    static final String ID = "Zq3v_Lk9-Pw2Xy7Rt5Nm8Bc4Df6Gh1Jk0Sa3Ue5Wi7Oo9Yl2Qr";

    @TempDir
    Path dir;

    private CliRun lint(String policy, String... options) throws IOException {
        Path file = Files.createTempFile(dir, "policy", ".json");
        Files.writeString(file, policy);
        return CliRun.run(null, CliRun.args(new String[] {"policy", "lint", file.toString()}, options));
    }

    private static String trust(String principal, String condition) {
        return "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Principal\": " + principal
                + ",\"Action\": \"sts:AssumeRole\"" + (condition == null ? "" : ",\"Condition\": " + condition) + "}]}";
    }

    private static String idEquals(String id) {
        return "{\"StringEquals\": {\"sts:ExternalId\": \"" + id + "\"}}";
    }

    private static String permission(String action, String resource) {
        return "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Action\": " + action
                + ",\"Resource\": " + resource + "}]}";
    }

    private static void assertError(CliRun run, String rule) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SidecarLambdaCli.FINDINGS);
        assertThat(run.out())
                .as(run.toString())
                .contains("ERROR " + rule + " at ")
                .contains("fix: ");
    }

    private static void assertClean(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("0 error(s), 0 warning(s)");
    }

    // ------------------------------------------------------------------------------------------------ seed samples

    private static String seed(String name) throws IOException {
        try (InputStream in = PolicyLintTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedsPermissionPolicyIsNotValidJson() throws IOException {
        CliRun run = lint(seed("permission-policy.json"));
        assertError(run, "invalid-json");
        assertThat(run.out())
                .contains("Unrecognized token 'arn'")
                .contains("line: 9")
                .contains("double quotes");
    }

    @Test
    void theSeedsTrustPolicyKeepsAPlaceholderNoExternalIdCanMatch() throws IOException {
        CliRun run = lint(seed("trust-policy.json"), "--platform-principal", PLATFORM);
        assertError(run, "external-id-invalid");
        assertThat(run.out()).contains("placeholder");
    }

    @Test
    void theSeedsRoleNameSpellingsOtherThanThePrefixAreRefused() throws IOException {
        String good = Policies.trust(PLATFORM, List.of(ID));
        assertError(lint(good, "--role-arn", "arn:aws:iam::641769673540:role/tibco_sidecar_conector"), "role-name");
        assertError(
                lint(good, "--role-arn", "arn:aws:iam::641769673540:role/tibco_sidecar_connector_acme"), "role-name");
        assertClean(lint(
                good,
                "--role-arn",
                "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme",
                "--platform-principal",
                PLATFORM));
    }

    @Test
    void theSeedsExternalIdIsValidButShort() throws IOException {
        CliRun run = lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals("111122223333pqrst")));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("WARNING external-id-weak").contains("0 error(s), 1 warning(s)");
    }

    // ------------------------------------------------------------------------------------------ generated policies

    @Test
    void generatedPoliciesPass() throws IOException {
        assertClean(lint(Policies.trust(PLATFORM, List.of(ID)), "--platform-principal", PLATFORM));
        assertClean(lint(
                Policies.trust(PLATFORM, List.of(ID, ID.replace('Z', 'Y'))), "--platform-principal", PLATFORM));
        assertClean(lint(Policies.invoke(List.of(FUNCTION)), "--function", FUNCTION));
        assertClean(lint(Policies.invoke(List.of(FUNCTION + ":live")), "--function", FUNCTION, "--qualifier", "live"));
    }

    // ------------------------------------------------------------------------------------------------ trust rules

    @Test
    void externalIdMissing() throws IOException {
        assertError(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", null)), "external-id-missing");
        assertError(
                lint(trust(
                        "{\"AWS\": \"" + PLATFORM + "\"}",
                        "{\"StringEqualsIfExists\": {\"sts:ExternalId\": \"" + ID + "\"}}")),
                "external-id-missing");
        assertError(
                lint(trust(
                        "{\"AWS\": \"" + PLATFORM + "\"}",
                        "{\"StringNotEquals\": {\"sts:ExternalId\": \"" + ID + "\"}}")),
                "external-id-missing");
        assertClean(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals(ID))));
    }

    @Test
    void externalIdWithWildcard() throws IOException {
        assertError(
                lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", "{\"StringLike\": {\"sts:ExternalId\": \"acme-*\"}}")),
                "external-id-wildcard");
        CliRun likeWithoutWildcard = lint(
                trust("{\"AWS\": \"" + PLATFORM + "\"}", "{\"StringLike\": {\"sts:ExternalId\": \"" + ID + "\"}}"));
        assertThat(likeWithoutWildcard.exitCode()).isZero();
        assertThat(likeWithoutWildcard.out()).contains("WARNING external-id-wildcard");
        assertClean(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals(ID))));
    }

    @Test
    void externalIdValueStsRefuses() throws IOException {
        CliRun run = lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals("has spaces in it and is long enough")));
        assertError(run, "external-id-invalid");
        assertThat(run.out()).doesNotContain("has spaces"); // the value may be a secret: never echoed
        assertClean(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals(ID))));
    }

    @Test
    void wildcardPrincipal() throws IOException {
        assertError(lint(trust("\"*\"", idEquals(ID))), "principal-wildcard");
        assertError(lint(trust("{\"AWS\": \"*\"}", idEquals(ID))), "principal-wildcard");
        assertError(lint(trust("{\"AWS\": \"arn:aws:iam::809167139867:role/*\"}", idEquals(ID))), "principal-wildcard");
        assertClean(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals(ID))));
    }

    @Test
    void wrongAccountOrOtherPrincipal() throws IOException {
        assertError(
                lint(
                        trust("{\"AWS\": \"arn:aws:iam::111111111111:role/java_proxy\"}", idEquals(ID)),
                        "--platform-principal",
                        PLATFORM),
                "principal-account");
        assertError(
                lint(trust("{\"AWS\": \"111111111111\"}", idEquals(ID)), "--platform-principal", PLATFORM),
                "principal-account");
        assertError(
                lint(
                        trust("{\"AWS\": \"arn:aws:iam::809167139867:role/other\"}", idEquals(ID)),
                        "--platform-principal",
                        PLATFORM),
                "principal-account");
        // the console's "Another AWS account": the right account, but all of it
        CliRun root = lint(
                trust("{\"AWS\": \"arn:aws:iam::809167139867:root\"}", idEquals(ID)), "--platform-principal", PLATFORM);
        assertThat(root.exitCode()).isZero();
        assertThat(root.out()).contains("WARNING principal-account").contains("Another AWS account");
        assertClean(lint(trust("{\"AWS\": \"" + PLATFORM + "\"}", idEquals(ID)), "--platform-principal", PLATFORM));
    }

    // ------------------------------------------------------------------------------------------- permission rules

    @Test
    void wildcardActions() throws IOException {
        assertError(lint(permission("\"lambda:*\"", "\"" + FUNCTION + "\"")), "action-wildcard");
        assertError(lint(permission("\"*\"", "\"" + FUNCTION + "\"")), "action-wildcard");
        assertError(lint(permission("[\"lambda:Invoke*\"]", "\"" + FUNCTION + "\"")), "action-wildcard");
        CliRun extra = lint(permission("[\"lambda:InvokeFunction\",\"lambda:GetFunction\"]", "\"" + FUNCTION + "\""));
        assertThat(extra.exitCode()).isZero();
        assertThat(extra.out()).contains("WARNING action-extra");
        assertClean(lint(permission("\"lambda:InvokeFunction\"", "\"" + FUNCTION + "\"")));
    }

    @Test
    void wildcardResources() throws IOException {
        assertError(lint(permission("\"lambda:InvokeFunction\"", "\"*\"")), "resource-wildcard");
        assertError(
                lint(permission("\"lambda:InvokeFunction\"", "\"arn:aws:lambda:us-east-1:641769673540:function:*\"")),
                "resource-wildcard");
        assertError(
                lint(permission("\"lambda:InvokeFunction\"", "\"arn:aws:lambda:*:*:function:SideCarJsonResponse\"")),
                "resource-wildcard");
        // every version and alias of one function is not a wildcard over functions
        assertClean(lint(
                permission("\"lambda:InvokeFunction\"", "\"" + FUNCTION + ":*\""),
                "--function",
                FUNCTION,
                "--qualifier",
                "live"));
        assertClean(lint(permission("\"lambda:InvokeFunction\"", "\"" + FUNCTION + "\"")));
    }

    @Test
    void functionArnThatDoesNotCoverTheQualifierInvoked() throws IOException {
        CliRun run = lint(
                permission("\"lambda:InvokeFunction\"", "\"" + FUNCTION + "\""),
                "--function",
                FUNCTION,
                "--qualifier",
                "live");
        assertError(run, "qualifier-not-covered");
        assertThat(run.out()).contains("add \"" + FUNCTION + ":live\"");
        assertError(
                lint(
                        permission("\"lambda:InvokeFunction\"", "\"" + FUNCTION + "\""),
                        "--function",
                        "SideCarJsonResponse:live",
                        "--account",
                        "641769673540",
                        "--region",
                        "us-east-1"),
                "qualifier-not-covered");
        assertError(
                lint(
                        permission(
                                "\"lambda:InvokeFunction\"",
                                "\"arn:aws:lambda:us-east-1:641769673540:function:Other\""),
                        "--function",
                        FUNCTION),
                "function-not-covered");
        assertClean(lint(
                permission("\"lambda:InvokeFunction\"", "[\"" + FUNCTION + ":live\"]"),
                "--function",
                FUNCTION,
                "--qualifier",
                "live"));
    }

    @Test
    void noInvokeAtAll() throws IOException {
        assertError(lint(permission("\"lambda:GetFunction\"", "\"" + FUNCTION + "\"")), "no-invoke");
    }
}
