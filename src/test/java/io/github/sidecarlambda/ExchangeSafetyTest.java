package io.github.sidecarlambda;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every exchange ends right: no stale output header survives into the next call, a refused body is kept whole for
 * redelivery and dead-letter channels, retries are claimed safe only when the function cannot have run, POJO bodies
 * travel as JSON, binary answers are not corrupted.
 */
class ExchangeSafetyTest extends SidecarLambdaTestSupport {

    private static final int SYNC_LIMIT = 6 * 1024 * 1024;
    private static int closedPort;

    @BindToRegistry("metricsRegistry")
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once closed
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                // one message through a failing function (not thrown) and then a succeeding one, as a loop would
                from("direct:failThenEcho")
                        .to(globex("Fail") + "&throwOnFunctionError=false&logType=Tail")
                        .setBody(constant("{\"second\":1}"))
                        .to(globex("Echo"));
                from("direct:echo").to(globex("Echo"));
                from("direct:stream").noStreamCaching().to(globex("Echo"));
                // the SDK does not retry: a failed call reaches the route at once
                from("direct:streamOnce").noStreamCaching().to(globex("Wrap") + "&maxRetries=0");
                // Camel's own redelivery, stream caching off
                from("direct:streamRedelivered")
                        .errorHandler(
                                defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .noStreamCaching()
                        .to(globex("Wrap") + "&maxRetries=0");
                from("direct:wrap").to(globex("Wrap"));
                from("direct:binary").to(globex("Binary"));
                from("direct:nowhere")
                        .to(globex("Echo") + "&lambdaEndpointOverride=http://127.0.0.1:" + closedPort
                                + "&maxRetries=2");
            }
        };
    }

    @Test
    void aFunctionErrorOrLogOfOneCallDoesNotLeakIntoTheNextCallOfTheSameMessage() {
        Exchange result =
                template.request("direct:failThenEcho", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"second\":1}");
        assertThat(result.getMessage().getHeaders())
                .doesNotContainKey(SidecarLambdaConstants.FUNCTION_ERROR)
                .doesNotContainKey(SidecarLambdaConstants.LOG_RESULT);
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(200);
    }

    @Test
    void aStaleOutputHeaderIsRemovedAlsoWhenTheCallFails() {
        Exchange result = template.request("direct:nowhere", e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(SidecarLambdaConstants.FUNCTION_ERROR, "Unhandled");
            e.getMessage().setHeader(SidecarLambdaConstants.STATUS_CODE, 200);
        });
        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        assertThat(result.getMessage().getHeaders())
                .doesNotContainKey(SidecarLambdaConstants.FUNCTION_ERROR)
                .doesNotContainKey(SidecarLambdaConstants.STATUS_CODE);
    }

    @Test
    void aStreamOverTheLimitIsRefusedAndTheBodyKeptWhole() throws Exception {
        byte[] original = new byte[SYNC_LIMIT + 1_000];
        Arrays.fill(original, (byte) 'a');
        Exchange result =
                template.request("direct:stream", e -> e.getMessage().setBody(new ByteArrayInputStream(original)));

        assertThat(result.getException()).isInstanceOf(PayloadTooLargeException.class);
        // what a dead-letter channel or a redelivery gets: every byte, in order
        byte[] kept = result.getMessage().getBody(InputStream.class).readAllBytes();
        assertThat(kept).hasSize(original.length).isEqualTo(original);
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void aStreamWithinTheLimitIsSentAndKeptForARedelivery() throws Exception {
        byte[] original = "{\"s\":1}".getBytes(StandardCharsets.UTF_8);
        // the first call is throttled (retryable, the function did not run)
        emulator.faults().failNext("lambda", "Invoke", 1, "TooManyRequestsException", 429);

        Exchange result =
                template.request("direct:streamOnce", e -> e.getMessage().setBody(new ByteArrayInputStream(original)));

        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        // what an onException route, a dead-letter channel or a re-send of this message gets: every byte, though the
        // call read the stream
        assertThat(result.getMessage().getBody(byte[].class)).isEqualTo(original);
        // sent again, the same message carries the same bytes to the function, which wraps what it got
        result.setException(null);
        Exchange again = template.send("direct:streamOnce", result);
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getBody(String.class)).isEqualTo("{\"received\":{\"s\":1}}");
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(2);
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(1);
    }

    @Test
    void camelsOwnRedeliveryOfAStreamBodySendsTheWholeStreamAgainWithStreamCachingOff() throws Exception {
        byte[] original = "{\"s\":2}".getBytes(StandardCharsets.UTF_8);
        // the first call is throttled (the function did not run); the error handler redelivers once
        emulator.faults().failNext("lambda", "Invoke", 1, "TooManyRequestsException", 429);

        Exchange result = template.request(
                "direct:streamRedelivered", e -> e.getMessage().setBody(new ByteArrayInputStream(original)));

        assertThat(result.getException()).isNull();
        // the function got every byte on the redelivery, not the empty rest of a stream the first attempt read
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"received\":{\"s\":2}}");
        assertThat(result.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(2);
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(1);
    }

    @Test
    void camelsOwnRedeliveryOfAStreamOverTheLimitRefusesItAgainAndSendsNothing() throws Exception {
        byte[] original = new byte[SYNC_LIMIT + 1_000];
        Arrays.fill(original, (byte) 'a');

        Exchange result = template.request(
                "direct:streamRedelivered", e -> e.getMessage().setBody(new ByteArrayInputStream(original)));

        // the redelivery sees the whole stream again, so it is refused again; the unread rest alone (1,000 bytes)
        // is never sent
        assertThat(result.getException()).isInstanceOf(PayloadTooLargeException.class);
        assertThat(result.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke")).isZero();
        byte[] kept = result.getMessage().getBody(InputStream.class).readAllBytes();
        assertThat(kept).hasSize(original.length).isEqualTo(original);
    }

    @Test
    void aCharacterStreamCacheBodyIsSentAsUtf8() {
        org.apache.camel.converter.stream.ReaderCache cache =
                new org.apache.camel.converter.stream.ReaderCache("{\"é\":1}");
        // the function wraps the bytes it got: é as UTF-8 (two bytes), not in the platform charset
        assertThat(template.requestBody("direct:wrap", cache, String.class)).isEqualTo("{\"received\":{\"é\":1}}");
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(1);
    }

    @Test
    void aMapOrPojoBodyIsSentAsJsonNotAsToString() {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", 42);
        order.put("items", List.of("a", "b"));
        assertThat(template.requestBody("direct:echo", order, String.class))
                .isEqualTo("{\"id\":42,\"items\":[\"a\",\"b\"]}");

        assertThat(template.requestBody("direct:echo", new Order("o-7", 3), String.class))
                .isEqualTo("{\"id\":\"o-7\",\"quantity\":3}");
    }

    record Order(String id, int quantity) {}

    @Test
    void aBinaryAnswerIsKeptAsBytes() {
        Exchange result = template.request("direct:binary", e -> e.getMessage().setBody("{}"));
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isInstanceOf(byte[].class);
        assertThat((byte[]) result.getMessage().getBody()).containsExactly(0xff, 0xfe, 0, 1, 0xc3);
    }

    @Test
    void aDroppedConnectionAfterTheRequestWasSentMayHaveRunIsNotRetryableAndNotResent() {
        emulator.faults().dropNextConnections("lambda", "Invoke", 1);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.mayHaveRun()).isTrue();
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).contains("may have run");
        // the SDK did not send it again behind the route's back
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
    }

    @Test
    void noConnectionAtAllIsRetryableAndTheFunctionDidNotRun() {
        Exchange result = template.request("direct:nowhere", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.mayHaveRun()).isFalse();
        assertThat(error.isRetryable()).isTrue();
    }

    @Test
    void aLambdaConfigurationErrorBehind502IsNotRetryable() {
        emulator.faults().failNext("lambda", "Invoke", 1, "KMSAccessDeniedException", 502);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("KMSAccessDeniedException");
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.mayHaveRun()).isFalse();
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
    }

    @Test
    void aServiceExceptionMayHaveRunAndIsNotResentByTheSdk() {
        emulator.faults().failNext("lambda", "Invoke", 1, "ServiceException", 500);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.mayHaveRun()).isTrue();
        assertThat(error.isRetryable()).isFalse();
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
    }

    @Test
    void anExpiredTokenLeftAfterTheInternalRetryIsRetryableByTheRoute() {
        template.requestBody("direct:echo", "{}"); // credentials cached
        emulator.resetCounters();
        emulator.faults().failNext("lambda", "Invoke", 2, "ExpiredTokenException", 403);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("ExpiredTokenException");
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.mayHaveRun()).isFalse();
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1); // assumed again once, internally
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(2); // the message, then its one retry
        assertThat(registry.get("sidecar.lambda.expiredtoken.retries").counter().count())
                .as("sidecar.lambda.expiredtoken.retries (docs/operator-guide.md)")
                .isEqualTo(1.0);
        assertThat(template.requestBody("direct:echo", "{\"again\":1}", String.class))
                .isEqualTo("{\"again\":1}");
    }
}
