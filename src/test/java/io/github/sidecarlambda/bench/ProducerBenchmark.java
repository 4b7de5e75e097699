package io.github.sidecarlambda.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Side-by-side throughput and latency, in one run against the embedded emulator:
 * <ol>
 * <li>the raw SDK {@code LambdaAsyncClient} with static credentials (the baseline),</li>
 * <li>a Camel route {@code direct -> sidecar-lambda} (assume role, External ID from SSM, cached credentials),</li>
 * <li>camel-aws2-lambda's synchronous producer driven by 8 caller threads (50 ms function only).</li>
 * </ol>
 * The SDK client and the component use the same Netty pool size (the number in flight). Rounds alternate baseline
 * and component (each going first in turn) so JIT warm-up and machine noise fall on both. Run with the command in
 * docs/benchmark.md.
 */
public final class ProducerBenchmark {

    static final String ACCOUNT = "222233334444";
    private static final String ROLE = "arn:aws:iam::222233334444:role/Boomi_sidecar_connector_bench";
    static final String EXTERNAL_ID = "bench-external-id-0001";
    private static final byte[] PAYLOAD = "{\"order\":42,\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

    record Result(String name, double throughput, double p50Millis, double p99Millis, long errors) {
    }

    private ProducerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the test classpath logs at TRACE for the secret-hygiene check; a benchmark must not
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Duration measure = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "5")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.warmup", "12")));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "6"));

        try (AwsEmulator emulator = SeedScenario.builder()
                .account(ACCOUNT, a -> a.role("/", "Boomi_sidecar_connector_bench",
                        SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, EXTERNAL_ID),
                        SeedScenario.invokePolicy("arn:aws:lambda:us-east-1:222233334444:function:*")))
                .parameter(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/bench/prod/trustKey", EXTERNAL_ID, true)
                .function(FunctionSpec.of(ACCOUNT, SeedScenario.REGION, "Zero", (p, c) -> p))
                .function(FunctionSpec.of(ACCOUNT, SeedScenario.REGION, "Fifty", (p, c) -> p).latency(Duration.ofMillis(50)))
                .start()) {
            StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "| function | in flight | client | throughput (inv/s) | p50 (ms) | p99 (ms) | errors |%n"));
            table.append(String.format(Locale.ROOT, "|---|---|---|---|---|---|---|%n"));
            String verdicts = "";
            String only = System.getProperty("bench.function", "");
            for (Object[] load : new Object[][] { { "Zero", 64 }, { "Fifty", 256 } }) {
                String function = (String) load[0];
                if (!only.isEmpty() && !only.equals(function)) {
                    continue;
                }
                int inFlight = (Integer) load[1];
                try (RawSdk raw = new RawSdk(emulator, function, inFlight);
                     Component component = new Component(emulator, function, inFlight)) {
                    run(raw::send, inFlight, warmup);
                    run(component::send, inFlight, warmup);
                    Result[] raws = new Result[rounds];
                    Result[] ours = new Result[rounds];
                    for (int r = 0; r < rounds; r++) {
                        // alternate which goes first, so neither always runs on the other's leftovers
                        if (r % 2 == 0) {
                            raws[r] = run(raw::send, inFlight, measure);
                            ours[r] = run(component::send, inFlight, measure);
                        } else {
                            ours[r] = run(component::send, inFlight, measure);
                            raws[r] = run(raw::send, inFlight, measure);
                        }
                    }
                    for (int r = 0; r < rounds; r++) {
                        System.out.printf(Locale.ROOT, "%s round %d: raw %.0f/s, sidecar-lambda %.0f/s%n", function, r,
                                raws[r].throughput(), ours[r].throughput());
                    }
                    Result rawResult = mean("raw SDK LambdaAsyncClient (static credentials)", raws);
                    Result ourResult = mean("sidecar-lambda route", ours);
                    row(table, function, inFlight, rawResult);
                    row(table, function, inFlight, ourResult);
                    verdicts += String.format(Locale.ROOT,
                            "%s @%d: throughput ratio %.3f (target >= 0.95), p50 ratio %.3f (target <= 1.05)%n",
                            function, inFlight, ourResult.throughput() / rawResult.throughput(),
                            ourResult.p50Millis() / rawResult.p50Millis());
                    if (function.equals("Fifty")) {
                        try (Aws2Lambda aws2 = new Aws2Lambda(emulator, function)) {
                            aws2.run(warmup);
                            Result aws2Result = aws2.run(measure);
                            row(table, function, 8, aws2Result);
                            verdicts += String.format(Locale.ROOT,
                                    "Fifty: sidecar-lambda @256 vs camel-aws2-lambda @8 threads: %.2fx (target >= 2x)%n",
                                    ourResult.throughput() / aws2Result.throughput());
                        }
                    }
                }
            }
            System.out.println();
            System.out.print(table);
            System.out.println();
            System.out.print(verdicts);
            System.out.printf(Locale.ROOT, "emulator calls: AssumeRole=%d GetParameter=%d Invoke=%d%n",
                    emulator.count("sts", "AssumeRole"), emulator.count("ssm", "GetParameter"),
                    emulator.count("lambda", "Invoke"));
        }
    }

    private static void row(StringBuilder table, String function, int inFlight, Result r) {
        table.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.2f | %.2f | %d |%n", function, inFlight,
                r.name(), r.throughput(), r.p50Millis(), r.p99Millis(), r.errors()));
    }

    private static Result mean(String name, Result[] results) {
        return new Result(name, Arrays.stream(results).mapToDouble(Result::throughput).average().orElse(0),
                Arrays.stream(results).mapToDouble(Result::p50Millis).average().orElse(0),
                Arrays.stream(results).mapToDouble(Result::p99Millis).average().orElse(0),
                Arrays.stream(results).mapToLong(Result::errors).sum());
    }

    /** Something that sends one invocation and calls back with its latency, or -1 on failure. */
    interface Sender {
        void send(Consumer<Long> done);
    }

    /** Keeps {@code inFlight} invocations outstanding for {@code duration}; latency histogram in microseconds. */
    static Result run(Sender sender, int inFlight, Duration duration) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        long[] histogram = new long[2_000_000];
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            sender.send(latencyNanos -> {
                if (latencyNanos < 0) {
                    errors.incrementAndGet();
                } else {
                    int micros = (int) Math.min(histogram.length - 1, latencyNanos / 1000);
                    synchronized (histogram) {
                        histogram[micros]++;
                    }
                    completed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("", completed.get() / seconds, percentile(histogram, completed.get(), 0.50),
                percentile(histogram, completed.get(), 0.99), errors.get());
    }

    private static double percentile(long[] histogram, long total, double p) {
        long rank = (long) Math.ceil(total * p);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank && rank > 0) {
                return i / 1000.0;
            }
        }
        return 0;
    }

    /** The baseline: what a careful user would write by hand with static temporary credentials. */
    static final class RawSdk implements AutoCloseable {
        private final LambdaAsyncClient client;
        private final String function;

        RawSdk(AwsEmulator emulator, String function, int inFlight) {
            AwsCredentialsProvider credentials = StaticCredentialsProvider.create(
                    emulator.credentialsFor(ROLE).resolveCredentials());
            this.client = LambdaAsyncClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(emulator.endpoint())
                    .credentialsProvider(credentials)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight))
                    .build();
            this.function = function;
        }

        void send(Consumer<Long> done) {
            long t0 = System.nanoTime();
            client.invoke(InvokeRequest.builder().functionName(function).payload(SdkBytes.fromByteArray(PAYLOAD)).build())
                    .whenComplete((r, e) -> done.accept(e == null && r.functionError() == null ? System.nanoTime() - t0 : -1));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The component, through a route, driven through Camel's async API (no thread blocked per message). */
    static final class Component implements AutoCloseable {
        private final CamelContext context = new DefaultCamelContext();
        private final AsyncProducer producer;

        Component(AwsEmulator emulator, String function, int inFlight) throws Exception {
            EmulatorEnvironment.apply(context, emulator);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bench").to("sidecar-lambda:" + function + "?roleArn=" + ROLE
                                            + "&externalIdKey=bench/prod/trustKey&maxConcurrency=" + inFlight);
                }
            });
            context.start();
            // -Dbench.noRoute=true drives the sidecar-lambda producer itself, to tell its cost from the route's
            producer = Boolean.getBoolean("bench.noRoute")
                    ? context.getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("sidecar-lambda"))
                            .findFirst().orElseThrow().createAsyncProducer()
                    : context.getEndpoint("direct:bench").createAsyncProducer();
            producer.start();
        }

        void send(Consumer<Long> done) {
            Exchange exchange = producer.getEndpoint().createExchange();
            exchange.getMessage().setBody(PAYLOAD);
            long t0 = System.nanoTime();
            producer.process(exchange, doneSync -> done.accept(exchange.getException() == null ? System.nanoTime() - t0 : -1));
        }

        @Override
        public void close() {
            producer.stop();
            context.stop();
        }
    }

    /** camel-aws2-lambda's producer: synchronous, so each in-flight call holds a caller thread. */
    static final class Aws2Lambda implements AutoCloseable {
        private static final int THREADS = 8;
        private final CamelContext context = new DefaultCamelContext();
        private final LambdaClient client;
        private final ProducerTemplate template;

        Aws2Lambda(AwsEmulator emulator, String function) throws Exception {
            client = LambdaClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(emulator.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(emulator.credentialsFor(ROLE).resolveCredentials()))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build();
            context.getRegistry().bind("lambdaClient", client);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:aws2").to("aws2-lambda:" + function + "?operation=invokeFunction&awsLambdaClient=#lambdaClient");
                }
            });
            context.start();
            template = context.createProducerTemplate();
        }

        Result run(Duration duration) throws InterruptedException {
            long[] histogram = new long[2_000_000];
            AtomicLong completed = new AtomicLong();
            AtomicInteger errors = new AtomicInteger();
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            CountDownLatch finished = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                new Thread(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        Exchange result = template.request("direct:aws2", e -> e.getMessage().setBody(PAYLOAD));
                        if (result.getException() != null) {
                            errors.incrementAndGet();
                            continue;
                        }
                        int micros = (int) Math.min(histogram.length - 1, (System.nanoTime() - t0) / 1000);
                        synchronized (histogram) {
                            histogram[micros]++;
                        }
                        completed.incrementAndGet();
                    }
                    finished.countDown();
                }).start();
            }
            finished.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("camel-aws2-lambda (sync producer, 8 caller threads)", completed.get() / seconds,
                    percentile(histogram, completed.get(), 0.50), percentile(histogram, completed.get(), 0.99), errors.get());
        }

        @Override
        public void close() {
            context.stop();
            client.close();
        }
    }
}
