package io.github.sidecarlambda.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * The sidecar mode's own cost: a pre- and a post-processor around a 0 ms backend, against two raw SDK invocations in
 * a row with inputs of the same shape and size (what the two sidecar calls cost on the wire and in the function).
 * The difference of the p50 latencies is what the component adds: building the inputs, credentials, parsing and
 * applying the answers, Camel's routing. Run with the command in docs/benchmark.md.
 */
public final class SidecarBenchmark {

    private static final String ROLE = "arn:aws:iam::222233334444:role/Boomi_sidecar_connector_bench";
    private static final byte[] BODY = "{\"order\":42,\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
    // the same shape and size as the inputs the component sends for the exchange below
    private static final byte[] PRE_INPUT =
            ("{\"masheryMessageId\":\"0A1B2C3D4E5F607-0000000000000001\",\"point\":\"PreProcessor\","
                            + "\"synchronicity\":\"RequestResponse\",\"packageKey\":\"pk-acme-1\",\"request\":{\"headers\":{\"content-type\":"
                            + "\"application/json\",\"user-agent\":\"bench/1.0\",\"x-api-key\":\"pk-acme-1\"},\"payloadLength\":29,"
                            + "\"payload\":\"{\\\"order\\\":42,\\\"items\\\":[1,2,3]}\",\"payloadBase64Encoded\":false}}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] POST_INPUT =
            ("{\"masheryMessageId\":\"0A1B2C3D4E5F607-0000000000000001\",\"point\":\"PostProcessor\","
                            + "\"synchronicity\":\"RequestResponse\",\"packageKey\":\"pk-acme-1\",\"response\":{\"code\":200,\"headers\":{"
                            + "\"content-type\":\"application/json\",\"x-api-key\":\"pk-acme-1\",\"x-checked\":\"1\"},\"payloadLength\":11,"
                            + "\"payload\":\"{\\\"ok\\\":true}\",\"payloadBase64Encoded\":false}}")
                    .getBytes(StandardCharsets.UTF_8);

    private SidecarBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Duration measure = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "5")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.warmup", "60")));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "5"));
        int inFlight = Integer.parseInt(System.getProperty("bench.inFlight", "64"));
        String peerMode = System.getProperty("bench.peer", "process");

        java.nio.file.Path seed = java.nio.file.Files.createTempFile("bench-seed", ".json");
        java.nio.file.Files.writeString(seed, ProducerBenchmark.seedJson());
        try (ProducerBenchmark.Peer peer = peerMode.equals("inProcess")
                        ? new ProducerBenchmark.InProcessPeer(seed)
                        : new ProducerBenchmark.ProcessPeer(
                                seed,
                                "process",
                                System.getProperty("bench.peerCpus", "1"),
                                System.getProperty("bench.clientCpus", "0"));
                Raw raw = new Raw(peer, inFlight);
                Gateway gateway = new Gateway(peer, inFlight)) {
            System.out.printf(
                    Locale.ROOT,
                    "peer: %s; %d s warm-up (alternating), %d rounds of %d s, %d in flight%n",
                    peer,
                    warmup.toSeconds(),
                    rounds,
                    measure.toSeconds(),
                    inFlight);
            for (long s = 0; s < warmup.toSeconds(); s += 5) {
                ProducerBenchmark.run(raw::send, inFlight, Duration.ofSeconds(5));
                ProducerBenchmark.run(gateway::send, inFlight, Duration.ofSeconds(5));
            }
            List<ProducerBenchmark.Result> raws = new ArrayList<>();
            List<ProducerBenchmark.Result> ours = new ArrayList<>();
            double[] added = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    raws.add(ProducerBenchmark.run(raw::send, inFlight, measure));
                    ours.add(ProducerBenchmark.run(gateway::send, inFlight, measure));
                } else {
                    ours.add(ProducerBenchmark.run(gateway::send, inFlight, measure));
                    raws.add(ProducerBenchmark.run(raw::send, inFlight, measure));
                }
                added[r] = ours.get(r).p50Millis() - raws.get(r).p50Millis();
                System.out.printf(
                        Locale.ROOT,
                        "round %d: raw 2 invokes p50 %.2f ms (%.0f/s, %.1f µs CPU), pre+post sidecar "
                                + "p50 %.2f ms (%.0f/s, %.1f µs CPU), added %.2f ms%n",
                        r,
                        raws.get(r).p50Millis(),
                        raws.get(r).throughput(),
                        raws.get(r).cpuMicros(),
                        ours.get(r).p50Millis(),
                        ours.get(r).throughput(),
                        ours.get(r).cpuMicros(),
                        added[r]);
            }
            long errors = raws.stream()
                            .mapToLong(ProducerBenchmark.Result::errors)
                            .sum()
                    + ours.stream().mapToLong(ProducerBenchmark.Result::errors).sum();
            double[] sorted = added.clone();
            Arrays.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "%n| in flight | client | calls/s | p50 (ms) | p99 (ms) | client CPU µs/call |%n"
                            + "|---|---|---|---|---|---|%n"
                            + "| %d | raw SDK, pre input then post input | %.0f | %.2f | %.2f | %.1f |%n"
                            + "| %d | route: pre sidecar, 0 ms backend, post sidecar | %.0f | %.2f | %.2f | %.1f |%n%n"
                            + "p50 added by the component, median of the rounds: %.2f ms (rounds %.2f to %.2f; "
                            + "target <= 1 ms); errors %d%n",
                    inFlight,
                    ProducerBenchmark.median(raws, ProducerBenchmark.Result::throughput),
                    ProducerBenchmark.median(raws, ProducerBenchmark.Result::p50Millis),
                    ProducerBenchmark.median(raws, ProducerBenchmark.Result::p99Millis),
                    ProducerBenchmark.median(raws, ProducerBenchmark.Result::cpuMicros),
                    inFlight,
                    ProducerBenchmark.median(ours, ProducerBenchmark.Result::throughput),
                    ProducerBenchmark.median(ours, ProducerBenchmark.Result::p50Millis),
                    ProducerBenchmark.median(ours, ProducerBenchmark.Result::p99Millis),
                    ProducerBenchmark.median(ours, ProducerBenchmark.Result::cpuMicros),
                    sorted[rounds / 2],
                    sorted[0],
                    sorted[rounds - 1],
                    errors);
        } finally {
            java.nio.file.Files.deleteIfExists(seed);
        }
    }

    /** The baseline: the two invocations a sidecar pair makes, by hand, with static credentials. */
    static final class Raw implements AutoCloseable {
        private final LambdaAsyncClient client;

        Raw(ProducerBenchmark.Peer peer, int inFlight) {
            client = LambdaAsyncClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(peer.lambdaEndpoint())
                    .credentialsProvider(peer.roleCredentials())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight))
                    .build();
        }

        void send(Consumer<Long> done) {
            long t0 = System.nanoTime();
            client.invoke(InvokeRequest.builder()
                            .functionName("Sidecar")
                            .payload(SdkBytes.fromByteArray(PRE_INPUT))
                            .build())
                    .thenCompose(pre -> client.invoke(InvokeRequest.builder()
                            .functionName("Sidecar")
                            .payload(SdkBytes.fromByteArray(POST_INPUT))
                            .build()))
                    .whenComplete((r, e) ->
                            done.accept(e == null && r.functionError() == null ? System.nanoTime() - t0 : -1));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The sidecar pair in a route around a 0 ms backend, driven through Camel's async API. */
    static final class Gateway implements AutoCloseable {
        private final CamelContext context = new DefaultCamelContext();
        private final AsyncProducer producer;

        Gateway(ProducerBenchmark.Peer peer, int inFlight) throws Exception {
            ProducerBenchmark.useAwsOf(
                    peer,
                    context.getComponent("sidecar-lambda", io.github.sidecarlambda.SidecarLambdaComponent.class)
                            .getConfiguration());
            String fn = "sidecar-lambda:Sidecar?roleArn=" + ROLE + "&externalIdKey=bench/prod/trustKey&maxConcurrency="
                    + inFlight;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:gateway")
                            .to(fn + "&sidecar=PreProcessor&expandInput=requestPayload")
                            .process(
                                    e -> { // the backend, 0 ms
                                        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                                        e.getMessage().setBody("{\"ok\":true}");
                                    })
                            .to(fn + "&sidecar=PostProcessor&expandInput=responsePayload");
                }
            });
            context.start();
            producer = context.getEndpoint("direct:gateway").createAsyncProducer();
            producer.start();
        }

        void send(Consumer<Long> done) {
            Exchange exchange = producer.getEndpoint().createExchange();
            exchange.getMessage().setBody(BODY);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/orders");
            exchange.getMessage().setHeader("Content-Type", "application/json");
            exchange.getMessage().setHeader("User-Agent", "bench/1.0");
            exchange.getMessage().setHeader("x-api-key", "pk-acme-1");
            exchange.getMessage().setHeader("CamelSidecarLambdaPackageKey", "pk-acme-1");
            long t0 = System.nanoTime();
            producer.process(
                    exchange,
                    doneSync -> done.accept(
                            exchange.getException() == null
                                            && "modify"
                                                    .equals(exchange.getMessage()
                                                            .getHeader("CamelSidecarLambdaOutcome"))
                                    ? System.nanoTime() - t0
                                    : -1));
        }

        @Override
        public void close() {
            producer.stop();
            context.stop();
        }
    }
}
