package io.github.sidecarlambda.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.emulator.SidecarHandlers;
import io.github.sidecarlambda.testing.EmulatorEnvironment;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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

    private static final String ACCOUNT = "222233334444";
    private static final String ROLE = "arn:aws:iam::222233334444:role/Boomi_sidecar_connector_bench";
    private static final String EXTERNAL_ID = "bench-external-id-0001";
    private static final byte[] BODY = "{\"order\":42,\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
    private static final String ANSWER = "{\"modify\":{\"addHeaders\":{\"x-checked\":\"1\"},\"dropHeaders\":[\"user-agent\"]}}";
    // the same shape and size as the inputs the component sends for the exchange below
    private static final byte[] PRE_INPUT = ("{\"masheryMessageId\":\"0A1B2C3D4E5F607-0000000000000001\",\"point\":\"PreProcessor\","
            + "\"synchronicity\":\"RequestResponse\",\"packageKey\":\"pk-acme-1\",\"request\":{\"headers\":{\"content-type\":"
            + "\"application/json\",\"user-agent\":\"bench/1.0\",\"x-api-key\":\"pk-acme-1\"},\"payloadLength\":29,"
            + "\"payload\":\"{\\\"order\\\":42,\\\"items\\\":[1,2,3]}\",\"payloadBase64Encoded\":false}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] POST_INPUT = ("{\"masheryMessageId\":\"0A1B2C3D4E5F607-0000000000000001\",\"point\":\"PostProcessor\","
            + "\"synchronicity\":\"RequestResponse\",\"packageKey\":\"pk-acme-1\",\"response\":{\"code\":200,\"headers\":{"
            + "\"content-type\":\"application/json\",\"x-api-key\":\"pk-acme-1\",\"x-checked\":\"1\"},\"payloadLength\":11,"
            + "\"payload\":\"{\\\"ok\\\":true}\",\"payloadBase64Encoded\":false}}").getBytes(StandardCharsets.UTF_8);

    private SidecarBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        Duration measure = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "5")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.warmup", "12")));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "6"));
        int inFlight = Integer.parseInt(System.getProperty("bench.inFlight", "64"));

        try (AwsEmulator emulator = SeedScenario.builder()
                .account(ACCOUNT, a -> a.role("/", "Boomi_sidecar_connector_bench",
                        SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, EXTERNAL_ID),
                        SeedScenario.invokePolicy("arn:aws:lambda:us-east-1:222233334444:function:*")))
                .parameter(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, "/bench/prod/trustKey", EXTERNAL_ID, true)
                .function(FunctionSpec.of(ACCOUNT, SeedScenario.REGION, "Sidecar", SidecarHandlers.fixed(ANSWER)))
                .start();
             Raw raw = new Raw(emulator, inFlight);
             Gateway gateway = new Gateway(emulator, inFlight)) {
            ProducerBenchmark.run(raw::send, inFlight, warmup);
            ProducerBenchmark.run(gateway::send, inFlight, warmup);
            ProducerBenchmark.Result[] raws = new ProducerBenchmark.Result[rounds];
            ProducerBenchmark.Result[] ours = new ProducerBenchmark.Result[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    raws[r] = ProducerBenchmark.run(raw::send, inFlight, measure);
                    ours[r] = ProducerBenchmark.run(gateway::send, inFlight, measure);
                } else {
                    ours[r] = ProducerBenchmark.run(gateway::send, inFlight, measure);
                    raws[r] = ProducerBenchmark.run(raw::send, inFlight, measure);
                }
                System.out.printf(Locale.ROOT, "round %d: raw 2 invokes p50 %.2f ms (%.0f calls/s), pre+post sidecar p50 "
                                               + "%.2f ms (%.0f calls/s), added %.2f ms%n", r, raws[r].p50Millis(),
                        raws[r].throughput(), ours[r].p50Millis(), ours[r].throughput(),
                        ours[r].p50Millis() - raws[r].p50Millis());
            }
            double rawP50 = Arrays.stream(raws).mapToDouble(ProducerBenchmark.Result::p50Millis).average().orElse(0);
            double ourP50 = Arrays.stream(ours).mapToDouble(ProducerBenchmark.Result::p50Millis).average().orElse(0);
            double rawP99 = Arrays.stream(raws).mapToDouble(ProducerBenchmark.Result::p99Millis).average().orElse(0);
            double ourP99 = Arrays.stream(ours).mapToDouble(ProducerBenchmark.Result::p99Millis).average().orElse(0);
            long errors = Arrays.stream(raws).mapToLong(ProducerBenchmark.Result::errors).sum()
                          + Arrays.stream(ours).mapToLong(ProducerBenchmark.Result::errors).sum();
            System.out.printf(Locale.ROOT, "%n| in flight | client | p50 (ms) | p99 (ms) |%n|---|---|---|---|%n"
                                           + "| %d | raw SDK, pre input then post input | %.2f | %.2f |%n"
                                           + "| %d | route: pre sidecar, 0 ms backend, post sidecar | %.2f | %.2f |%n%n"
                                           + "p50 added by the component: %.2f ms (target <= 1 ms); errors %d%n",
                    inFlight, rawP50, rawP99, inFlight, ourP50, ourP99, ourP50 - rawP50, errors);
            System.out.printf(Locale.ROOT, "emulator calls: AssumeRole=%d GetParameter=%d Invoke=%d%n",
                    emulator.count("sts", "AssumeRole"), emulator.count("ssm", "GetParameter"),
                    emulator.count("lambda", "Invoke"));
        }
    }

    /** The baseline: the two invocations a sidecar pair makes, by hand, with static credentials. */
    static final class Raw implements AutoCloseable {
        private final LambdaAsyncClient client;

        Raw(AwsEmulator emulator, int inFlight) {
            client = LambdaAsyncClient.builder().region(Region.US_EAST_1).endpointOverride(emulator.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(emulator.credentialsFor(ROLE).resolveCredentials()))
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight)).build();
        }

        void send(Consumer<Long> done) {
            long t0 = System.nanoTime();
            client.invoke(InvokeRequest.builder().functionName("Sidecar").payload(SdkBytes.fromByteArray(PRE_INPUT)).build())
                    .thenCompose(pre -> client.invoke(InvokeRequest.builder().functionName("Sidecar")
                            .payload(SdkBytes.fromByteArray(POST_INPUT)).build()))
                    .whenComplete((r, e) -> done.accept(e == null && r.functionError() == null ? System.nanoTime() - t0 : -1));
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

        Gateway(AwsEmulator emulator, int inFlight) throws Exception {
            EmulatorEnvironment.apply(context, emulator);
            String fn = "sidecar-lambda:Sidecar?roleArn=" + ROLE + "&externalIdKey=bench/prod/trustKey&maxConcurrency="
                        + inFlight;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:gateway")
                            .to(fn + "&sidecar=PreProcessor&expandInput=requestPayload")
                            .process(e -> { // the backend, 0 ms
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
            producer.process(exchange, doneSync -> done.accept(exchange.getException() == null
                                                               && "modify".equals(exchange.getMessage()
                                                                       .getHeader("CamelSidecarLambdaOutcome"))
                    ? System.nanoTime() - t0 : -1));
        }

        @Override
        public void close() {
            producer.stop();
            context.stop();
        }
    }
}
