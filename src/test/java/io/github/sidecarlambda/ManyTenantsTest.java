package io.github.sidecarlambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many customers on one CamelContext: what a tenant costs (data, not threads or sockets), one refresh per tenant
 * whatever STS does, failures remembered once as themselves, stale-if-error, the bounded tenant cache and the tenant
 * chosen per message.
 */
class ManyTenantsTest extends ManyTenantsTestSupport {

    @Override
    void configure(SidecarLambdaComponent component) {
        component.setCredentialsRefreshTimeout(10_000);
    }

    /**
     * The component's threads by default: one I/O event loop and at most one completion thread per processor, one
     * scheduler, one SDK timer (docs/scaling.md; InFlightTest counts each kind).
     */
    static final int COMPONENT_THREADS = 2 * Runtime.getRuntime().availableProcessors() + 2;

    /** Live threads of the component and of the AWS SDK (the emulator's own server threads are not counted). */
    static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.contains("SidecarLambda") || n.startsWith("aws-java-sdk") || n.startsWith("sdk-"))
                .count();
    }

    @Test
    void threadsAndConnectionPoolsDoNotGrowWithTenants() {
        for (int i = 0; i < 5; i++) {
            assertThat(template.requestBody("direct:t" + i, "{\"t\":" + i + "}", String.class))
                    .isEqualTo("{\"t\":" + i + "}");
        }
        int afterFive = liveThreads();
        for (int i = 5; i < TestScenario.MANY; i++) {
            assertThat(template.requestBody("direct:t" + i, "{\"t\":" + i + "}", String.class))
                    .isEqualTo("{\"t\":" + i + "}");
        }
        int afterAll = liveThreads();

        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(TestScenario.MANY);
        assertThat(component().tenants().size()).isEqualTo(TestScenario.MANY);
        // before: every endpoint its own Lambda client (scheduler, completion pool, Netty pool), every tenant its own
        // STS and SSM clients; now 25 tenants on 25 endpoints share one Lambda client and its threads
        assertThat(component().clients().lambdaClients()).isEqualTo(1);
        assertThat(afterAll)
                .as("component and SDK threads after 25 tenants vs 5")
                .isEqualTo(afterFive);
        // and that number is a constant of the component: event loops, one scheduler, one SDK timer, the completion
        // pool
        assertThat(afterAll).isLessThanOrEqualTo(COMPONENT_THREADS);
    }

    @Test
    void slowStsAndTwoHundredConcurrentColdExchangesCostOneAssumeRoleAndOneGetParameter() throws Exception {
        emulator.faults().latency("sts", "AssumeRole", Duration.ofSeconds(7));
        for (Exchange result : concurrently(200, "direct:t1", "{\"slow\":1}")) {
            assertThat(result.getException()).isNull();
        }
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(200);
    }

    @Test
    void aColdTenantsExchangesWaitAsCallbacksNotOnTheCallersThread() throws Exception {
        emulator.faults().latency("sts", "AssumeRole", Duration.ofSeconds(2));
        org.apache.camel.AsyncProducer producer =
                context.getEndpoint(TestScenario.many(2)).createAsyncProducer();
        producer.start();
        try {
            List<CompletableFuture<Exchange>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setBody("{\"cb\":" + i + "}");
                CompletableFuture<Exchange> f = new CompletableFuture<>();
                boolean sync = producer.process(exchange, doneSync -> f.complete(exchange));
                assertThat(sync).isFalse();
                done.add(f);
            }
            long submitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // 100 exchanges handed over while STS takes 2 s: the calling thread never waited for it
            assertThat(submitMillis).isLessThan(1_500);
            for (CompletableFuture<Exchange> f : done) {
                assertThat(f.get(30, TimeUnit.SECONDS).getException()).isNull();
            }
        } finally {
            producer.stop();
        }
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void aDeniedTenantUnderFiftyConcurrentExchangesCostsOneGetParameterAndOneAssumeRolePerWindow() throws Exception {
        List<Exchange> results = concurrently(50, "direct:denied", "{}");
        assertThat(results).allSatisfy(r -> assertThat(r.getException()).isInstanceOf(AssumeRoleDeniedException.class));
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        // each caller its own exception, never one shared instance
        assertThat(results.stream().map(Exchange::getException).distinct().count())
                .isEqualTo(50);
    }

    @Test
    void anExpiredPlatformTokenAtParameterStoreIsNotTakenForAnExpiredLambdaToken() {
        emulator.faults().failNext("ssm", "GetParameter", 1, "ExpiredTokenException", 400);

        Exchange result = template.request("direct:t3", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(ExternalIdUnavailableException.class);
        assertThat(((ExternalIdUnavailableException) result.getException()).getReason())
                .isEqualTo(ExternalIdUnavailableException.Reason.PLATFORM_IDENTITY);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void headersChooseTheTenantAndFunctionPerMessageWhenAllowed() {
        Exchange r = template.request("direct:perMessage", e -> {
            e.getMessage().setBody("{\"who\":\"globex\"}");
            e.getMessage().setHeader(SidecarLambdaConstants.ROLE_ARN, TestScenario.GLOBEX_ROLE);
            e.getMessage().setHeader(SidecarLambdaConstants.EXTERNAL_ID_KEY, TestScenario.GLOBEX_KEY);
            e.getMessage().setHeader(SidecarLambdaConstants.FUNCTION, "Caller");
        });
        assertThat(r.getException()).isNull();
        assertThat(r.getMessage().getBody(String.class)).contains("Boomi_sidecar_connector_globex");
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .singleElement()
                .satisfies(c ->
                        assertThat(c.resource()).isEqualTo("arn:aws:lambda:us-east-1:222233334444:function:Caller"));

        // without the headers: the endpoint's own tenant and function
        Exchange own = template.request("direct:perMessage", e -> e.getMessage().setBody("{\"own\":1}"));
        assertThat(own.getException()).isNull();
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .last()
                .satisfies(c -> {
                    assertThat(c.resource())
                            .isEqualTo("arn:aws:lambda:us-east-1:" + TestScenario.MANY_ACCOUNT + ":function:Echo");
                    assertThat(c.principalArn())
                            .startsWith("arn:aws:sts::" + TestScenario.MANY_ACCOUNT
                                    + ":assumed-role/Boomi_sidecar_connector_t0/");
                    assertThat(c.httpStatus()).isEqualTo(200);
                });
    }

    @Test
    void aBadTenantHeaderFailsThatExchangeNamingTheHeaderBeforeAnyAwsCall() {
        Exchange r = template.request("direct:perMessage", e -> {
            e.getMessage().setBody("{}");
            e.getMessage()
                    .setHeader(
                            SidecarLambdaConstants.ROLE_ARN,
                            "arn:aws:iam::641769673540:role/tibco_sidecar_connector_acme");
        });
        assertThat(r.getException())
                .isInstanceOf(SidecarLambdaConfigurationException.class)
                .hasMessageStartingWith(SidecarLambdaConstants.ROLE_ARN + ": ")
                .hasMessageContaining("Boomi_sidecar_connector");
        assertThat(((SidecarLambdaConfigurationException) r.getException()).getOption())
                .isEqualTo(SidecarLambdaConstants.ROLE_ARN);

        Exchange badKey = template.request("direct:perMessage", e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(SidecarLambdaConstants.EXTERNAL_ID_KEY, "trustKey");
        });
        assertThat(((SidecarLambdaConfigurationException) badKey.getException()).getOption())
                .isEqualTo(SidecarLambdaConstants.EXTERNAL_ID_KEY);
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void aMassExpiryIsRenewedWithoutAThreadPerWaitingExchange() throws Exception {
        assertThat(concurrently(200, "direct:t9", "{}"))
                .allSatisfy(r -> assertThat(r.getException()).isNull());
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(liveThreads(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        try {
            // AWS's clock passes the expiry: all 200 in flight get ExpiredToken, the component assumes the role once
            emulator.clock().advance(Duration.ofMinutes(61));
            assertThat(concurrently(200, "direct:t9", "{}"))
                    .allSatisfy(r -> assertThat(r.getException()).isNull());
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
        // before: the ExpiredToken retries ran on an unbounded pool (144 threads for 200 exchanges); now the same
        // constant set as always: event loops, one scheduler, the completion pool
        assertThat(peak.get()).isLessThanOrEqualTo(COMPONENT_THREADS);
    }
}
