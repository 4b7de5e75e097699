package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;

import static io.github.sidecarlambda.emulator.SeedScenario.*;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaEmulatorTest {
    static final String DEV_ARN = "arn:aws:iam::641769673540:user/dev";
    static final String VERSIONED_ARN = "arn:aws:lambda:us-east-1:641769673540:function:Versioned";
    static final AtomicInteger slowRuns = new AtomicInteger();
    static final AtomicReference<CountDownLatch> eventLatch = new AtomicReference<>(new CountDownLatch(1));
    static final AtomicReference<String> lastClientContext = new AtomicReference<>();
    static AwsEmulator emu;
    static LambdaClient dev;

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder()
                .account(
                        CUSTOMER_ACCOUNT,
                        a -> a.user(
                                "dev",
                                "AKIADEV0000000000001",
                                "devSecret0000000000000000000000000000000",
                                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"lambda:Invoke*\",\"Resource\":\"arn:aws:lambda:*:641769673540:function:*\"}]}"))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, "Versioned", (p, c) -> bytes("{\"v\":\"latest\"}"))
                        .version("1", (p, c) -> bytes("{\"v\":\"1\"}"))
                        .version("2", (p, c) -> bytes("{\"v\":\"2\"}"))
                        .alias("live", "2")
                        .alias("edge", "$LATEST"))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, "Slow", (p, c) -> {
                            slowRuns.incrementAndGet();
                            eventLatch.get().countDown();
                            return bytes("{}");
                        })
                        .latency(Duration.ofMillis(300)))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, "Boom", (p, c) -> {
                    c.log("about to fail");
                    throw new IllegalStateException("kaboom");
                }))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, "Ctx", (p, c) -> {
                    lastClientContext.set(c.clientContextJson());
                    return bytes("{\"arn\":\"" + c.functionArn() + "\",\"caller\":\"" + c.callerArn() + "\"}");
                }))
                .start();
        dev = TestClients.lambda(emu.endpoint(), emu.credentialsFor(DEV_ARN));
    }

    @AfterAll
    static void stop() {
        dev.close();
        emu.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void endToEndCrossAccountInvokeWithSeedScenario() {
        try (StsClient sts = TestClients.sts(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN))) {
            var creds = sts.assumeRole(b -> b.roleArn(CUSTOMER_ROLE_ARN)
                            .roleSessionName("sidecar")
                            .externalId(EXTERNAL_ID))
                    .credentials();
            try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), TestClients.provider(creds))) {
                InvokeResponse r = lambda.invoke(
                        b -> b.functionName(FUNCTION_NAME).payload(TestClients.json("{\"hello\":\"world\"}")));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.functionError()).isNull();
                assertThat(r.executedVersion()).isEqualTo("$LATEST");
                assertThat(r.payload().asUtf8String())
                        .isEqualTo(
                                "{\"statusCode\":200,\"body\":{\"hello\":\"world\"},\"function\":\"SideCarJsonResponse\"}");
                assertThat(r.responseMetadata().requestId()).isNotBlank();
                // full ARN form
                assertThat(lambda.invoke(b -> b.functionName(FUNCTION_ARN).payload(TestClients.json("[1]")))
                                .payload()
                                .asUtf8String())
                        .contains("\"body\":[1]");
                // a qualifier the policy does not cover
                assertError(
                        () -> lambda.invoke(b -> b.functionName(FUNCTION_NAME).qualifier("$LATEST")),
                        "AccessDeniedException",
                        403,
                        "on resource: " + FUNCTION_ARN
                                + ":$LATEST because no identity-based policy allows the lambda:InvokeFunction action");
                // a function the policy does not cover
                assertError(
                        () -> lambda.invoke(b -> b.functionName("Versioned")),
                        "AccessDeniedException",
                        403,
                        "User: arn:aws:sts::641769673540:assumed-role/Boomi_sidecar_connector_acme/sidecar is not authorized to perform: "
                                + "lambda:InvokeFunction on resource: " + VERSIONED_ARN
                                + " because no identity-based policy allows the lambda:InvokeFunction action");
            }
        }
        assertThat(emu.calls()).anySatisfy(c -> {
            assertThat(c.operation()).isEqualTo("Invoke");
            assertThat(c.resource()).isEqualTo(FUNCTION_ARN + ":$LATEST");
            assertThat(c.errorCode()).isEqualTo("AccessDeniedException");
            assertThat(c.httpStatus()).isEqualTo(403);
        });
    }

    @Test
    void platformRoleCannotInvokeDirectly() {
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN))) {
            assertError(
                    () -> lambda.invoke(b -> b.functionName(FUNCTION_ARN)),
                    "AccessDeniedException",
                    403,
                    "lambda:InvokeFunction");
        }
    }

    @Test
    void eventInvocationRespondsBeforeHandlerRuns() throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        eventLatch.set(latch);
        long t0 = System.nanoTime();
        InvokeResponse r = dev.invoke(
                b -> b.functionName("Slow").invocationType(InvocationType.EVENT).payload(TestClients.json("{}")));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(tookMs).isLessThan(250);
        assertThat(latch.getCount()).isEqualTo(1);
        assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void dryRunAuthorizesButDoesNotRun() {
        int before = slowRuns.get();
        InvokeResponse r = dev.invoke(b -> b.functionName("Slow").invocationType(InvocationType.DRY_RUN));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(slowRuns.get()).isEqualTo(before);
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            assertError(
                    () -> lambda.invoke(b -> b.functionName("Slow").invocationType(InvocationType.DRY_RUN)),
                    "AccessDeniedException",
                    403,
                    null);
        }
    }

    @Test
    void tailLogAndFunctionError() {
        InvokeResponse ok = dev.invoke(
                b -> b.functionName(FUNCTION_NAME).logType(LogType.TAIL).payload(TestClients.json("{}")));
        String log = new String(Base64.getDecoder().decode(ok.logResult()), StandardCharsets.UTF_8);
        assertThat(log).contains("START RequestId:", "START echo", "END RequestId:", "REPORT RequestId:");
        InvokeResponse err = dev.invoke(b -> b.functionName("Boom").logType(LogType.TAIL));
        assertThat(err.statusCode()).isEqualTo(200);
        assertThat(err.functionError()).isEqualTo("Unhandled");
        assertThat(err.payload().asUtf8String())
                .contains("\"errorMessage\":\"kaboom\"", "\"errorType\":\"IllegalStateException\"", "\"stackTrace\":[");
        assertThat(new String(Base64.getDecoder().decode(err.logResult()), StandardCharsets.UTF_8))
                .contains("about to fail");
        assertThat(dev.invoke(b -> b.functionName(FUNCTION_NAME)).logResult()).isNull();
    }

    @Test
    void versionsAndAliases() {
        assertThat(dev.invoke(b -> b.functionName("Versioned")).executedVersion())
                .isEqualTo("$LATEST");
        InvokeResponse live = dev.invoke(b -> b.functionName("Versioned").qualifier("live"));
        assertThat(live.executedVersion()).isEqualTo("2");
        assertThat(live.payload().asUtf8String()).isEqualTo("{\"v\":\"2\"}");
        assertThat(dev.invoke(b -> b.functionName("Versioned:1")).executedVersion())
                .isEqualTo("1");
        assertThat(dev.invoke(b -> b.functionName("641769673540:function:Versioned:edge"))
                        .executedVersion())
                .isEqualTo("$LATEST");
        assertError(
                () -> dev.invoke(b -> b.functionName("Versioned").qualifier("9")),
                "ResourceNotFoundException",
                404,
                "Function not found: " + VERSIONED_ARN + ":9");
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName("Versioned:1").qualifier("2")))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void payloadErrors() {
        String big = "\"" + "a".repeat(6 * 1024 * 1024) + "\"";
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName(FUNCTION_NAME).payload(TestClients.json(big))))
                .isInstanceOfSatisfying(
                        RequestTooLargeException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(413));
        String oneMb = "\"" + "a".repeat(1024 * 1024) + "\"";
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName(FUNCTION_NAME)
                        .invocationType(InvocationType.EVENT)
                        .payload(TestClients.json(oneMb))))
                .isInstanceOf(RequestTooLargeException.class);
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName(FUNCTION_NAME).payload(TestClients.json("not json"))))
                .isInstanceOfSatisfying(
                        InvalidRequestContentException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(dev.invoke(b -> b.functionName(FUNCTION_NAME)).payload().asUtf8String())
                .contains("\"body\":null");
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName("NoSuchFunction")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo(
                                    "Function not found: arn:aws:lambda:us-east-1:641769673540:function:NoSuchFunction");
                });
    }

    @Test
    void clientContextAndInvocationContext() {
        String cc = Base64.getEncoder().encodeToString(bytes("{\"custom\":{\"tenant\":\"acme\"}}"));
        InvokeResponse r = dev.invoke(b -> b.functionName("Ctx:$LATEST").clientContext(cc));
        assertThat(lastClientContext.get()).isEqualTo("{\"custom\":{\"tenant\":\"acme\"}}");
        assertThat(r.payload().asUtf8String())
                .contains(
                        "\"arn\":\"arn:aws:lambda:us-east-1:641769673540:function:Ctx:$LATEST\"",
                        "\"caller\":\"" + DEV_ARN + "\"");
        String tooBig = Base64.getEncoder().encodeToString(bytes("{\"x\":\"" + "y".repeat(3000) + "\"}"));
        assertThatThrownBy(() -> dev.invoke(b -> b.functionName("Ctx").clientContext(tooBig)))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void asyncClientThroughNetty() throws Exception {
        try (LambdaAsyncClient async = LambdaAsyncClient.builder()
                .endpointOverride(emu.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(emu.credentialsFor(CUSTOMER_ROLE_ARN))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(16))
                .build()) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<InvokeResponse>>();
            for (int i = 0; i < 20; i++) {
                String body = "{\"i\":" + i + "}";
                futures.add(async.invoke(b -> b.functionName(FUNCTION_NAME).payload(SdkBytes.fromUtf8String(body))));
            }
            for (int i = 0; i < futures.size(); i++) {
                InvokeResponse r = futures.get(i).get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.payload().asUtf8String()).contains("\"body\":{\"i\":" + i + "}");
            }
            assertThatThrownBy(
                            () -> async.invoke(b -> b.functionName("Versioned")).join())
                    .hasCauseInstanceOf(software.amazon.awssdk.services.lambda.model.LambdaException.class);
        }
    }
}
