package io.github.sidecarlambda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.aws.RetrySafety;
import io.github.sidecarlambda.bench.FaultDrill;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outlives its owner: replacing a route under traffic leaves no thread behind, stopping the context ends them
 * all, and the one shared scheduler holds a timer per call in flight however many there are (it is never a bound on
 * the calls in flight).
 */
class NothingOutlivesItsOwnerTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:replaced").routeId("replaced").to(globex("Echo"));
                from("direct:gated").to(globex("Gated") + "&maxConcurrency=50");
            }
        };
    }

    @Test
    void replacingARouteThirtyTimesUnderTrafficLeavesNoThreadAndStoppingTheContextEndsThemAll() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(template.requestBody("direct:replaced", "{\"warm\":" + i + "}", String.class))
                    .contains("warm");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<CompletableFuture<?>> loops = new ArrayList<>();
        Map<String, Integer> before;
        try {
            for (int i = 0; i < 4; i++) {
                loops.add(CompletableFuture.runAsync(
                        () -> {
                            while (running.get()) {
                                // while the route is removed, the direct producer waits for the new one (block=true)
                                Exchange r = template.request(
                                        "direct:replaced", e -> e.getMessage().setBody("{\"n\":1}"));
                                if (r.getException() != null) {
                                    failures.add(r.getException());
                                    sleep(); // a stopping route refuses at once (Camel's own
                                    // RejectedExecutionException)
                                } else {
                                    ok.incrementAndGet();
                                }
                            }
                        },
                        senders));
            }
            // a direct consumer defers its shutdown, so under steady traffic a graceful stop only ends at the
            // timeout, then forces the route down with invocations still in flight: the case that leaked threads
            context.getShutdownStrategy().setTimeout(1);
            Thread.sleep(500);
            before = FaultDrill.settledThreads(java.time.Duration.ofSeconds(5));
            for (int i = 0; i < 30; i++) {
                int okBefore = ok.get();
                context.getRouteController().stopRoute("replaced");
                assertThat(context.removeRoute("replaced")).isTrue();
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:replaced").routeId("replaced").to(globex("Echo"));
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ok.get() < okBefore + 4 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
            }
        } finally {
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        // an exchange that reaches a route while Camel stops it is refused by Camel itself, before the component; one
        // that Camel's forced shutdown (timeout 1 s) left in the component when its endpoint released the Lambda client
        // fails as not sent (retryable), never as "may have run"
        assertThat(failures)
                .as("failures other than Camel refusing a stopping route or a call its stop left unsent")
                .allMatch(f -> f instanceof RejectedExecutionException
                                && f.getMessage() == null
                                && f.getStackTrace()[0].getClassName().startsWith("org.apache.camel.processor")
                        || f instanceof IllegalStateException && f.getMessage().contains("has not been started")
                        || f instanceof LambdaServiceException l && l.isRetryable() && !l.mayHaveRun());
        assertThat(ok.get()).isGreaterThan(30 * 4);
        Map<String, Integer> after = FaultDrill.settledThreads(java.time.Duration.ofSeconds(10));
        assertThat(after)
                .as("component and SDK threads after 30 route replacements under traffic")
                .isEqualTo(before);
        assertThat(before.get("SidecarLambda")).isPositive();

        context.stop();
        Map<String, Integer> stopped = FaultDrill.settledThreads(java.time.Duration.ofSeconds(10));
        assertThat(stopped.values())
                .as("threads alive after context.stop(): %s", stopped)
                .allMatch(n -> n == 0);
    }

    @Test
    void aCallTheClientsExecutorRefusedCountsAsNotSent() {
        // the shape the SDK gives when its scheduler refuses the call's timer (seen with a bounded or stopped one)
        Throwable refused = software.amazon.awssdk.core.exception.SdkClientException.builder()
                .message("Task rejected")
                .cause(new RejectedExecutionException("Task rejected"))
                .build();
        RetrySafety.Verdict verdict = RetrySafety.of(new java.util.concurrent.CompletionException(refused));
        assertThat(verdict.mayHaveRun()).isFalse();
        assertThat(verdict.retryable()).isTrue();
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void moreThanAThousandInvocationsInFlightAreAllServed() throws Exception {
        // a function that holds its callers until every exchange has been handed to the producer
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        emulator.putFunction(FunctionSpec.of(
                TestScenario.GLOBEX_ACCOUNT, SeedScenario.REGION, "Gated", (payload, ctx) -> {
                    if (new String(payload, StandardCharsets.UTF_8).contains("held")) {
                        entered.incrementAndGet();
                        gate.await(60, TimeUnit.SECONDS);
                    }
                    return payload;
                }));
        assertThat(template.requestBody("direct:gated", "{}", String.class)).isEqualTo("{}"); // credentials cached
        // 50 reach the function and wait; the others wait for a connection. Each holds an apiCallTimeout timer on
        // the component's one scheduler meanwhile: the scheduler must take them all
        int inFlight = 1_500;
        entered.set(0);
        AsyncProducer producer = context.getEndpoint("direct:gated").createAsyncProducer();
        producer.start();
        CountDownLatch done = new CountDownLatch(inFlight);
        List<String> failures = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < inFlight; i++) {
                Exchange exchange = producer.getEndpoint().createExchange();
                exchange.getMessage().setBody("{\"held\":" + i + "}");
                producer.process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        failures.add(exchange.getException().getMessage());
                    }
                    done.countDown();
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (entered.get() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(entered.get())
                    .as("calls held in the function (the endpoint's maxConcurrency)")
                    .isEqualTo(50);
        } finally {
            gate.countDown();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        producer.stop();
        assertThat(failures)
                .as("%d of %d failed, e.g. %s", failures.size(), inFlight, failures.isEmpty() ? "" : failures.get(0))
                .isEmpty();
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(1 + inFlight);
    }
}
