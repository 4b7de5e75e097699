package io.github.sidecarlambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STS or Parameter Store in trouble: a denial stays a denial when the re-read fails, a failure is remembered once as
 * itself, and valid credentials keep serving through an outage until they really expire.
 */
class CredentialOutageTest extends ManyTenantsTestSupport {

    @Override
    void configure(SidecarLambdaComponent component) {
        component.setCredentialsRefreshTimeout(12_000);
    }

    @Test
    void aFailedReReadAfterADenialStillReportsTheDenial() throws Exception {
        String route = "direct:t4long";
        assertThat(template.requestBody(route, "{}", String.class)).isEqualTo("{}");
        try {
            // the customer's trust policy now expects another value; the cached one is denied at the next refresh,
            // and re-reading the parameter fails: the route must see the denial, typed and explained
            emulator.updateTrustPolicy(
                    TestScenario.manyRole(4),
                    SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, "another-value-not-stored"));
            clock.advance(Duration.ofMinutes(59).plusSeconds(55)); // past their usable point (staleTime 10 s)
            emulator.faults().failNext("ssm", "GetParameter", 1_000, "AccessDeniedException", 400);

            Exchange result = template.request(route, e -> e.getMessage().setBody("{}"));

            assertThat(result.getException())
                    .isInstanceOf(AssumeRoleDeniedException.class)
                    .hasMessageContaining("re-reading the External ID after the denial failed: ACCESS_DENIED");
        } finally {
            emulator.updateTrustPolicy(
                    TestScenario.manyRole(4),
                    SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, TestScenario.manyExternalId(4)));
        }
    }

    @Test
    void aRememberedFailureIsRememberedOnceAsItselfAndNeverGrows() throws Exception {
        emulator.faults().failNext("sts", "AssumeRole", 100_000, "RegionDisabledException", 403);
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(32);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            List<CompletableFuture<?>> loops = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                loops.add(CompletableFuture.runAsync(
                        () -> {
                            while (System.nanoTime() < end) {
                                Exchange r = template.request(
                                        "direct:t5", e -> e.getMessage().setBody("{}"));
                                failures.add(r.getException());
                            }
                        },
                        callers));
            }
            for (CompletableFuture<?> l : loops) {
                l.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        // one AssumeRole per 2 s window (re-armed by nobody but the next real attempt), not one per caller
        assertThat(emulator.count("sts", "AssumeRole")).isBetween(2L, 4L);
        assertThat(failures).isNotEmpty().allSatisfy(f -> {
            assertThat(f).isInstanceOf(CredentialsUnavailableException.class);
            assertThat(f.getMessage().length()).isLessThan(400);
            assertThat(f.getMessage().split("remembered", -1).length - 1).isLessThanOrEqualTo(1);
            int depth = 0;
            for (Throwable t = f; t != null; t = t.getCause()) {
                depth++;
            }
            assertThat(depth).isLessThanOrEqualTo(3);
        });
    }

    @Test
    void stsDownWhileCredentialsAreStillValidKeepsServingUntilTheyReallyExpire() {
        assertThat(template.requestBody("direct:t6", "{}", String.class)).isEqualTo("{}");
        emulator.faults().failNext("sts", "AssumeRole", 100_000, "ServiceUnavailable", 503);

        // 59 min 30 s later: past the prefetch point and past the SDK's old 1-minute stale point, before expiry
        clock.advance(Duration.ofMinutes(59).plusSeconds(30));
        for (int i = 0; i < 50; i++) {
            Exchange r = template.request("direct:t6", e -> e.getMessage().setBody("{\"still\":1}"));
            assertThat(r.getException()).isNull();
        }
        // within staleTime (10 s) of expiry the credentials are no longer used: now the outage shows, typed
        clock.advance(Duration.ofSeconds(25));
        Exchange r = template.request("direct:t6", e -> e.getMessage().setBody("{}"));
        assertThat(r.getException()).isInstanceOf(CredentialsUnavailableException.class);
        assertThat(((CredentialsUnavailableException) r.getException()).isRetryable())
                .isTrue();
    }

    /**
     * Each SSM call is shorter than its own SDK timeout (apiCallTimeout, which the component sets to
     * credentialsRefreshTimeout, counted from the start of that call): the first takes 9 s and fails transiently, the
     * reader retries since the deadline is 3 s away, and the retry takes 9 s more. No SDK timeout fires before 21 s,
     * and the read as a whole would succeed at about 18 s; only the refresh deadline's own timer can end the
     * exchange's wait at 12 s.
     */
    @Test
    void aColdExchangeWaitsNoLongerThanTheRefreshDeadlineWhateverParameterStoreDoes() throws Exception {
        emulator.faults().latency("ssm", "GetParameter", Duration.ofSeconds(9));
        emulator.faults().failNext("ssm", "GetParameter", 1, "InternalServerError", 500);
        long t0 = System.nanoTime();

        Exchange r = template.request("direct:t8", e -> e.getMessage().setBody("{}"));

        long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
        long ssmCallsDone = emulator.count("ssm", "GetParameter");
        assertThat(r.getException())
                .as("the refresh deadline's answer, not an SSM timeout's")
                .isInstanceOf(SidecarLambdaException.class)
                .hasMessageContaining("no credentials within 12000 ms (credentialsRefreshTimeout)")
                .as("names what it waited for: Parameter Store, not STS (never called)")
                .hasMessageContaining("the External ID read of /t8/prod/trustKey had not finished")
                .hasMessageNotContaining("STS");
        assertThat(((SidecarLambdaException) r.getException()).isRetryable()).isTrue();
        assertThat(waitedMillis).as("credentialsRefreshTimeout is 12 s").isBetween(11_500L, 14_000L);
        // the exchange was answered while Parameter Store was still working on the retry
        assertThat(ssmCallsDone)
                .as("SSM calls answered when the exchange failed")
                .isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
        // the retry does get its answer later (so no late call lands in the next test's counters)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (emulator.count("ssm", "GetParameter") < 2 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(1);
        emulator.faults().clear();
    }

    /** The refresh deadline passes while STS holds AssumeRole: the message names STS, not the External ID read. */
    @Test
    void aRefreshThatOutlivesItsDeadlineInStsSaysSo() {
        emulator.faults().latency("sts", "AssumeRole", Duration.ofSeconds(14));
        try {
            long t0 = System.nanoTime();
            Exchange r = template.request("direct:t9", e -> e.getMessage().setBody("{}"));
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;

            // whichever ends the wait first at 12 s (the deadline's timer, or the SDK's apiCallTimeout, which the
            // component sets to the time left) the route learns it was STS
            assertThat(r.getException())
                    .isInstanceOf(CredentialsUnavailableException.class)
                    .hasMessageStartingWith("Could not assume " + TestScenario.manyRole(9) + ": ")
                    .hasMessageContaining("STS")
                    .hasMessageNotContaining("External ID read");
            assertThat(((SidecarLambdaException) r.getException()).isRetryable())
                    .isTrue();
            assertThat(waitedMillis).as("credentialsRefreshTimeout is 12 s").isBetween(11_500L, 14_000L);
            assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(1);
        } finally {
            emulator.faults().clear();
        }
    }
}
