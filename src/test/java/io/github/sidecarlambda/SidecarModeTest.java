package io.github.sidecarlambda;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.LambdaHandler;
import io.github.sidecarlambda.emulator.SidecarHandlers;
import io.github.sidecarlambda.testing.SidecarSchemas;

import static io.github.sidecarlambda.emulator.SeedScenario.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sidecar mode at the exchange level (the HTTP gateway itself is tested in examples/gateway): the input the function
 * receives, the answers applied as a whole or not at all, refusals before any invocation, the answer cache and relay.
 */
class SidecarModeTest extends SidecarLambdaTestSupport {

    static final BlockingQueue<String> INPUTS = new LinkedBlockingQueue<>();

    static LambdaHandler capturing(String answer) {
        return (payload, ctx) -> {
            INPUTS.add(new String(payload, StandardCharsets.UTF_8));
            return answer.getBytes(StandardCharsets.UTF_8);
        };
    }

    @BeforeAll
    static void functions() {
        String until = Instant.now()
                .plus(1, ChronoUnit.HOURS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        put("SidecarCapture", capturing("{}"));
        put(
                "SidecarHalf",
                SidecarHandlers.fixed(
                        "{\"modify\":{\"addHeaders\":{\"x-added\":\"1\"},\"json\":{\"replaced\":true},\"changeRoute\":{\"port\":70000}}}"));
        put(
                "SidecarHostOnly",
                SidecarHandlers.fixed(
                        "{\"modify\":{\"addHeaders\":{\"x-added\":\"1\"},\"changeRoute\":{\"host\":\"elsewhere.example\",\"httpVerb\":\"put\"}}}"));
        put(
                "SidecarCached",
                SidecarHandlers.fixed(
                        "{\"unchangedUntil\":\"" + until + "\",\"modify\":{\"addHeaders\":{\"x-cached\":\"yes\"}}}"));
        put("SidecarRelay", SidecarHandlers.fixed("{\"relay\":{\"audit\":false,\"level\":3}}"));
    }

    private static void put(String name, LambdaHandler handler) {
        emulator.putFunction(FunctionSpec.of(TestScenario.GLOBEX_ACCOUNT, REGION, name, handler));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:capture")
                        .setHeader(SidecarLambdaConstants.SIDECAR_PACKAGE_KEY, constant("pk-123"))
                        .setProperty(SidecarLambdaConstants.SIDECAR_SERVICE_ID, constant("svc-9"))
                        .to(
                                globex("SidecarCapture") + "&sidecar=PreProcessor&expandInput=requestPayload,operation"
                                        + "&includeRequestHeaders=X-Keep,content-type&sidecarParam.region=EU&sidecarParam.tier=gold")
                        .to("mock:backend");
                from("direct:half")
                        .to(globex("SidecarHalf") + "&sidecar=PreProcessor&failSafe=true")
                        .to("mock:backend");
                from("direct:event")
                        .to(globex("SidecarCapture") + "&sidecar=PreProcessor&synchronicity=Event")
                        .to("mock:backend");
                from("direct:hostOnlyFailSafe")
                        .to(globex("SidecarHostOnly") + "&sidecar=PreProcessor&failSafe=true")
                        .to("mock:backend");
                from("direct:hostOnly")
                        .to(globex("SidecarHostOnly") + "&sidecar=PreProcessor")
                        .to("mock:backend");
                from("direct:required")
                        .to(globex("SidecarCapture") + "&sidecar=PreProcessor" + "&requireRequestHeaders=Authorization")
                        .to("mock:backend");
                from("direct:blocking")
                        .to(globex("SidecarCapture") + "&sidecar=PreProcessor&maxPayloadSize=1"
                                + "&expandInput=requestPayload")
                        .to("mock:backend");
                from("direct:filtering")
                        .to(globex("SidecarCapture") + "&sidecar=PreProcessor&maxPayloadSize=1"
                                + "&maxPayloadCondition=filtering&expandInput=requestPayload")
                        .to("mock:backend");
                from("direct:cached")
                        .to(globex("SidecarCached") + "&sidecar=PreProcessor&answerCacheSize=10")
                        .to("mock:backend");
                // Camel's own redelivery, stream caching off: the SDK does not retry, the error handler does
                from("direct:streamRedelivered")
                        .errorHandler(
                                defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .noStreamCaching()
                        .to(globex("SidecarCapture") + "&sidecar=PreProcessor&expandInput=requestPayload&maxRetries=0")
                        .to("mock:backend");
                from("direct:relay")
                        .to(globex("SidecarRelay") + "&sidecar=PreProcessor")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                        .to(globex("SidecarCapture") + "&sidecar=PostProcessor&sidecarParam.stage=post");
            }
        };
    }

    @Test
    void theFunctionReceivesTheContractsInputBuiltFromTheExchange() throws Exception {
        INPUTS.clear();
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedBodiesReceived("{\"order\":1}");

        template.send("direct:capture", e -> {
            e.getMessage().setBody("{\"order\":1}");
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "/orders");
            e.getMessage().setHeader(Exchange.HTTP_URL, "http://gw.example/orders");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "x-keep=query");
            e.getMessage().setHeader("X-Keep", "kept");
            e.getMessage().setHeader("Content-Type", "application/json");
            e.getMessage().setHeader("X-Other", "not included");
        });

        backend.assertIsSatisfied();
        String input = INPUTS.poll(5, TimeUnit.SECONDS);
        assertThat(SidecarSchemas.input(input)).isEmpty();
        assertThat(input)
                .contains(
                        "\"point\":\"PreProcessor\"",
                        "\"synchronicity\":\"RequestResponse\"",
                        "\"packageKey\":\"pk-123\"",
                        "\"serviceId\":\"svc-9\"",
                        "\"params\":{\"region\":\"EU\",\"tier\":\"gold\"}",
                        "\"headers\":{\"content-type\":\"application/json\"}",
                        "\"payload\":\"{\\\"order\\\":1}\"",
                        "\"payloadLength\":11",
                        "\"payloadBase64Encoded\":false",
                        "\"operation\":{\"httpVerb\":\"POST\",\"path\":\"/orders\",\"query\":{\"x-keep\":\"query\"},"
                                + "\"uri\":\"http://gw.example/orders?x-keep=query\"}");
        // x-keep arrived as a query parameter (Camel copies those into headers), not as a request header
        assertThat(input).doesNotContain("kept", "X-Other", "x-other");
    }

    @Test
    void aMalformedAnswerNeverHalfAppliesAndFailSafeLetsTheCallContinueUnchanged() throws Exception {
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedBodiesReceived("original");
        SidecarLambdaEndpoint endpoint = context.getEndpoints().stream()
                .filter(e -> e.getEndpointUri().contains("SidecarHalf"))
                .map(SidecarLambdaEndpoint.class::cast)
                .findFirst()
                .orElseThrow();
        long before = endpoint.getSidecarFailSafeCount();

        template.sendBodyAndHeader("direct:half", "original", "X-Client", "c");

        backend.assertIsSatisfied();
        assertThat(backend.getExchanges().get(0).getMessage().getHeaders())
                .containsEntry("X-Client", "c")
                .containsEntry(SidecarLambdaConstants.SIDECAR_OUTCOME, "failSafe")
                .doesNotContainKey("x-added");
        assertThat(endpoint.getSidecarFailSafeCount()).isEqualTo(before + 1);
    }

    @Test
    void anAnswerThatCannotApplyIsTheContracts500AndTheBackendIsNotCalled() throws Exception {
        getMockEndpoint("mock:backend").expectedMessageCount(0);

        Exchange out = template.send("direct:hostOnly", e -> e.getMessage().setBody("original"));

        assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(out.getMessage().getBody(String.class))
                .startsWith("{\"code\":500,\"message\":{\"detail\":")
                .endsWith("\"title\":\"InvalidResponseFromAWSLambdaInPreProcess\"}}");
        assertThat(out.getMessage().getHeaders()).doesNotContainKey("x-added");
        getMockEndpoint("mock:backend").assertIsSatisfied();
    }

    @Test
    void anAnswerRefusedWhileApplyingLeavesNoTrace() throws Exception {
        // addHeaders is valid, but changeRoute.host needs a backend URI the route did not set: nothing may change
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedBodiesReceived("original");

        template.sendBodyAndHeader("direct:hostOnlyFailSafe", "original", Exchange.HTTP_METHOD, "GET");

        backend.assertIsSatisfied();
        assertThat(backend.getExchanges().get(0).getMessage().getHeaders())
                .containsEntry(Exchange.HTTP_METHOD, "GET")
                .containsEntry(SidecarLambdaConstants.SIDECAR_OUTCOME, "failSafe")
                .doesNotContainKey("x-added");
    }

    @Test
    void changeRouteRewritesTheBackendUriHeaderAndTheMethod() throws Exception {
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedMessageCount(1);

        template.sendBodyAndHeader(
                "direct:hostOnly",
                "original",
                SidecarLambdaConstants.SIDECAR_BACKEND_URI,
                "http://backend.internal:8080/orders?id=7");

        backend.assertIsSatisfied();
        assertThat(backend.getExchanges().get(0).getMessage().getHeaders())
                .containsEntry(SidecarLambdaConstants.SIDECAR_BACKEND_URI, "http://elsewhere.example:8080/orders?id=7")
                .containsEntry(Exchange.HTTP_METHOD, "PUT")
                .containsEntry("x-added", "1");
    }

    @Test
    void anEventSidecarGetsTheInputAndTheCallContinuesUnchanged() throws Exception {
        INPUTS.clear();
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedBodiesReceived("fire and forget");

        template.sendBody("direct:event", "fire and forget");

        backend.assertIsSatisfied();
        assertThat(backend.getExchanges().get(0).getMessage().getHeader(SidecarLambdaConstants.SIDECAR_OUTCOME))
                .isEqualTo("continue");
        String input = INPUTS.poll(5, TimeUnit.SECONDS);
        assertThat(input).contains("\"synchronicity\":\"Event\"");
        assertThat(SidecarSchemas.input(input)).isEmpty();
    }

    @Test
    void aMissingRequiredHeaderIs400WithoutInvokingTheFunction() {
        Exchange out = template.send("direct:required", e -> e.getMessage().setBody("x"));

        assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(out.getMessage().getBody(String.class))
                .isEqualTo("{\"code\":400,\"message\":{\"detail\":\"Required Header - authorization Unavailable\","
                        + "\"title\":\"RequiredHeaderConditionFailure\"}}");
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void aPayloadOverTheLimitIsBlockedWith413OrSentWithoutItWhenFiltering() throws Exception {
        String big = "x".repeat(2000);
        INPUTS.clear();

        Exchange blocked = template.send("direct:blocking", e -> e.getMessage().setBody(big));
        assertThat(blocked.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(413);
        assertThat(emulator.count("lambda", "Invoke")).isZero();

        getMockEndpoint("mock:backend").expectedBodiesReceived(big);
        template.sendBody("direct:filtering", big);
        getMockEndpoint("mock:backend").assertIsSatisfied();
        String input = INPUTS.poll(5, TimeUnit.SECONDS);
        assertThat(SidecarSchemas.input(input)).isEmpty();
        assertThat(input).contains("\"payloadLength\":2000").doesNotContain("\"payload\":");
    }

    @Test
    void anAnswerWithUnchangedUntilIsReusedForAnIdenticalInput() {
        Exchange first = template.send("direct:cached", e -> e.getMessage().setBody("same"));
        Exchange second = template.send("direct:cached", e -> e.getMessage().setBody("same"));
        Exchange other = template.send("direct:cached", e -> e.getMessage().setBody("other"));

        assertThat(first.getMessage().getHeader("x-cached")).isEqualTo("yes");
        assertThat(second.getMessage().getHeader("x-cached")).isEqualTo("yes");
        assertThat(other.getMessage().getHeader("x-cached")).isEqualTo("yes");
        // the second input equals the first but for the message id; the body is not in the input unless expanded,
        // so all three inputs are identical and one invocation serves them
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
    }

    @Test
    void thePreProcessorsRelayReachesThePostProcessorsParams() throws Exception {
        INPUTS.clear();

        template.sendBody("direct:relay", "x");

        String post = INPUTS.poll(5, TimeUnit.SECONDS);
        assertThat(SidecarSchemas.input(post)).isEmpty();
        assertThat(post)
                .contains(
                        "\"point\":\"PostProcessor\"",
                        "\"params\":{\"audit\":false,\"level\":3,\"stage\":\"post\"}",
                        "\"response\":{\"code\":201,");
    }

    @Test
    void camelsOwnRedeliveryOfAStreamBodyGivesTheFunctionAndTheBackendTheWholeBody() throws Exception {
        INPUTS.clear();
        MockEndpoint backend = getMockEndpoint("mock:backend");
        backend.expectedBodiesReceived("{\"order\":2}");
        // the first Invoke is throttled (the function did not run); the error handler redelivers once
        emulator.faults().failNext("lambda", "Invoke", 1, "TooManyRequestsException", 429);

        Exchange result = template.send(
                "direct:streamRedelivered",
                e -> e.getMessage()
                        .setBody(new ByteArrayInputStream("{\"order\":2}".getBytes(StandardCharsets.UTF_8))));

        assertThat(result.getException()).isNull();
        backend.assertIsSatisfied();
        String input = INPUTS.poll(5, TimeUnit.SECONDS);
        assertThat(input).contains("\"payload\":\"{\\\"order\\\":2}\"", "\"payloadLength\":11");
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(2);
    }

    @Test
    void sidecarOptionsAreValidatedWhenTheEndpointIsCreated() {
        for (Map.Entry<String, String> bad : Map.of(
                        "&maxPayloadSize=2000",
                        "maxPayloadSize",
                        "&expandInput=everything",
                        "expandInput",
                        "&synchronicity=DryRun",
                        "synchronicity",
                        "&maxPayloadCondition=drop",
                        "maxPayloadCondition",
                        "&includeResponseHeaders=a",
                        "includeResponseHeaders")
                .entrySet()) {
            assertThatThrownBy(() -> context.getEndpoint(globex("Any") + "&sidecar=PreProcessor" + bad.getKey()))
                    .hasStackTraceContaining(bad.getValue());
        }
    }
}
