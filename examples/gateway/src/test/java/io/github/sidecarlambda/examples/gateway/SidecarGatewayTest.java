package io.github.sidecarlambda.examples.gateway;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.LambdaHandler;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.emulator.SidecarHandlers;
import io.github.sidecarlambda.testing.EmulatorEnvironment;
import io.github.sidecarlambda.testing.SidecarSchemas;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.REGION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway over real HTTP (java.net.http against the running Vert.x server): client → platform-http →
 * pre-processor → backend (another platform-http route, called over HTTP) → post-processor → client, with the
 * customer's functions in the embedded AWS emulator answering like the contract's sample functions. Every input the
 * functions receive and every answer they give is checked against the contract's JSON Schemas.
 */
class SidecarGatewayTest extends CamelTestSupport {

    static final String ROLE = "arn:aws:iam::" + CUSTOMER_ACCOUNT + ":role/Boomi_sidecar_connector_gateway";
    static final String KEY = "acme/prod/trustKey";
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    static final AtomicInteger BACKEND_CALLS = new AtomicInteger();
    static final AtomicInteger CACHEABLE_RUNS = new AtomicInteger();
    /** Every input each function received, by function name. */
    static final java.util.Map<String, List<String>> INPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static AwsEmulator emulator;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AwsEmulator.Builder b = SeedScenario.builder()
                .account(
                        CUSTOMER_ACCOUNT,
                        a -> a.role(
                                "/",
                                "Boomi_sidecar_connector_gateway",
                                SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, SeedScenario.EXTERNAL_ID),
                                SeedScenario.invokePolicy(
                                        "arn:aws:lambda:" + REGION + ":" + CUSTOMER_ACCOUNT + ":function:sidecar-*")));
        function(b, "sidecar-allow", SidecarHandlers.allow(), Duration.ZERO);
        function(b, "sidecar-terminate-403", SidecarHandlers.terminate(403, "No orders on Sundays"), Duration.ZERO);
        function(b, "sidecar-modify", SidecarHandlers.modify(), Duration.ZERO);
        function(b, "sidecar-post-modify", SidecarHandlers.postModify(299), Duration.ZERO);
        function(b, "sidecar-complete-with-code", SidecarHandlers.complete(202), Duration.ZERO);
        function(b, "sidecar-error", SidecarHandlers.fail("the fraud service is down"), Duration.ZERO);
        function(b, "sidecar-invalid", SidecarHandlers.fixed("{\"terminate\":{\"code\":\"soon\"}}"), Duration.ZERO);
        function(b, "sidecar-slow", SidecarHandlers.allow(), Duration.ofSeconds(3));
        function(b, "sidecar-event", SidecarHandlers.allow(), Duration.ofSeconds(1));
        function(b, "sidecar-relay", SidecarHandlers.fixed("{\"relay\":{\"tier\":\"gold\"}}"), Duration.ZERO);
        // the post-processor reads the relayed value from its params, as the gateway's post-processors do
        function(
                b,
                "sidecar-post-relay",
                (payload, ctx) -> ("{\"modify\":{\"addHeaders\":{\"x-relayed-tier\":\""
                                + (new String(payload, StandardCharsets.UTF_8)
                                                .contains("\"params\":{\"tier\":\"gold\"}")
                                        ? "gold"
                                        : "none")
                                + "\"}}}")
                        .getBytes(StandardCharsets.UTF_8),
                Duration.ZERO);
        // answers "the same for an hour" and counts how often it really ran
        function(
                b,
                "sidecar-cacheable",
                (payload, ctx) -> ("{\"unchangedUntil\":\""
                                + java.time.Instant.now().plusSeconds(3600)
                                + "\",\"modify\":{\"addHeaders\":{\"x-answer\":\"" + CACHEABLE_RUNS.incrementAndGet()
                                + "\"}}}")
                        .getBytes(StandardCharsets.UTF_8),
                Duration.ZERO);
        function(
                b,
                "sidecar-reroute",
                SidecarHandlers.fixed(
                        "{\"modify\":{\"changeRoute\":{\"file\":\"/backend/other\",\"httpVerb\":\"PUT\"}}}"),
                Duration.ZERO);
        emulator = b.start();
    }

    /** Each function's input and (unless it fails on purpose) answer must satisfy the contract's schemas. */
    private static void function(AwsEmulator.Builder b, String name, LambdaHandler handler, Duration latency) {
        LambdaHandler checked = (payload, ctx) -> {
            String input = new String(payload, StandardCharsets.UTF_8);
            INPUTS.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(input);
            SidecarSchemas.input(input).forEach(m -> PROBLEMS.add(name + " input: " + m + " in " + input));
            byte[] out = handler.handle(payload, ctx);
            String answer = new String(out, StandardCharsets.UTF_8);
            boolean pre = input.contains("\"point\":\"PreProcessor\"");
            if (!name.equals("sidecar-invalid")) {
                (pre ? SidecarSchemas.preAnswer(answer) : SidecarSchemas.postAnswer(answer))
                        .forEach(m -> PROBLEMS.add(name + " answer: " + m + " in " + answer));
            }
            return out;
        };
        b.function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, name, checked).latency(latency));
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @AfterEach
    void everyInputAndAnswerFollowedTheContract() {
        assertThat(PROBLEMS).isEmpty();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        EmulatorEnvironment.apply(context, emulator);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(conf));
        return context;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        String backend = "http://127.0.0.1:" + port + "/backend/orders";
        SidecarGateway gateway = new SidecarGateway(ROLE, KEY)
                .api(new SidecarGateway.Api("/allow", backend, "sidecar-allow", "", "sidecar-allow", ""))
                .api(new SidecarGateway.Api("/deny", backend, "sidecar-terminate-403", "", "sidecar-allow", ""))
                .api(new SidecarGateway.Api(
                        "/modify", backend, "sidecar-modify", "&expandInput=requestPayload", "sidecar-post-modify", ""))
                .api(new SidecarGateway.Api(
                        "/complete", backend, "sidecar-complete-with-code", "", "sidecar-allow", ""))
                .api(new SidecarGateway.Api("/error", backend, "sidecar-error", "", "sidecar-allow", ""))
                .api(new SidecarGateway.Api("/invalid", backend, "sidecar-invalid", "", "sidecar-allow", ""))
                .api(new SidecarGateway.Api(
                        "/slow", backend, "sidecar-slow", "&sidecarTimeout=500", "sidecar-allow", ""))
                .api(new SidecarGateway.Api(
                        "/failsafe", backend, "sidecar-error", "&failSafe=true", "sidecar-allow", ""))
                .api(new SidecarGateway.Api(
                        "/required",
                        backend,
                        "sidecar-allow",
                        "&requireRequestHeaders=x-client-id",
                        "sidecar-allow",
                        ""))
                .api(new SidecarGateway.Api(
                        "/limited",
                        backend,
                        "sidecar-allow",
                        "&maxPayloadSize=1&expandInput=requestPayload",
                        "sidecar-allow",
                        ""))
                .api(new SidecarGateway.Api(
                        "/filtered",
                        backend,
                        "sidecar-allow",
                        "&maxPayloadSize=1&maxPayloadCondition=filtering&expandInput=requestPayload",
                        "sidecar-allow",
                        ""))
                .api(new SidecarGateway.Api(
                        "/event", backend, "sidecar-event", "&synchronicity=Event", "sidecar-allow", ""))
                .api(new SidecarGateway.Api("/relay", backend, "sidecar-relay", "", "sidecar-post-relay", ""))
                .api(new SidecarGateway.Api(
                        "/cached",
                        backend,
                        "sidecar-cacheable",
                        "&answerCacheSize=100&expandInput=requestPayload",
                        "sidecar-allow",
                        ""))
                .api(new SidecarGateway.Api("/reroute", backend, "sidecar-reroute", "", "sidecar-allow", ""));
        RouteBuilder backendRoute = new RouteBuilder() {
            @Override
            public void configure() {
                // the API's backend: tells what it received, and sends a header the post-processor drops
                from("platform-http:/backend/orders").process(e -> {
                    BACKEND_CALLS.incrementAndGet();
                    String body = e.getMessage().getBody(String.class);
                    String point = e.getMessage().getHeader("x-sidecar-point", String.class);
                    String drop = e.getMessage().getHeader("x-drop-me", String.class);
                    e.getMessage().getHeaders().clear();
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getMessage().setHeader("x-drop-me", "from-backend");
                    e.getMessage()
                            .setBody("{\"received\":" + quote(body) + ",\"x-sidecar-point\":" + quote(point)
                                    + ",\"x-drop-me\":" + quote(drop) + "}");
                });
                // where a pre-processor's changeRoute sends the call
                from("platform-http:/backend/other").process(e -> {
                    String method = e.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
                    e.getMessage().getHeaders().clear();
                    e.getMessage().setBody("{\"other\":true,\"method\":" + quote(method) + "}");
                });
            }
        };
        return new RoutesBuilder[] {gateway, backendRoute};
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/plain")
                .header("x-api-key", "pk-acme-1")
                .header("x-drop-me", "client")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allowPassesTheCallThroughUnchanged() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/allow", "order 1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"received\":\"order 1\",\"x-sidecar-point\":null,\"x-drop-me\":\"client\"}");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls + 1);
        assertThat(emulator.count("lambda", "Invoke", true)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void terminateAnswersTheClientAndSkipsTheBackend() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/deny", "order 2");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("<h1><![CDATA[No orders on Sundays]]></h1>");
        assertThat(response.headers().firstValue("x-sidecar-decision")).hasValue("terminated");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/xml");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
    }

    @Test
    void modifyChangesTheRequestBeforeTheBackendAndTheResponseAfterIt() throws Exception {
        HttpResponse<String> response = post("/modify", "order 3");

        // post-processor: code 299, the backend's x-drop-me dropped, and it saw the backend's status 200
        assertThat(response.statusCode()).isEqualTo(299);
        assertThat(response.headers().firstValue("x-backend-code")).hasValue("200");
        assertThat(response.headers().firstValue("x-drop-me")).isEmpty();
        // pre-processor: the backend received the json payload wrapping the original, x-sidecar-point added,
        // and the client's x-drop-me dropped
        assertThat(response.body())
                .isEqualTo("{\"received\":\"{\\\"wrapped\\\":\\\"order 3\\\"}\","
                        + "\"x-sidecar-point\":\"PreProcessor\",\"x-drop-me\":null}");
    }

    @Test
    void completeWithCodeAnswersFromTheSidecarWithoutTheBackend() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/complete", "order 4");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"answeredBy\":\"sidecar\"}");
        assertThat(response.headers().firstValue("x-sidecar-decision")).hasValue("completed");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
    }

    @Test
    void aFunctionErrorIs502WithTheContractsBody() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/error", "order 5");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body())
                .isEqualTo(
                        "{\"code\":502,\"message\":{\"detail\":\"the fraud service is down\",\"title\":\"RuntimeException\"}}");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
    }

    @Test
    void anInvalidAnswerIs500() throws Exception {
        HttpResponse<String> response = post("/invalid", "order 6");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"title\":\"InvalidResponseFromAWSLambdaInPreProcess\"");
    }

    @Test
    void aSidecarSlowerThanSidecarTimeoutIs504() throws Exception {
        int calls = BACKEND_CALLS.get();
        long start = System.nanoTime();

        HttpResponse<String> response = post("/slow", "order 7");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"title\":\"SidecarTimeout\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
    }

    @Test
    void failSafeLetsTheCallContinueWhenTheSidecarFails() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/failsafe", "order 8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"received\":\"order 8\",\"x-sidecar-point\":null,\"x-drop-me\":\"client\"}");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls + 1);
        assertThat(context.getEndpoints())
                .filteredOn(e -> e.getEndpointUri().contains("failSafe=true"))
                .singleElement()
                .extracting("sidecarFailSafeCount")
                .isEqualTo(1L);
    }

    @Test
    void aMissingRequiredHeaderIs400AndNothingIsCalled() throws Exception {
        int calls = BACKEND_CALLS.get();
        int inputs = INPUTS.getOrDefault("sidecar-allow", List.of()).size();

        HttpResponse<String> response = post("/required", "order 9");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains("\"title\":\"RequiredHeaderConditionFailure\"")
                .contains("x-client-id");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
        assertThat(INPUTS.getOrDefault("sidecar-allow", List.of())).hasSize(inputs);

        HttpResponse<String> withHeader = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/required"))
                                .header("x-client-id", "c-1")
                                .POST(HttpRequest.BodyPublishers.ofString("order 9"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(withHeader.statusCode()).isEqualTo(200);
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls + 1);
    }

    @Test
    void aPayloadOverMaxPayloadSizeIs413WhenBlocking() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/limited", "x".repeat(2000));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"title\":\"PayloadTooLarge\"");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
        assertThat(post("/limited", "small").statusCode()).isEqualTo(200);
    }

    @Test
    void aPayloadOverMaxPayloadSizeIsLeftOutOfTheInputWhenFiltering() throws Exception {
        String big = "y".repeat(2000);

        HttpResponse<String> response = post("/filtered", big);

        assertThat(response.statusCode()).isEqualTo(200);
        // the function saw the request without its payload (but with its length); the backend got all of it
        String input = INPUTS.get("sidecar-allow").stream()
                .filter(i -> i.contains("\"endpointId\":\"/filtered\"") && i.contains("\"point\":\"PreProcessor\""))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(input).contains("\"payloadLength\":2000").doesNotContain(big).doesNotContain("\"payload\":");
        assertThat(response.body())
                .isEqualTo("{\"received\":\"" + big + "\",\"x-sidecar-point\":null,\"x-drop-me\":\"client\"}");
    }

    @Test
    void anEventSidecarDoesNotHoldTheCall() throws Exception {
        int calls = BACKEND_CALLS.get();
        int before = INPUTS.getOrDefault("sidecar-event", List.of()).size();
        long start = System.nanoTime();

        HttpResponse<String> response = post("/event", "order 10");

        // the function takes 1 s; the client does not wait for it, and its answer cannot change the call
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"received\":\"order 10\",\"x-sidecar-point\":null,\"x-drop-me\":\"client\"}");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls + 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (INPUTS.getOrDefault("sidecar-event", List.of()).size() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> inputs = INPUTS.get("sidecar-event");
        assertThat(inputs.get(inputs.size() - 1)).contains("\"synchronicity\":\"Event\"");
    }

    @Test
    void aPreProcessorsRelayReachesThePostProcessor() throws Exception {
        HttpResponse<String> response = post("/relay", "order 11");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-relayed-tier")).hasValue("gold");
    }

    @Test
    void anAnswerUnchangedUntilLaterIsReusedForTheSameRequest() throws Exception {
        int runs = CACHEABLE_RUNS.get();

        HttpResponse<String> first = post("/cached", "order 12");
        HttpResponse<String> second = post("/cached", "order 12");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(CACHEABLE_RUNS.get()).isEqualTo(runs + 1);
        assertThat(second.body()).isEqualTo(first.body());
        // another payload is another input (expandInput=requestPayload): the function runs again
        assertThat(post("/cached", "order 13").statusCode()).isEqualTo(200);
        assertThat(CACHEABLE_RUNS.get()).isEqualTo(runs + 2);
    }

    @Test
    void changeRouteSendsTheCallToAnotherBackendPathAndVerb() throws Exception {
        int calls = BACKEND_CALLS.get();

        HttpResponse<String> response = post("/reroute", "order 14");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"other\":true,\"method\":\"PUT\"}");
        assertThat(BACKEND_CALLS.get()).isEqualTo(calls);
    }
}
