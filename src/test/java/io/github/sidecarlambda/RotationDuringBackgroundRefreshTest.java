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
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer rotates the External ID while the credentials are being refreshed ahead of expiry in the background:
 * the refresh is denied with the cached value, re-reads the parameter, assumes the role with the new one, and no
 * exchange fails meanwhile (they keep the current credentials until the new ones are there).
 */
class RotationDuringBackgroundRefreshTest extends ManyTenantsTestSupport {

    @Override
    void configure(SidecarLambdaComponent component) {
        // defaults: sessionDuration 1 h, prefetchTime 5 min (+ up to 25 % jitter), staleTime 10 s
    }

    @Test
    void aRotationDuringTheBackgroundRefreshIsPickedUpWithZeroFailedExchanges() throws Exception {
        String route = "direct:t4long"; // externalIdCacheTtl=2h: only the denial can make it re-read the parameter
        String rotated = "tenant-4-rotated-id-x8";
        SECRETS.add(rotated);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        String oldKey;
        try {
            assertThat(template.requestBody(route, "{}", String.class)).isEqualTo("{}");
            oldKey = endpoint().tenant().current().credentials().accessKeyId();
            for (int i = 0; i < 4; i++) {
                senders.submit(() -> {
                    while (running.get()) {
                        Exchange r = template.request(route, e -> e.getMessage().setBody("{\"n\":1}"));
                        if (r.getException() != null) {
                            failures.add(r.getException());
                        } else {
                            ok.incrementAndGet();
                        }
                    }
                });
            }
            awaitMore(ok, 50);
            emulator.updateTrustPolicy(
                    TestScenario.manyRole(4), SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, rotated));
            emulator.putParameter(
                    SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/" + TestScenario.manyKey(4), rotated, true);
            // 56 minutes later for the component: past the prefetch point (at most 55 min), before staleTime; AWS
            // (the emulator's clock) still accepts the current credentials, so exchanges keep using them
            clock.advance(Duration.ofMinutes(56));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (emulator.count("sts", "AssumeRole", true) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            awaitMore(ok, 100);
        } finally {
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            emulator.updateTrustPolicy(
                    TestScenario.manyRole(4),
                    SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, TestScenario.manyExternalId(4)));
            emulator.putParameter(
                    SeedScenario.PLATFORM_ACCOUNT,
                    SeedScenario.REGION,
                    "/" + TestScenario.manyKey(4),
                    TestScenario.manyExternalId(4),
                    true);
        }
        assertThat(failures).isEmpty();
        // the first assume, then the background refresh: denied with the cached value, then assumed with the new one
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
        assertThat(emulator.count("sts", "AssumeRole", false) - 2)
                .as("AssumeRole calls denied")
                .isEqualTo(1);
        assertThat(emulator.count("ssm", "GetParameter", true))
                .as("parameter reads: first, and after the denial")
                .isEqualTo(2);
        // the new credentials are the ones in use
        String newKey = endpoint().tenant().current().credentials().accessKeyId();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .last()
                .satisfies(c -> assertThat(c.accessKeyId()).isEqualTo(newKey));
    }

    private SidecarLambdaEndpoint endpoint() {
        return context.getEndpoint(TestScenario.many(4) + "&externalIdCacheTtl=2h", SidecarLambdaEndpoint.class);
    }

    private static void awaitMore(AtomicInteger ok, int count) throws InterruptedException {
        int target = ok.get() + count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ok.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(ok.get()).as("successful exchanges within 30 s").isGreaterThanOrEqualTo(target);
    }
}
