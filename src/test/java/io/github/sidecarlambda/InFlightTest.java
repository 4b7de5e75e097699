package io.github.sidecarlambda;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.Quotas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many invocations in flight hold no thread each: 1,000 calls to a 200 ms function run on the component's few shared
 * threads (I/O event loops, one timer, the completion pool), and where the route continues after the answer is the
 * component option {@code completionThreads}.
 */
class InFlightTest extends SidecarLambdaTestSupport {

    static final int IN_FLIGHT = 1000;

    /** Threads of this JVM other than the emulator's own server and function threads. */
    static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("aws-emulator"))
                .collect(Collectors.toSet());
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:slow").to(globex("TwoHundredMillis") + "&maxConcurrency=" + IN_FLIGHT);
                from("direct:echo").to(globex("Echo"));
            }
        };
    }

    @Test
    void aThousandCallsInFlightRunOnAtMostEightThreads() throws Exception {
        // the emulator holds a thread per running function; let 1,000 run at once (AWS's default is 1,000 per account)
        emulator.quotas().lambdaConcurrentExecutions(2 * IN_FLIGHT);
        try {
            Set<Thread> before = clientThreads();
            template.requestBody(
                    "direct:slow", "\"warm\""); // the component creates its clients and threads on first use
            AsyncProducer producer = context.getEndpoint("direct:slow").createAsyncProducer();
            producer.start();
            CountDownLatch done = new CountDownLatch(IN_FLIGHT);
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger peakThreads = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < IN_FLIGHT; i++) {
                Exchange exchange = producer.getEndpoint().createExchange();
                String expected = "\"call " + i + "\"";
                exchange.getMessage().setBody(expected);
                producer.process(exchange, sync -> {
                    if (exchange.getException() != null
                            || !expected.equals(exchange.getMessage().getBody(String.class))) {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            // sampled while the calls are in flight: nothing was started per call
            Set<Thread> during = clientThreads();
            during.removeAll(before);
            peakThreads.set(during.size());
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            producer.stop();

            assertThat(failed.get()).isZero();
            Map<String, Long> names = during.stream()
                    .collect(Collectors.groupingBy(t -> t.getName().replaceAll("\\d+", "#"), Collectors.counting()));
            assertThat(peakThreads.get())
                    .as("threads the component started, with 1,000 calls in flight: %s", names)
                    .isLessThanOrEqualTo(8);
            // by default: one I/O thread and at most one completion thread per processor, one scheduler, one SDK timer
            int cores = Runtime.getRuntime().availableProcessors();
            assertThat(count(during, "aws-java-sdk-NettyEventLoop"))
                    .as("I/O threads: %s", names)
                    .isEqualTo(cores);
            assertThat(count(during, "SidecarLambdaCompletion"))
                    .as("completion threads: %s", names)
                    .isBetween(1L, (long) cores);
            assertThat(count(during, "SidecarLambdaScheduler"))
                    .as("schedulers: %s", names)
                    .isEqualTo(1);
            assertThat(count(during, "SidecarLambdaTimeouts"))
                    .as("SDK timers: %s", names)
                    .isEqualTo(1);
            // a thread per call, or 8 calls at a time, would take 25 s; in flight together they take a few 200 ms
            // rounds
            assertThat(took).as("1,000 calls of a 200 ms function").isLessThan(Duration.ofSeconds(10));
        } finally {
            emulator.quotas().lambdaConcurrentExecutions(Quotas.LAMBDA_CONCURRENT_EXECUTIONS);
        }
    }

    /**
     * A route as users write it, without maxConcurrency, keeps more than the AWS SDK's default of 50 calls in flight:
     * the shared pool's default is Lambda's concurrency quota (1000). With 50, a gateway route with 64 calls in flight
     * ran at 0.78 of the raw SDK's throughput (docs/benchmark.md, second harness).
     */
    @Test
    void byDefaultARouteKeepsMoreThanFiftyCallsInFlight() throws Exception {
        int calls = 120;
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        emulator.putFunction(io.github.sidecarlambda.emulator.FunctionSpec.of(
                TestScenario.GLOBEX_ACCOUNT,
                io.github.sidecarlambda.emulator.SeedScenario.REGION,
                "GatedDefaults",
                (payload, ctx) -> {
                    entered.incrementAndGet();
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return payload;
                }));
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            io.github.sidecarlambda.testing.EmulatorEnvironment.apply(ctx, emulator);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to(globex("GatedDefaults"));
                }
            });
            ctx.start();
            AsyncProducer producer = ctx.getEndpoint("direct:in").createAsyncProducer();
            producer.start();
            CountDownLatch done = new CountDownLatch(calls);
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < calls; i++) {
                Exchange exchange = producer.getEndpoint().createExchange();
                exchange.getMessage().setBody("\"g" + i + "\"");
                producer.process(exchange, sync -> {
                    if (exchange.getException() != null) {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (entered.get() < calls && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int inFlight = entered.get();
            gate.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            producer.stop();
            assertThat(failed.get()).isZero();
            assertThat(inFlight)
                    .as("calls running in the function at once, maxConcurrency left at its default")
                    .isEqualTo(calls);
        } finally {
            gate.countDown();
        }
    }

    private static long count(Set<Thread> threads, String name) {
        return threads.stream().filter(t -> t.getName().contains(name)).count();
    }

    @Test
    void byDefaultTheRouteContinuesOnTheCompletionPoolNotOnTheIoThread() {
        assertThat(continuedOn(c -> {})).contains("SidecarLambdaCompletion");
        assertThat(continuedOn(c -> c.setCompletionThreads(3))).contains("SidecarLambdaCompletion");
    }

    @Test
    void completionThreadsSizesTheCompletionPool() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            io.github.sidecarlambda.testing.EmulatorEnvironment.apply(ctx, emulator);
            ctx.getComponent("sidecar-lambda", SidecarLambdaComponent.class).setCompletionThreads(3);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to(globex("Echo"));
                }
            });
            ctx.start();
            org.apache.camel.ProducerTemplate t = ctx.createProducerTemplate();
            List<java.util.concurrent.CompletableFuture<Object>> async = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                async.add(t.asyncRequestBody("direct:in", "\"n" + i + "\""));
            }
            async.forEach(java.util.concurrent.CompletableFuture::join);
            for (int i = 0; i < 50; i++) {
                assertThat(t.requestBody("direct:in", "\"m" + i + "\"", String.class))
                        .isEqualTo("\"m" + i + "\"");
            }
            long pool = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th.getName().contains("SidecarLambdaCompletion")
                            && th.getName().contains(ctx.getName()))
                    .count();
            // 50 completions at once start every core thread of the pool: exactly the option's 3 (the default would be
            // one per processor)
            assertThat(pool).isEqualTo(3);
        }
    }

    /** The name of the thread the route continued on after the Invoke, in a context whose component has this option. */
    private static String continuedOn(java.util.function.Consumer<SidecarLambdaComponent> options) {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            io.github.sidecarlambda.testing.EmulatorEnvironment.apply(ctx, emulator);
            SidecarLambdaComponent component = ctx.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
            options.accept(component);
            Map<String, String> seen = new ConcurrentHashMap<>();
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in")
                            .to(globex("Echo"))
                            .process(e ->
                                    seen.put("thread", Thread.currentThread().getName()));
                }
            });
            ctx.start();
            Exchange out = ctx.createProducerTemplate()
                    .request("direct:in", e -> e.getMessage().setBody("\"x\""));
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getBody(String.class)).isEqualTo("\"x\"");
            return seen.get("thread");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void threadOptionsOutOfRangeAreRefusedNamingTheOption() {
        for (Map.Entry<String, java.util.function.BiConsumer<SidecarLambdaComponent, Integer>> option : List.of(
                Map.entry("completionThreads", (java.util.function.BiConsumer<SidecarLambdaComponent, Integer>)
                        SidecarLambdaComponent::setCompletionThreads),
                Map.entry("ioThreads", (java.util.function.BiConsumer<SidecarLambdaComponent, Integer>)
                        SidecarLambdaComponent::setIoThreads))) {
            try (DefaultCamelContext ctx = new DefaultCamelContext()) {
                io.github.sidecarlambda.testing.EmulatorEnvironment.apply(ctx, emulator);
                option.getValue().accept(ctx.getComponent("sidecar-lambda", SidecarLambdaComponent.class), -1);
                ctx.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:in").to(globex("Echo"));
                    }
                });
                assertThatThrownBy(ctx::start)
                        .hasStackTraceContaining(option.getKey())
                        .hasStackTraceContaining("was -1")
                        .satisfies(e -> assertThat(rootOf(e)).isInstanceOf(SidecarLambdaConfigurationException.class));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Throwable rootOf(Throwable e) {
        while (e.getCause() != null && !(e instanceof SidecarLambdaConfigurationException)) {
            e = e.getCause();
        }
        return e;
    }
}
