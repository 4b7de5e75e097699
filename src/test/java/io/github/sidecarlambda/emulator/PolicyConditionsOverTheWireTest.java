package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ROLE_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID;
import static io.github.sidecarlambda.emulator.SeedScenario.FUNCTION_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.FUNCTION_NAME;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ROLE_ARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Condition keys that only a real request has (source IP, transport, time, principal type, session issue time,
 * Region) decide trust and permission policies end to end, through unmodified SDK clients; and a policy the emulator
 * cannot evaluate is refused where it is loaded: seed builder, seed file, updateTrustPolicy, and a session policy
 * on AssumeRole (MalformedPolicyDocument, as STS answers a malformed session policy).
 */
class PolicyConditionsOverTheWireTest {
    static final String CUSTOMER = SeedScenario.CUSTOMER_ACCOUNT;
    static final String OPS_USER_ARN = "arn:aws:iam::809167139867:user/ops";
    static final String OPS_KEY = "AKIAOPS0000000000001";
    static final String OPS_SECRET = "opsSecret00000000000000000000000000000000";
    static AwsEmulator emu;

    static String roleArn(String name) {
        return "arn:aws:iam::" + CUSTOMER + ":role/" + name;
    }

    /** Trusts the platform role and the ops user, under one condition block. */
    static String trustIf(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\""
                + PLATFORM_ROLE_ARN + "\",\"" + OPS_USER_ARN + "\"]},\"Action\":\"sts:AssumeRole\",\"Condition\":"
                + condition + "}]}";
    }

    static String trustDenyingIf(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + PLATFORM_ROLE_ARN + "\"},\"Action\":\"sts:AssumeRole\"},{\"Effect\":\"Deny\",\"Principal\":"
                + "{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\",\"Condition\":" + condition + "}]}";
    }

    /** lambda:InvokeFunction on the seed function, and a Deny of it under one condition block. */
    static String invokeDeniedIf(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\","
                + "\"Resource\":\"" + FUNCTION_ARN + "\"},{\"Effect\":\"Deny\",\"Action\":\"lambda:InvokeFunction\","
                + "\"Resource\":\"*\",\"Condition\":" + condition + "}]}";
    }

    @BeforeAll
    static void start() {
        String seedTrust = SeedScenario.trustPolicy(PLATFORM_ROLE_ARN, EXTERNAL_ID);
        emu = SeedScenario.builder()
                .account(
                        PLATFORM_ACCOUNT,
                        a -> a.user(
                                "ops",
                                OPS_KEY,
                                OPS_SECRET,
                                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                                        + "\"Resource\":\"*\"}}"))
                .account(
                        CUSTOMER,
                        a -> a.role("/", "from_loopback", trustIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}"))
                                .role("/", "from_vpn", trustIf("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"))
                                .role("/", "tls_only", trustDenyingIf("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"))
                                .role(
                                        "/",
                                        "sessions_only",
                                        trustIf("{\"Null\":{\"aws:TokenIssueTime\":\"false\"},"
                                                + "\"StringEquals\":{\"aws:PrincipalType\":\"AssumedRole\"},"
                                                + "\"StringLike\":{\"aws:userid\":\"AROA*:emulator-instance\"}}"))
                                .role(
                                        "/",
                                        "users_only",
                                        trustIf(
                                                "{\"StringEquals\":{\"aws:username\":\"ops\","
                                                        + "\"aws:PrincipalType\":\"User\"},\"StringLike\":{\"aws:userid\":\"AIDA*\"}}"))
                                .role(
                                        "/",
                                        "us_east_1_only",
                                        trustIf("{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}"))
                                .role(
                                        "/",
                                        "direct_sdk_sessions",
                                        trustIf("{\"Bool\":{\"aws:ViaAWSService\":\"false\","
                                                + "\"aws:MultiFactorAuthPresent\":\"false\"},"
                                                + "\"StringLike\":{\"aws:UserAgent\":\"aws-sdk-java/*\"},"
                                                + "\"StringEquals\":{\"aws:PrincipalAccount\":\"809167139867\"},"
                                                + "\"NumericGreaterThan\":{\"aws:EpochTime\":\"1577836800\"},"
                                                + "\"Null\":{\"aws:SourceVpce\":\"true\",\"aws:MultiFactorAuthAge\":\"true\","
                                                + "\"aws:SourceAccount\":\"true\",\"aws:CalledVia\":\"true\"}}"))
                                .role(
                                        "/",
                                        "expired_grant",
                                        seedTrust,
                                        invokeDeniedIf(
                                                "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}"))
                                .role(
                                        "/",
                                        "future_cutoff",
                                        seedTrust,
                                        invokeDeniedIf(
                                                "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2999-01-01T00:00:00Z\"}}")))
                .start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static StsClient platformSts() {
        return TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
    }

    private static StsClient opsSts() {
        return TestClients.sts(
                emu.endpoint(), StaticCredentialsProvider.create(AwsBasicCredentials.create(OPS_KEY, OPS_SECRET)));
    }

    private static Credentials assume(StsClient sts, String role) {
        return sts.assumeRole(
                        b -> b.roleArn(role).roleSessionName("policy-test").externalId(EXTERNAL_ID))
                .credentials();
    }

    private static void denied(StsClient sts, String role) {
        TestClients.assertError(() -> assume(sts, role), "AccessDenied", 403, "sts:AssumeRole on resource: " + role);
    }

    private static int invoke(AwsEmulator on, Credentials c) {
        try (LambdaClient lambda = TestClients.lambda(on.endpoint(), TestClients.provider(c))) {
            return lambda.invoke(r -> r.functionName(FUNCTION_NAME).payload(TestClients.json("{}")))
                    .statusCode();
        }
    }

    @Test
    void sourceIpIsThePeerAddress() {
        try (StsClient sts = platformSts()) {
            assertThat(assume(sts, roleArn("from_loopback")).accessKeyId()).startsWith("ASIA");
            denied(sts, roleArn("from_vpn"));
        }
    }

    @Test
    void aDenyOnPlainHttpApplies() {
        try (StsClient sts = platformSts()) {
            denied(sts, roleArn("tls_only"));
        }
    }

    @Test
    void principalTypeUserIdUsernameAndTokenIssueTimeFollowTheCaller() {
        try (StsClient platform = platformSts();
                StsClient ops = opsSts()) {
            assertThat(assume(platform, roleArn("sessions_only")).accessKeyId()).startsWith("ASIA");
            denied(ops, roleArn("sessions_only"));
            assertThat(assume(ops, roleArn("users_only")).accessKeyId()).startsWith("ASIA");
            denied(platform, roleArn("users_only"));
        }
    }

    @Test
    void directSdkCallsWithoutMfaOrVpcEndpointAsAwsDescribesThem() {
        // a session carries aws:MultiFactorAuthPresent=false; long-term user keys do not carry the key at all
        try (StsClient platform = platformSts();
                StsClient ops = opsSts()) {
            assertThat(assume(platform, roleArn("direct_sdk_sessions")).accessKeyId())
                    .startsWith("ASIA");
            denied(ops, roleArn("direct_sdk_sessions"));
        }
    }

    @Test
    void requestedRegionIsTheSigningRegion() {
        AwsCredentialsProvider creds = emu.credentialsFor(PLATFORM_ROLE_ARN);
        try (StsClient east = platformSts();
                StsClient west = StsClient.builder()
                        .endpointOverride(emu.endpoint())
                        .region(Region.EU_WEST_1)
                        .credentialsProvider(creds)
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build()) {
            assertThat(assume(east, roleArn("us_east_1_only")).accessKeyId()).startsWith("ASIA");
            denied(west, roleArn("us_east_1_only"));
        }
    }

    @Test
    void aDenyWithADateInThePastBlocksInvokeOneInTheFutureDoesNot() {
        try (StsClient sts = platformSts()) {
            Credentials expired = assume(sts, roleArn("expired_grant"));
            TestClients.assertError(() -> invoke(emu, expired), "AccessDeniedException", 403, "lambda:InvokeFunction");
            assertThat(invoke(emu, assume(sts, roleArn("future_cutoff")))).isEqualTo(200);
        }
    }

    @Test
    void currentTimeIsTheEmulatorClock() {
        try (AwsEmulator aws = SeedScenario.builder().start();
                StsClient sts = TestClients.sts(aws.endpoint(), aws.credentialsFor(PLATFORM_ROLE_ARN))) {
            String cutoff = DateTimeFormatter.ISO_INSTANT.format(
                    aws.clock().instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS));
            aws.updateTrustPolicy(
                    CUSTOMER_ROLE_ARN,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"AWS\":\"" + PLATFORM_ROLE_ARN + "\"},\"Action\":\"sts:AssumeRole\"},"
                            + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\","
                            + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"" + cutoff + "\"}}}]}");
            assertThat(sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("before"))
                            .credentials())
                    .isNotNull();
            aws.clock().advance(Duration.ofMinutes(15));
            TestClients.assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("after")),
                    "AccessDenied",
                    403,
                    null);
        }
    }

    @Test
    void aSessionPolicyConditionIsEvaluatedOnTheLambdaRequest() {
        try (StsClient sts = platformSts()) {
            String allowIf = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                    + "\"lambda:InvokeFunction\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"%s\"}}}}";
            Credentials loopback = sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy(String.format(allowIf, "127.0.0.1")))
                    .credentials();
            assertThat(invoke(emu, loopback)).isEqualTo(200);
            Credentials vpn = sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy(String.format(allowIf, "10.0.0.0/8")))
                    .credentials();
            TestClients.assertError(() -> invoke(emu, vpn), "AccessDeniedException", 403, null);
        }
    }

    // ------------------------------------------------------------------------------------------ refused at load

    static final String DENY_UNKNOWN_OPERATOR = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"lambda:*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringEqualsFoo\":{\"aws:SourceIp\":\"127.0.0.1\"}}}]}";
    static final String DENY_UNKNOWN_KEY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"lambda:*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}]}";

    @Test
    void aSessionPolicyTheEmulatorCannotEvaluateIsMalformed() {
        try (StsClient sts = platformSts()) {
            TestClients.assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy(DENY_UNKNOWN_OPERATOR)),
                    "MalformedPolicyDocument",
                    400,
                    "StringEqualsFoo");
            TestClients.assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy(DENY_UNKNOWN_KEY)),
                    "MalformedPolicyDocument",
                    400,
                    "aws:PrincipalOrgID");
            TestClients.assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                                    + "\"Principal\":\"*\",\"Action\":\"lambda:*\",\"Resource\":\"*\"}}")),
                    "MalformedPolicyDocument",
                    400,
                    "should not specify a principal");
            TestClients.assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("session")
                            .externalId(EXTERNAL_ID)
                            .policy("{\"Statement\":")),
                    "MalformedPolicyDocument",
                    400,
                    "JSON");
        }
    }

    @Test
    void theSeedBuilderRefusesSuchPolicies() {
        String denyUnknownOperatorTrust =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"AWS\":\"" + PLATFORM_ROLE_ARN
                        + "\"},\"Action\":\"sts:AssumeRole\"},{\"Effect\":\"Deny\",\"Principal\":"
                        + "{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEqualsFoo\":{\"sts:ExternalId\":\"x\"}}}]}";
        assertThatThrownBy(
                        () -> AwsEmulator.builder().account(CUSTOMER, a -> a.role("/", "r", denyUnknownOperatorTrust)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StringEqualsFoo");
        assertThatThrownBy(() -> AwsEmulator.builder()
                        .account(
                                CUSTOMER,
                                a -> a.role(
                                        "/",
                                        "r",
                                        SeedScenario.trustPolicy(PLATFORM_ROLE_ARN, EXTERNAL_ID),
                                        DENY_UNKNOWN_KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws:PrincipalOrgID");
        assertThatThrownBy(() -> AwsEmulator.builder()
                        .account(PLATFORM_ACCOUNT, a -> a.user("u", OPS_KEY, OPS_SECRET, DENY_UNKNOWN_OPERATOR)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StringEqualsFoo");
    }

    @Test
    void aSeedFileWithSuchAPolicyDoesNotLoad(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"accounts\":[{\"id\":\"" + CUSTOMER + "\",\"roles\":[{\"name\":\"r\",\"trustPolicy\":"
                        + SeedScenario.trustPolicy(PLATFORM_ROLE_ARN, EXTERNAL_ID) + ",\"permissionPolicies\":["
                        + DENY_UNKNOWN_KEY + "]}]}]}",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AwsEmulator.builder().seedFile(seed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws:PrincipalOrgID");
    }

    @Test
    void updateTrustPolicyRefusesSuchAPolicyAndKeepsTheOldOne() {
        try (AwsEmulator aws = SeedScenario.builder().start();
                StsClient sts = TestClients.sts(aws.endpoint(), aws.credentialsFor(PLATFORM_ROLE_ARN))) {
            String denyUnknownKey = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":"
                    + "{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringNotEquals\":"
                    + "{\"aws:SourceOrgID\":\"o-a1b2c3d4e5\"}}}]}";
            assertThatThrownBy(() -> aws.updateTrustPolicy(CUSTOMER_ROLE_ARN, denyUnknownKey))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aws:SourceOrgID");
            assertThatThrownBy(() -> aws.updateTrustPolicy(
                            CUSTOMER_ROLE_ARN,
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                                    + PLATFORM_ROLE_ARN + "\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}"))
                    .hasMessage("Has prohibited field Resource");
            assertThat(assume(sts, CUSTOMER_ROLE_ARN).accessKeyId()).startsWith("ASIA");
        }
    }
}
