package io.github.sidecarlambda.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

import static io.github.sidecarlambda.emulator.SeedScenario.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultsAndSeedFileTest {
    static AwsEmulator emu;

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.faults().clear();
        emu.resetCounters();
    }

    private static void assertError(Runnable r, String code, int status) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    @Test
    void failNextInEachProtocolShape() {
        emu.faults().failNext("sts", "AssumeRole", 2, "Throttling", 400);
        emu.faults().failNext("ssm", "GetParameter", 1, "ThrottlingException", 400);
        emu.faults().failNext("lambda", "Invoke", 1, "TooManyRequestsException", 429);
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
                SsmClient ssm = TestClients.ssm(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
                LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            for (int i = 0; i < 2; i++) {
                assertError(
                        () -> sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                                .roleSessionName("f1")
                                .externalId(EXTERNAL_ID)),
                        "Throttling",
                        400);
            }
            assertThat(sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("f1").externalId(EXTERNAL_ID)))
                    .isNotNull();
            assertThat(emu.count("sts", "AssumeRole")).isEqualTo(3);
            assertThat(emu.count("sts", "AssumeRole", true)).isEqualTo(1);

            assertError(() -> ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)), "ThrottlingException", 400);
            assertThat(ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)).parameter())
                    .isNotNull();

            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(FUNCTION_NAME)))
                    .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
                    });
            emu.faults().failNext("lambda", "Invoke", 1, "ServiceException", 500);
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(FUNCTION_NAME)))
                    .isInstanceOfSatisfying(
                            ServiceException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(lambda.invoke(b -> b.functionName(FUNCTION_NAME)).statusCode())
                    .isEqualTo(200);
            assertThat(emu.count("lambda", "Invoke")).isEqualTo(3);
            assertThat(emu.count("lambda", "Invoke", true)).isEqualTo(1);
        }
        assertThat(emu.calls())
                .filteredOn(c -> "Throttling".equals(c.errorCode()))
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.resource()).isEqualTo(CUSTOMER_ROLE_ARN));
    }

    @Test
    void defaultRetriesRecoverFromThrottlingAndDrops() {
        emu.faults().failNext("ssm", "GetParameter", 1, "ThrottlingException", 400);
        emu.faults().dropNextConnections("lambda", "Invoke", 1);
        try (SsmClient ssm = SsmClient.builder()
                        .endpointOverride(emu.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(emu.credentialsFor(PLATFORM_ROLE_ARN))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                LambdaClient lambda = LambdaClient.builder()
                        .endpointOverride(emu.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(emu.credentialsFor(CUSTOMER_ROLE_ARN))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            assertThat(ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER).withDecryption(true))
                            .parameter()
                            .value())
                    .isEqualTo(EXTERNAL_ID);
            assertThat(emu.count("ssm", "GetParameter")).isEqualTo(2);
            assertThat(lambda.invoke(b -> b.functionName(FUNCTION_NAME)).statusCode())
                    .isEqualTo(200);
            assertThat(emu.count("lambda", "Invoke")).isEqualTo(2);
        }
    }

    @Test
    void droppedConnectionWithoutRetry() {
        emu.faults().dropNextConnections("sts", "GetCallerIdentity", 1);
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(SdkClientException.class);
            assertThat(sts.getCallerIdentity().account()).isEqualTo(PLATFORM_ACCOUNT);
        }
        assertThat(emu.calls()).first().satisfies(c -> assertThat(c.errorCode()).isEqualTo("ConnectionDropped"));
    }

    @Test
    void latencyFault() {
        emu.faults().latency("lambda", "Invoke", Duration.ofMillis(400));
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            long t0 = System.nanoTime();
            lambda.invoke(b -> b.functionName(FUNCTION_NAME));
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void chaosInjectsSeededRandomFaultsAtTheGivenRate() {
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            // probability 1, one kind: every request gets it, in the service's shape
            emu.faults().chaos("lambda", "Invoke", 1.0, 7, Faults.Chaos.error("ServiceException", 500));
            assertError(() -> lambda.invoke(b -> b.functionName(FUNCTION_NAME)), "ServiceException", 500);
            assertThat(emu.faults().chaosInjected()).containsEntry("lambda/Invoke ServiceException/500", 1L);

            // 20 %, spread over two kinds; the same seed gives the same sequence of faults
            StringBuilder[] runs = {new StringBuilder(), new StringBuilder()};
            for (StringBuilder run : runs) {
                emu.faults().clear();
                emu.faults()
                        .chaos(
                                "lambda",
                                "Invoke",
                                0.2,
                                42,
                                Faults.Chaos.error("TooManyRequestsException", 429),
                                Faults.Chaos.error("ServiceException", 500));
                for (int i = 0; i < 300; i++) {
                    try {
                        lambda.invoke(b -> b.functionName(FUNCTION_NAME)); // TestClients do not retry
                        run.append('.');
                    } catch (AwsServiceException e) {
                        run.append(e.statusCode() == 429 ? 'T' : 'S');
                    }
                }
            }
            assertThat(runs[0].toString()).isEqualTo(runs[1].toString());
            long faults = runs[0].chars().filter(c -> c != '.').count();
            assertThat(faults).isBetween(35L, 85L); // 60 expected; a binomial(300, 0.2) stays within 3.5 sigma
            assertThat(runs[0].toString()).contains("T", "S");
            assertThat(emu.faults().chaosInjected().values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isEqualTo(faults);
            emu.faults().chaos("lambda", "Invoke", 0, 0);
            assertThat(lambda.invoke(b -> b.functionName(FUNCTION_NAME)).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void rateLimit() {
        emu.faults().rateLimit("ssm", "GetParameter", 1.0);
        emu.faults().rateLimit("lambda", "Invoke", 1.0);
        emu.faults().rateLimit("sts", "GetCallerIdentity", 1.0);
        try (SsmClient ssm = TestClients.ssm(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
                StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN));
                LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER));
            assertError(() -> ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)), "ThrottlingException", 400);
            sts.getCallerIdentity();
            assertError(sts::getCallerIdentity, "Throttling", 400);
            lambda.invoke(b -> b.functionName(FUNCTION_NAME));
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(FUNCTION_NAME)))
                    .isInstanceOf(TooManyRequestsException.class);
        }
    }

    @Test
    void unsignedRequestsAreRejected() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(emu.endpoint() + "/"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void seedFileReproducesScenario() throws Exception {
        Path seed =
                Path.of(getClass().getResource("/emulator/seed-scenario.json").toURI());
        try (AwsEmulator e = AwsEmulator.builder().seedFile(seed).start()) {
            endToEnd(e);
        }
    }

    @Test
    void seedFileBehaviours(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"accounts\":[{\"id\":\"222222222222\",\"users\":[{\"name\":\"u\",\"accessKeyId\":\"AKIAU000000000000001\","
                        + "\"secretAccessKey\":\"s0000000000000000000000000000000000000000\",\"permissionPolicies\":[{\"Statement\":"
                        + "{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"}}]}]}],"
                        + "\"functions\":[{\"account\":\"222222222222\",\"region\":\"us-east-1\",\"name\":\"F\",\"behaviour\":\"fail\",\"errorMessage\":\"nope\"},"
                        + "{\"account\":\"222222222222\",\"name\":\"S\",\"behaviour\":\"static\",\"response\":{\"ok\":true},\"latencyMs\":50,"
                        + "\"versions\":[\"1\"],\"aliases\":{\"prod\":\"1\"}}]}");
        try (AwsEmulator e = AwsEmulator.builder().seedFile(seed).start();
                LambdaClient lambda =
                        TestClients.lambda(e.endpoint(), e.credentialsFor("arn:aws:iam::222222222222:user/u"))) {
            var f = lambda.invoke(b -> b.functionName("F"));
            assertThat(f.functionError()).isEqualTo("Unhandled");
            assertThat(f.payload().asUtf8String())
                    .contains("\"errorMessage\":\"nope\"", "\"errorType\":\"RuntimeException\"");
            var s = lambda.invoke(b -> b.functionName("S:prod"));
            assertThat(s.payload().asUtf8String()).isEqualTo("{\"ok\":true}");
            assertThat(s.executedVersion()).isEqualTo("1");
        }
    }

    static void endToEnd(AwsEmulator e) {
        try (SsmClient ssm = TestClients.ssm(e.endpoint(), e.credentialsFor(PLATFORM_ROLE_ARN));
                StsClient sts = TestClients.sts(e.endpoint(), e.credentialsFor(PLATFORM_ROLE_ARN))) {
            String externalId = ssm.getParameter(
                            b -> b.name(EXTERNAL_ID_PARAMETER).withDecryption(true))
                    .parameter()
                    .value();
            var creds = sts.assumeRole(b ->
                            b.roleArn(CUSTOMER_ROLE_ARN).roleSessionName("seed").externalId(externalId))
                    .credentials();
            try (LambdaClient lambda = TestClients.lambda(e.endpoint(), TestClients.provider(creds))) {
                assertThat(lambda.invoke(b -> b.functionName(FUNCTION_ARN).payload(TestClients.json("{\"x\":1}")))
                                .payload()
                                .asUtf8String())
                        .isEqualTo("{\"statusCode\":200,\"body\":{\"x\":1},\"function\":\"SideCarJsonResponse\"}");
            }
        }
        assertThat(e.count("lambda", "Invoke", true)).isEqualTo(1);
    }
}
