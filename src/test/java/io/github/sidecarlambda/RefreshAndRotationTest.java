package io.github.sidecarlambda;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials that expire under steady traffic are replaced without a failed exchange, and a customer can rotate the
 * External ID without a restart.
 */
class RefreshAndRotationTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:globex").to(globex("Echo"));
                // re-reads the External ID at every credential refresh
                from("direct:uncached").to(globex("Echo") + "&externalIdCacheTtl=0");
            }
        };
    }

    /** Sends messages from 4 threads until stopped; counts successes and keeps every failure. */
    private final class SteadyTraffic implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        final ExecutorService threads = Executors.newFixedThreadPool(4);

        SteadyTraffic() {
            this("direct:globex");
        }

        SteadyTraffic(String route) {
            for (int i = 0; i < 4; i++) {
                threads.submit(() -> {
                    while (running.get()) {
                        Exchange result =
                                template.request(route, e -> e.getMessage().setBody("{\"n\":1}"));
                        if (result.getException() != null) {
                            failures.add(result.getException());
                        } else {
                            ok.incrementAndGet();
                        }
                    }
                });
            }
        }

        void awaitMore(int count) throws InterruptedException {
            int target = ok.get() + count;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ok.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(failures).isEmpty();
            assertThat(ok.get()).as("successful exchanges within 30 s").isGreaterThanOrEqualTo(target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void credentialsExpiringUnderSteadyTrafficAreReplacedWithZeroFailedExchanges() throws Exception {
        SteadyTraffic traffic = new SteadyTraffic();
        try (traffic) {
            traffic.awaitMore(50);
            // an hour passes at AWS: the credentials expire
            emulator.clock().advance(Duration.ofMinutes(61));
            traffic.awaitMore(100);
        }
        assertThat(traffic.failures).isEmpty();
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
        assertThat(emulator.count("lambda", "Invoke", true)).isGreaterThanOrEqualTo(150);
    }

    @Test
    void aRotatedExternalIdIsPickedUpWithoutARestart() throws Exception {
        String rotated = "globex-rotated-id-2b";
        SECRETS.add(rotated);
        SteadyTraffic traffic = new SteadyTraffic();
        try (traffic) {
            traffic.awaitMore(50);
            // the customer changes the trust policy and the operator stores the new value; the old value stays cached
            emulator.updateTrustPolicy(
                    TestScenario.GLOBEX_ROLE, SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, rotated));
            emulator.putParameter(
                    SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/" + TestScenario.GLOBEX_KEY, rotated, true);
            // the next refresh is denied with the cached value, re-reads it and retries with the new one
            emulator.clock().advance(Duration.ofMinutes(61));
            traffic.awaitMore(100);
        } finally {
            emulator.updateTrustPolicy(
                    TestScenario.GLOBEX_ROLE,
                    SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, TestScenario.GLOBEX_EXTERNAL_ID));
            emulator.putParameter(
                    SeedScenario.PLATFORM_ACCOUNT,
                    SeedScenario.REGION,
                    "/" + TestScenario.GLOBEX_KEY,
                    TestScenario.GLOBEX_EXTERNAL_ID,
                    true);
        }
        assertThat(traffic.failures).isEmpty();
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
        // denied with the old value: once, or once per caller that was already waiting for the same refresh
        assertThat(emulator.count("sts", "AssumeRole", false) - 2).isBetween(1L, 4L);
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(2);
        assertThat(emulator.count("lambda", "Invoke", true)).isGreaterThanOrEqualTo(150);
    }

    @Test
    void parameterStoreThrottlingAtRefreshTimeKeepsTheExternalIdReadBefore() throws Exception {
        SteadyTraffic traffic = new SteadyTraffic("direct:uncached");
        try (traffic) {
            traffic.awaitMore(50);
            // Parameter Store throttles beyond the SDK's retries exactly when the credentials must be renewed
            emulator.faults().failNext("ssm", "GetParameter", 4, "ThrottlingException", 400);
            emulator.clock().advance(Duration.ofMinutes(61));
            traffic.awaitMore(100);
        }
        assertThat(traffic.failures).isEmpty();
        assertThat(emulator.count("ssm", "GetParameter", false)).isGreaterThanOrEqualTo(4);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
    }
}
