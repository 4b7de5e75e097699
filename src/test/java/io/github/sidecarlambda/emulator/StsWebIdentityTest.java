package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ROLE_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** STS AssumeRoleWithWebIdentity (an EKS pod's service account token) and GetCallerIdentity, through StsClient. */
class StsWebIdentityTest {
    static final String POD_ACCOUNT = SeedScenario.PLATFORM_ACCOUNT;
    static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final String PROVIDER = ISSUER.substring("https://".length());
    static final String PROVIDER_ARN = "arn:aws:iam::" + POD_ACCOUNT + ":oidc-provider/" + PROVIDER;
    static final String POD_ROLE_ARN = "arn:aws:iam::" + POD_ACCOUNT + ":role/sidecar-pod";
    static final String SUBJECT = "system:serviceaccount:integrations:sidecar";
    static AwsEmulator emu;

    static String podTrust() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + PROVIDER_ARN
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"" + PROVIDER
                + ":sub\":\"" + SUBJECT + "\",\"" + PROVIDER + ":aud\":\"sts.amazonaws.com\"}}}]}";
    }

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder()
                .account(
                        POD_ACCOUNT,
                        a -> a.oidcProvider(ISSUER, "sts.amazonaws.com")
                                .role("/", "sidecar-pod", 7200, podTrust(), SeedScenario.platformPolicy())
                                .user(
                                        "auditor",
                                        "AKIAAUDITOR000000001",
                                        "a".repeat(40),
                                        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}"))
                .account(
                        SeedScenario.CUSTOMER_ACCOUNT,
                        a -> a.role(
                                "/",
                                "Boomi_sidecar_connector_pods",
                                7200,
                                SeedScenario.trustPolicy(POD_ROLE_ARN, EXTERNAL_ID),
                                SeedScenario.invokePolicy(SeedScenario.FUNCTION_ARN)))
                .start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    /** A JWT as Kubernetes issues it; the emulator reads the claims and does not check the signature. */
    static String token(String iss, String sub, String aud, long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"aud\":[\"" + aud + "\"],\"exp\":" + exp + ",\"iat\":" + (exp - 3600)
                        + ",\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + b64.encodeToString("not-verified".getBytes(StandardCharsets.UTF_8));
    }

    static String validToken() {
        return token(ISSUER, SUBJECT, "sts.amazonaws.com", emu.clock().instant().getEpochSecond() + 3600);
    }

    static StsClient anonymousSts() {
        return TestClients.sts(emu.endpoint(), AnonymousCredentialsProvider.create());
    }

    @Test
    void podAssumesItsRoleThenTheCustomerRoleAsAChainedRole() {
        AssumeRoleWithWebIdentityResponse r;
        try (StsClient sts = anonymousSts()) {
            r = sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                    .roleSessionName("pod-1")
                    .webIdentityToken(validToken())
                    .durationSeconds(7200));
        }
        assertThat(r.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + POD_ACCOUNT + ":assumed-role/sidecar-pod/pod-1");
        assertThat(r.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z0-9]+:pod-1");
        assertThat(r.subjectFromWebIdentityToken()).isEqualTo(SUBJECT);
        assertThat(r.audience()).isEqualTo("sts.amazonaws.com");
        assertThat(r.provider()).isEqualTo(ISSUER);
        assertThat(r.credentials().expiration()).isAfter(emu.clock().instant().plusSeconds(7100));
        // the call was not signed: no access key in the log
        assertThat(emu.calls())
                .filteredOn(c -> c.operation().equals("AssumeRoleWithWebIdentity") && c.httpStatus() == 200)
                .allSatisfy(c -> assertThat(c.accessKeyId()).isNull())
                .isNotEmpty();

        try (StsClient pod = TestClients.sts(emu.endpoint(), TestClients.provider(r.credentials()))) {
            GetCallerIdentityResponse id = pod.getCallerIdentity();
            assertThat(id.arn()).isEqualTo(r.assumedRoleUser().arn());
            assertThat(id.userId()).isEqualTo(r.assumedRoleUser().assumedRoleId());
            assertThat(id.account()).isEqualTo(POD_ACCOUNT);
            String customerRole =
                    "arn:aws:iam::" + SeedScenario.CUSTOMER_ACCOUNT + ":role/Boomi_sidecar_connector_pods";
            assertError(
                    () -> pod.assumeRole(b -> b.roleArn(customerRole)
                            .roleSessionName("chain")
                            .externalId(EXTERNAL_ID)
                            .durationSeconds(7200)),
                    "ValidationError",
                    400,
                    "1 hour session limit for roles assumed by role chaining");
            assertThat(pod.assumeRole(b -> b.roleArn(customerRole)
                                    .roleSessionName("chain")
                                    .externalId(EXTERNAL_ID))
                            .assumedRoleUser()
                            .arn())
                    .endsWith(":assumed-role/Boomi_sidecar_connector_pods/chain");
            // the seed customer role trusts java_proxy only
            assertError(
                    () -> pod.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("chain")
                            .externalId(EXTERNAL_ID)),
                    "AccessDenied",
                    403,
                    null);
        }
    }

    @Test
    void sdkWebIdentityCredentialsProviderWorksAgainstTheEmulator() {
        try (StsClient sts = anonymousSts();
                StsAssumeRoleWithWebIdentityCredentialsProvider creds =
                        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                                .stsClient(sts)
                                .refreshRequest(b -> b.roleArn(POD_ROLE_ARN)
                                        .roleSessionName("sdk")
                                        .webIdentityToken(validToken()))
                                .build();
                StsClient asPod = TestClients.sts(emu.endpoint(), creds)) {
            assertThat(asPod.getCallerIdentity().arn()).endsWith(":assumed-role/sidecar-pod/sdk");
        }
    }

    @Test
    void tokenAndTrustFailures() {
        long exp = emu.clock().instant().getEpochSecond() + 3600;
        try (StsClient sts = anonymousSts()) {
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(
                                    token(ISSUER, "system:serviceaccount:other:intruder", "sts.amazonaws.com", exp))),
                    "AccessDenied",
                    403,
                    "Not authorized to perform sts:AssumeRoleWithWebIdentity");
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(token(
                                    "https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER",
                                    SUBJECT,
                                    "sts.amazonaws.com",
                                    exp))),
                    "InvalidIdentityToken",
                    400,
                    "No OpenIDConnect provider found in your account for https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER");
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(token(ISSUER, SUBJECT, "sigstore", exp))),
                    "InvalidIdentityToken",
                    400,
                    "Incorrect token audience");
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(token(
                                    ISSUER,
                                    SUBJECT,
                                    "sts.amazonaws.com",
                                    emu.clock().instant().getEpochSecond() - 1))),
                    "ExpiredTokenException",
                    400,
                    "expired");
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(
                            b -> b.roleArn(POD_ROLE_ARN).roleSessionName("pod").webIdentityToken("not-a-jwt")),
                    "InvalidIdentityToken",
                    400,
                    "could not be validated");
            String noExp = Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                    + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + SUBJECT
                                            + "\",\"aud\":\"sts.amazonaws.com\"}")
                                    .getBytes(StandardCharsets.UTF_8))
                    + ".";
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(
                            b -> b.roleArn(POD_ROLE_ARN).roleSessionName("pod").webIdentityToken(noExp)),
                    "InvalidIdentityToken",
                    400,
                    "could not be validated");
            // the provider lives in the pod account; a role elsewhere cannot be reached with it
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("pod").webIdentityToken(validToken())),
                    "InvalidIdentityToken",
                    400,
                    "No OpenIDConnect provider found");
            // a role whose trust names no Federated provider (java_proxy trusts ecs-tasks) refuses the token
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(SeedScenario.PLATFORM_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(validToken())),
                    "AccessDenied",
                    403,
                    null);
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                            .roleSessionName("pod")
                            .webIdentityToken(validToken())
                            .durationSeconds(10800)),
                    "ValidationError",
                    400,
                    "MaxSessionDuration");
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(
                            b -> b.roleArn(POD_ROLE_ARN).roleSessionName("p").webIdentityToken(validToken())),
                    "ValidationError",
                    400,
                    "roleSessionName");
        }
        // a token that was valid expires with the emulator clock
        String t = validToken();
        emu.clock().advance(Duration.ofHours(2));
        try (StsClient sts = anonymousSts()) {
            assertError(
                    () -> sts.assumeRoleWithWebIdentity(
                            b -> b.roleArn(POD_ROLE_ARN).roleSessionName("pod").webIdentityToken(t)),
                    "ExpiredTokenException",
                    400,
                    null);
        }
    }

    @Test
    void getCallerIdentityNeedsNoPermissionAndRejectsUnknownKeys() {
        // AWS: GetCallerIdentity works even when a policy explicitly denies sts:GetCallerIdentity
        try (StsClient sts =
                TestClients.sts(emu.endpoint(), emu.credentialsFor("arn:aws:iam::" + POD_ACCOUNT + ":user/auditor"))) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertThat(id.arn()).isEqualTo("arn:aws:iam::" + POD_ACCOUNT + ":user/auditor");
            assertThat(id.userId()).matches("AIDA[A-Z0-9]{17}");
            assertThat(id.account()).isEqualTo(POD_ACCOUNT);
        }
        try (StsClient sts = anonymousSts()) {
            assertError(sts::getCallerIdentity, "MissingAuthenticationToken", 403, null);
        }
    }

    @Test
    void seedFileRegistersOidcProviders(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"accounts\":[{\"id\":\"" + POD_ACCOUNT + "\",\"oidcProviders\":[{\"url\":\"" + ISSUER
                        + "\",\"clientIds\":[\"sts.amazonaws.com\"]}],\"roles\":[{\"name\":\"sidecar-pod\",\"trustPolicy\":"
                        + podTrust()
                        + "}]}]}");
        try (AwsEmulator e = AwsEmulator.builder().seedFile(seed).start();
                StsClient sts = TestClients.sts(e.endpoint(), AnonymousCredentialsProvider.create())) {
            assertThat(sts.assumeRoleWithWebIdentity(b -> b.roleArn(POD_ROLE_ARN)
                                    .roleSessionName("seeded")
                                    .webIdentityToken(token(
                                            ISSUER,
                                            SUBJECT,
                                            "sts.amazonaws.com",
                                            e.clock().instant().getEpochSecond() + 60)))
                            .assumedRoleUser()
                            .arn())
                    .endsWith(":assumed-role/sidecar-pod/seeded");
        }
    }
}
