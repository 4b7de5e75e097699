package io.github.sidecarlambda.emulator;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID_PARAMETER;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ROLE_ARN;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS's default quotas, observed through unmodified SDK clients with retries off. */
class QuotasTest {
    static final String ADMIN_ARN = "arn:aws:iam::" + PLATFORM_ACCOUNT + ":user/admin";
    static final String OTHER_ACCOUNT = "333344445555";
    static final String OTHER_ARN = "arn:aws:iam::" + OTHER_ACCOUNT + ":user/other";
    static final String READ_ALL = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ssm:*\",\"Resource\":\"*\"}}";

    private static AwsEmulator.Builder scenario() {
        return SeedScenario.builder()
                .account(PLATFORM_ACCOUNT, a -> a.user("admin", "AKIAQUOTAADMIN000001", "s".repeat(40), READ_ALL))
                .account(OTHER_ACCOUNT, a -> a.user("other", "AKIAQUOTAOTHER000001", "o".repeat(40), READ_ALL))
                .parameter(OTHER_ACCOUNT, "us-east-1", "/p", "v", false)
                .parameter(OTHER_ACCOUNT, "eu-west-1", "/p", "v", false);
    }

    private static SsmClient ssm(URI endpoint, AwsCredentialsProvider creds, Region region) {
        return SsmClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    record Outcome(int ok, int throttled, int other, double seconds) {}

    /** {@code perSecond} GetParameter calls a second for {@code seconds}, paced on a schedule, from 8 threads. */
    private static Outcome drive(SsmClient ssm, int perSecond, double seconds) throws Exception {
        int total = (int) (perSecond * seconds);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    try {
                        ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER).withDecryption(true));
                        ok.incrementAndGet();
                    } catch (AwsServiceException e) {
                        if ("ThrottlingException".equals(e.awsErrorDetails().errorCode())
                                && e.statusCode() == 400
                                && "Rate exceeded".equals(e.awsErrorDetails().errorMessage())) {
                            throttled.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return new Outcome(ok.get(), throttled.get(), other.get(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void getParameterIsThrottledAbove40TpsAndNotBelow() throws Exception {
        try (AwsEmulator aws = scenario().start();
                SsmClient ssm = ssm(aws.endpoint(), aws.credentialsFor(ADMIN_ARN), Region.US_EAST_1)) {
            Outcome slow = drive(ssm, 30, 2.5);
            assertThat(slow.throttled()).as("30/s stays under 40 TPS: %s", slow).isZero();
            assertThat(slow.ok()).isEqualTo(75);

            Thread.sleep(1100); // let the bucket refill
            Outcome fast = drive(ssm, 200, 2.5);
            assertThat(fast.other()).isZero();
            assertThat(fast.throttled()).as("200/s is above 40 TPS: %s", fast).isGreaterThan(200);
            // at most the 40-token burst plus 40 a second got through
            assertThat(fast.ok()).as("%s", fast).isBetween(40, (int) (40 + 40 * fast.seconds()) + 2);
            assertThat(aws.calls())
                    .filteredOn(c -> "ThrottlingException".equals(c.errorCode()))
                    .allSatisfy(c -> assertThat(c.httpStatus()).isEqualTo(400))
                    .hasSize(fast.throttled());
        }
    }

    @Test
    void higherThroughputLiftsTheLimit() throws Exception {
        try (AwsEmulator aws =
                        scenario().quotas(q -> q.ssmHigherThroughput(true)).start();
                SsmClient ssm = ssm(aws.endpoint(), aws.credentialsFor(ADMIN_ARN), Region.US_EAST_1)) {
            Outcome fast = drive(ssm, 200, 2.5);
            assertThat(fast.throttled()).as("%s", fast).isZero();
            assertThat(fast.ok()).isEqualTo(500);

            // GetParametersByPath has its own 100 TPS bucket with higher throughput
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger throttled = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        try {
                            ssm.getParametersByPath(b -> b.path("/acme"));
                            ok.incrementAndGet();
                        } catch (AwsServiceException e) {
                            throttled.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(ok.get())
                    .as("%d ok in %.2f s", ok.get(), seconds)
                    .isLessThanOrEqualTo((int) (100 + 100 * seconds) + 2);
            assertThat(throttled.get() + ok.get()).isEqualTo(320);
            assertThat(ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)).parameter())
                    .isNotNull();

            aws.quotas().ssmHigherThroughput(false);
            assertThat(drive(ssm, 200, 1).throttled()).isPositive();
        }
    }

    /** A 1 TPS bucket makes the sharing visible without racing the refill. */
    @Test
    void getCallsShareOneBucketPerAccountAndRegion() {
        try (AwsEmulator aws =
                        scenario().quotas(q -> q.ssmStandardThroughput(1)).start();
                SsmClient admin = ssm(aws.endpoint(), aws.credentialsFor(ADMIN_ARN), Region.US_EAST_1);
                SsmClient platform = ssm(aws.endpoint(), aws.credentialsFor(PLATFORM_ROLE_ARN), Region.US_EAST_1);
                SsmClient otherUs = ssm(aws.endpoint(), aws.credentialsFor(OTHER_ARN), Region.US_EAST_1);
                SsmClient otherEu = ssm(aws.endpoint(), aws.credentialsFor(OTHER_ARN), Region.EU_WEST_1)) {
            admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER));
            // the same account (another principal), other Get operations: one bucket
            assertError(
                    () -> platform.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)),
                    "ThrottlingException",
                    400,
                    "Rate exceeded");
            assertError(
                    () -> admin.getParameters(b -> b.names(EXTERNAL_ID_PARAMETER)),
                    "ThrottlingException",
                    400,
                    "Rate exceeded");
            assertError(
                    () -> admin.getParametersByPath(b -> b.path("/acme")), "ThrottlingException", 400, "Rate exceeded");
            // another account, and the same account in another region, have their own buckets
            assertThat(otherUs.getParameter(b -> b.name("/p")).parameter().value())
                    .isEqualTo("v");
            assertThat(otherEu.getParameter(b -> b.name("/p")).parameter().arn())
                    .startsWith("arn:aws:ssm:eu-west-1:");
            assertError(() -> otherUs.getParameters(b -> b.names("/p")), "ThrottlingException", 400, "Rate exceeded");
            // higher throughput for one account and region lifts only that one (changing a setting starts new buckets)
            aws.quotas().ssmHigherThroughput(OTHER_ACCOUNT, "us-east-1", true);
            for (int i = 0; i < 5; i++) {
                otherUs.getParameters(b -> b.names("/p"));
            }
            otherEu.getParameter(b -> b.name("/p"));
            assertError(() -> otherEu.getParameter(b -> b.name("/p")), "ThrottlingException", 400, null);
            admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER));
            assertError(() -> admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)), "ThrottlingException", 400, null);
            // PutParameter has no default bucket; a test can give it one
            admin.putParameter(b -> b.name("/w/1").value("x").type("String"));
            admin.putParameter(b -> b.name("/w/2").value("x").type("String"));
            aws.quotas().ssmPutParameter(1);
            admin.putParameter(b -> b.name("/w/3").value("x").type("String"));
            assertError(
                    () -> admin.putParameter(b -> b.name("/w/4").value("x").type("String")),
                    "ThrottlingException",
                    400,
                    null);
        }
    }

    @Test
    void quotasCanBeSwitchedOffAndUnauthenticatedCallsSpendNoToken() {
        try (AwsEmulator aws = scenario()
                        .quotas(q -> q.ssmStandardThroughput(1).enabled(false))
                        .start();
                SsmClient admin = ssm(aws.endpoint(), aws.credentialsFor(ADMIN_ARN), Region.US_EAST_1)) {
            for (int i = 0; i < 5; i++) {
                admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER));
            }
            aws.quotas().enabled(true);
            try (SsmClient forged = ssm(
                    aws.endpoint(),
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                    "AKIAQUOTAADMIN000001", "x".repeat(40))),
                    Region.US_EAST_1)) {
                assertError(
                        () -> forged.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)),
                        "InvalidSignatureException",
                        400,
                        null);
            }
            admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER));
            assertError(() -> admin.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)), "ThrottlingException", 400, null);
        }
    }

    @Test
    void assumeRoleQuotaIsOffByDefaultAndConfigurable() {
        try (AwsEmulator aws = scenario().start();
                StsClient sts = TestClients.sts(aws.endpoint(), aws.credentialsFor(PLATFORM_ROLE_ARN))) {
            for (int i = 0; i < 60; i++) {
                sts.assumeRole(b -> b.roleArn(SeedScenario.CUSTOMER_ROLE_ARN)
                        .roleSessionName("quota")
                        .externalId(SeedScenario.EXTERNAL_ID));
            }
            aws.quotas().stsAssumeRole(1);
            sts.assumeRole(b -> b.roleArn(SeedScenario.CUSTOMER_ROLE_ARN)
                    .roleSessionName("quota")
                    .externalId(SeedScenario.EXTERNAL_ID));
            assertError(
                    () -> sts.assumeRole(b -> b.roleArn(SeedScenario.CUSTOMER_ROLE_ARN)
                            .roleSessionName("quota")
                            .externalId(SeedScenario.EXTERNAL_ID)),
                    "Throttling",
                    400,
                    "Rate exceeded");
        }
    }

    @Test
    void lambdaConcurrencyLimitCountsInFlightInvocations() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        LambdaHandler held = (payload, ctx) -> {
            running.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return payload;
        };
        String acct = SeedScenario.CUSTOMER_ACCOUNT;
        try (AwsEmulator aws = SeedScenario.builder()
                        .account(
                                acct,
                                a -> a.user(
                                        "dev",
                                        "AKIAQUOTADEV00000001",
                                        "d".repeat(40),
                                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"}}"))
                        .function(FunctionSpec.of(acct, "us-east-1", "Held", held))
                        .function(FunctionSpec.of(acct, "us-east-1", "Reserved", held)
                                .reservedConcurrency(1))
                        .function(
                                FunctionSpec.of(acct, "us-east-1", "Off", held).reservedConcurrency(0))
                        .quotas(q -> q.lambdaConcurrentExecutions(6))
                        .start();
                LambdaClient lambda =
                        TestClients.lambda(aws.endpoint(), aws.credentialsFor("arn:aws:iam::" + acct + ":user/dev"))) {
            ExecutorService pool = Executors.newCachedThreadPool();
            List<Future<?>> inFlight = new ArrayList<>();
            // 6 minus the 1 reserved by "Reserved" (and 0 by "Off") leaves 5 for the other functions
            for (int i = 0; i < 5; i++) {
                inFlight.add(pool.submit(() -> lambda.invoke(b -> b.functionName("Held"))));
            }
            inFlight.add(pool.submit(() -> lambda.invoke(b -> b.functionName("Reserved"))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (running.get() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(running.get()).isEqualTo(6);

            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("Held")))
                    .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.reasonAsString()).isEqualTo("ConcurrentInvocationLimitExceeded");
                        assertThat(e.retryAfterSeconds()).isNotBlank();
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
                    });
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("Reserved")))
                    .isInstanceOfSatisfying(
                            TooManyRequestsException.class,
                            e -> assertThat(e.reasonAsString())
                                    .isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded"));
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("Off")))
                    .isInstanceOfSatisfying(
                            TooManyRequestsException.class,
                            e -> assertThat(e.reasonAsString())
                                    .isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded"));
            // DryRun and Event do not hold a RequestResponse execution, so they are not refused
            assertThat(lambda.invoke(b -> b.functionName("Held").invocationType("DryRun"))
                            .statusCode())
                    .isEqualTo(204);
            assertThat(lambda.invoke(b -> b.functionName("Held").invocationType("Event"))
                            .statusCode())
                    .isEqualTo(202);

            release.countDown();
            for (Future<?> f : inFlight) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(lambda.invoke(b -> b.functionName("Held")).statusCode()).isEqualTo(200);
            assertThat(lambda.invoke(b -> b.functionName("Reserved")).statusCode())
                    .isEqualTo(200);
            assertThat(aws.calls()).filteredOn(c -> c.httpStatus() == 429).hasSize(3);
        }
    }

    @Test
    void settersRejectBadValues() {
        Quotas q = new Quotas();
        assertThatThrownBy(() -> q.ssmStandardThroughput(0))
                .hasMessageContaining("ssmStandardThroughput must be > 0, got 0.0");
        assertThatThrownBy(() -> q.lambdaConcurrentExecutions(-1)).hasMessageContaining("got -1");
    }
}
