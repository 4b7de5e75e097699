package io.github.sidecarlambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.CallRecord;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform identity allowed {@code ssm:GetParameter} but not {@code ssm:GetParameters} (docs/operator-guide.md,
 * "ssm:GetParameters"): the reader's batched read is denied, the names in it are read one per {@code GetParameter}
 * call, and from then on no batch is sent; every tenant is served.
 */
class ParameterStoreBatchDeniedTest extends ManyTenantsTestSupport {

    /** java_proxy's permissions (docs/emulator.md) without ssm:GetParameters. */
    static final String SINGLE_READS_ONLY = "{\"Version\": \"2012-10-17\",\"Statement\": ["
            + "{\"Effect\": \"Allow\",\"Action\": \"ssm:GetParameter\","
            + "\"Resource\": \"arn:aws:ssm:*:" + SeedScenario.PLATFORM_ACCOUNT + ":parameter/*\"},"
            + "{\"Effect\": \"Allow\",\"Action\": \"sts:AssumeRole\",\"Resource\": \"arn:aws:iam::*:role/*\"}]}";

    static final String TASK_ROLE_TRUST = "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\","
            + "\"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"},\"Action\": \"sts:AssumeRole\"}]}";

    @BeforeAll
    static void platformIdentityMayNotBatch() {
        // as IAM's PutRolePolicy would: java_proxy (same ARN, so the customers' trust policies still name it) now has
        // only these permissions; the component's platform session is issued after this, for each test's context
        emulator.account(
                SeedScenario.PLATFORM_ACCOUNT, a -> a.role("/", "java_proxy", TASK_ROLE_TRUST, SINGLE_READS_ONLY));
    }

    @Override
    void configure(SidecarLambdaComponent component) {
        // defaults
    }

    /** One exchange for each of the many tenants, all released at the same instant (a cold start). */
    private List<Exchange> everyTenantAtOnce() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(TestScenario.MANY);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Exchange>> futures = new ArrayList<>();
            for (int i = 0; i < TestScenario.MANY; i++) {
                String route = "direct:t" + i;
                futures.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return template.request(route, e -> e.getMessage().setBody("{}"));
                        },
                        callers));
            }
            start.countDown();
            List<Exchange> results = new ArrayList<>();
            for (CompletableFuture<Exchange> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    private static void allServed(List<Exchange> results) {
        assertThat(results).hasSize(TestScenario.MANY).allSatisfy(r -> {
            assertThat(r.getException()).isNull();
            assertThat(r.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                    .isEqualTo(200);
        });
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(TestScenario.MANY);
    }

    @Test
    void aDeniedBatchIsReadAgainOneNamePerCallAndNoBatchIsSentAfterIt() throws Exception {
        // at most 8 reads are in flight: with GetParameter taking 1 s, the later tenants' reads queue behind the first
        // ones and leave together, as GetParameters
        emulator.faults().latency("ssm", "GetParameter", Duration.ofSeconds(1));

        allServed(everyTenantAtOnce());

        List<CallRecord> ssm =
                emulator.calls().stream().filter(c -> c.service().equals("ssm")).toList();
        List<CallRecord> batches =
                ssm.stream().filter(c -> c.operation().equals("GetParameters")).toList();
        // denied; more than one only if several were sent before the first denial came back
        assertThat(batches).isNotEmpty().hasSizeLessThanOrEqualTo(8).allSatisfy(b -> {
            assertThat(b.errorCode()).isEqualTo("AccessDeniedException");
            assertThat(b.resource()).contains(",");
        });
        assertThat(emulator.count("ssm", "GetParameters", true)).isZero();
        // every name read exactly once, with GetParameter, and those of a denied batch after its denial
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(TestScenario.MANY);
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(TestScenario.MANY);
        for (CallRecord batch : batches) {
            int denied = ssm.indexOf(batch);
            for (String name : batch.resource().split(",")) {
                assertThat(ssm.subList(denied + 1, ssm.size()))
                        .as("a GetParameter of %s after the denied batch", name)
                        .anySatisfy(c -> {
                            assertThat(c.operation()).isEqualTo("GetParameter");
                            assertThat(c.errorCode()).isNull();
                            assertThat(c.resource()).endsWith(":parameter" + name);
                        });
            }
        }
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(TestScenario.MANY);

        // the reader remembers: a second cold start of every tenant reads one name per call, without a denial
        Internals.clearTenants(context);
        emulator.resetCounters();

        allServed(everyTenantAtOnce());

        assertThat(emulator.count("ssm", "GetParameters")).isZero();
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(TestScenario.MANY);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(TestScenario.MANY);
    }
}
