package io.github.sidecarlambda.emulator;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import static io.github.sidecarlambda.emulator.SeedScenario.*;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class StsEmulatorTest {
    static final String OTHER_ACCOUNT = "111111111111";
    static final String USER_ARN = "arn:aws:iam::111111111111:user/alice";
    static AwsEmulator emu;

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder()
                .account(
                        OTHER_ACCOUNT,
                        a -> a.user(
                                        "alice",
                                        "AKIAALICE00000000001",
                                        "aliceSecret0000000000000000000000000000",
                                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sts:*\",\"Resource\":\"*\"}}")
                                .role(
                                        "/tenants/",
                                        "chained",
                                        43200,
                                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                                                + PLATFORM_ROLE_ARN
                                                + "\"},\"Action\":\"sts:AssumeRole\"},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                                                + USER_ARN
                                                + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringLike\":"
                                                + "{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:user/a*\"}}}]}")
                                .role(
                                        "/",
                                        "denyAlice",
                                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},"
                                                + "\"Action\":\"sts:AssumeRole\"}}"))
                .start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static StsClient platformSts() {
        return TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
    }

    @Test
    void happyAssumeRoleWithSeedScenario() {
        try (StsClient sts = platformSts()) {
            Instant before = emu.clock().instant();
            AssumeRoleResponse r = sts.assumeRole(
                    b -> b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("sidecar").externalId(EXTERNAL_ID));
            assertThat(r.credentials().accessKeyId()).matches("ASIA[A-Z0-9]{16}");
            assertThat(r.credentials().secretAccessKey()).hasSize(40);
            assertThat(r.credentials().sessionToken()).isNotBlank();
            assertThat(r.credentials().expiration()).isBetween(before.plusSeconds(3590), before.plusSeconds(3610));
            assertThat(r.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::641769673540:assumed-role/Boomi_sidecar_connector_acme/sidecar");
            assertThat(r.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z0-9]+:sidecar");
            try (StsClient assumed = TestClients.sts(emu.endpoint(), TestClients.provider(r.credentials()))) {
                assertThat(assumed.getCallerIdentity().arn())
                        .isEqualTo(r.assumedRoleUser().arn());
            }
        }
        assertThat(emu.calls()).anySatisfy(c -> {
            assertThat(c.operation()).isEqualTo("AssumeRole");
            assertThat(c.resource()).isEqualTo(CUSTOMER_ROLE_ARN);
            assertThat(c.principalArn())
                    .isEqualTo("arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance");
            assertThat(c.toString()).doesNotContain(EXTERNAL_ID);
        });
    }

    @Test
    void getCallerIdentity() {
        try (StsClient sts = platformSts()) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertThat(id.account()).isEqualTo(PLATFORM_ACCOUNT);
            assertThat(id.arn()).isEqualTo("arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance");
            assertThat(id.userId()).matches("AROA[A-Z0-9]+:emulator-instance");
        }
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(USER_ARN))) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertThat(id.arn()).isEqualTo(USER_ARN);
            assertThat(id.userId()).startsWith("AIDA");
        }
    }

    @Test
    void wrongExternalIdIsDenied() {
        try (StsClient sts = platformSts()) {
            assertError(
                    () -> sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("s1").externalId("wrong-id")),
                    "AccessDenied",
                    403,
                    "User: arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance "
                            + "is not authorized to perform: sts:AssumeRole on resource: " + CUSTOMER_ROLE_ARN);
        }
    }

    @Test
    void missingExternalIdIsDenied() {
        try (StsClient sts = platformSts()) {
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("s1")),
                    "AccessDenied",
                    403,
                    "is not authorized to perform: sts:AssumeRole on resource: " + CUSTOMER_ROLE_ARN);
        }
    }

    @Test
    void untrustedPrincipalAndUnknownRoleAreDenied() {
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(USER_ARN))) {
            assertError(
                    () -> sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("s1").externalId(EXTERNAL_ID)),
                    "AccessDenied",
                    403,
                    "User: " + USER_ARN + " is not authorized to perform: sts:AssumeRole on resource: "
                            + CUSTOMER_ROLE_ARN);
            String unknown = "arn:aws:iam::641769673540:role/nope";
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn(unknown).roleSessionName("s1")),
                    "AccessDenied",
                    403,
                    "on resource: " + unknown);
            // same account, trust by account id only: user needs identity permission (alice has sts:*) -> allowed
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111111111111:role/denyAlice")
                                    .roleSessionName("s1"))
                            .assumedRoleUser()
                            .arn())
                    .endsWith("assumed-role/denyAlice/s1");
            // role with path, StringLike on aws:PrincipalArn
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111111111111:role/tenants/chained")
                                    .roleSessionName("s2")
                                    .durationSeconds(7200))
                            .credentials()
                            .expiration())
                    .isAfter(emu.clock().instant().plusSeconds(7000));
        }
    }

    @Test
    void roleChainingOverOneHourIsRejected() {
        try (StsClient sts = platformSts()) {
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111111111111:role/tenants/chained")
                            .roleSessionName("chain")
                            .durationSeconds(7200)),
                    "ValidationError",
                    400,
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
            assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111111111111:role/tenants/chained")
                                    .roleSessionName("chain")
                                    .durationSeconds(3600))
                            .credentials())
                    .isNotNull();
        }
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(USER_ARN))) {
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::111111111111:role/denyAlice")
                            .roleSessionName("s9")
                            .durationSeconds(7200)),
                    "ValidationError",
                    400,
                    "MaxSessionDuration");
        }
    }

    @Test
    void parameterValidation() {
        try (StsClient sts = platformSts()) {
            assertError(
                    () -> sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("x").externalId(EXTERNAL_ID)),
                    "ValidationError",
                    400,
                    "roleSessionName");
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("bad name")
                            .externalId(EXTERNAL_ID)),
                    "ValidationError",
                    400,
                    "regular expression");
            assertError(
                    () -> sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("ok").externalId("bad id!")),
                    "ValidationError",
                    400,
                    "externalId");
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("ok")
                            .externalId(EXTERNAL_ID)
                            .durationSeconds(899)),
                    "ValidationError",
                    400,
                    "durationSeconds");
        }
    }

    @Test
    void expiredCredentials() {
        EmulatorClock clock = new EmulatorClock();
        try (AwsEmulator e = SeedScenario.builder().clock(clock).start();
                StsClient sts = TestClients.sts(e.endpoint(), e.credentialsFor(PLATFORM_ROLE_ARN))) {
            var r = sts.assumeRole(
                    b -> b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("s9").externalId(EXTERNAL_ID));
            clock.advance(Duration.ofHours(13));
            assertError(
                    sts::getCallerIdentity,
                    "ExpiredToken",
                    403,
                    "The security token included in the request is expired");
            try (StsClient assumed = TestClients.sts(e.endpoint(), TestClients.provider(r.credentials()))) {
                assertError(assumed::getCallerIdentity, "ExpiredToken", 403, null);
            }
            assertThat(e.count("sts", "GetCallerIdentity")).isEqualTo(2);
            assertThat(e.count("sts", "GetCallerIdentity", true)).isZero();
        }
    }

    @Test
    void badSignatureAndUnknownKey() {
        AwsCredentialsProvider wrongSecret = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAALICE00000000001", "wrongSecret000000000000000000000000000000"));
        try (StsClient sts = TestClients.sts(emu.endpoint(), wrongSecret)) {
            assertError(sts::getCallerIdentity, "SignatureDoesNotMatch", 403, "signature we calculated does not match");
        }
        AwsCredentialsProvider unknown = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAUNKNOWN000000000", "whatever0000000000000000000000000000000"));
        try (StsClient sts = TestClients.sts(emu.endpoint(), unknown)) {
            assertError(
                    sts::getCallerIdentity,
                    "InvalidClientTokenId",
                    403,
                    "security token included in the request is invalid");
        }
    }

    @Test
    void skewedClock() {
        EmulatorClock clock = new EmulatorClock();
        try (AwsEmulator e = SeedScenario.builder().clock(clock).start();
                StsClient sts = TestClients.sts(e.endpoint(), e.credentialsFor(PLATFORM_ROLE_ARN))) {
            clock.skew(Duration.ofMinutes(10));
            assertError(sts::getCallerIdentity, "SignatureDoesNotMatch", 403, "Signature expired");
        }
    }

    /** Advancing the clock moves expiry, not the signature window: SDK clients keep signing with the wall clock. */
    @Test
    void advancingTheClockKeepsSignaturesValid() {
        EmulatorClock clock = new EmulatorClock();
        try (AwsEmulator e = SeedScenario.builder().clock(clock).start()) {
            clock.advance(Duration.ofHours(2));
            try (StsClient sts = TestClients.sts(e.endpoint(), e.credentialsFor(PLATFORM_ROLE_ARN))) {
                assertThat(sts.getCallerIdentity().account()).isEqualTo(PLATFORM_ACCOUNT);
            }
        }
    }
}
