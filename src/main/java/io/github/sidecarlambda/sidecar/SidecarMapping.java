package io.github.sidecarlambda.sidecar;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import io.github.sidecarlambda.InvocationType;
import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.SidecarPoint;
import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.invoke.ExchangeMapping;

/**
 * The sidecar mode of an endpoint ({@code sidecar=PreProcessor|PostProcessor}): builds the contract's input from the
 * exchange, and applies the function's answer to it (or answers the client with the contract's error). The producer
 * calls it at three points: before anything is sent ({@link #before}), to finish the exchange ({@link #wrap}), and with
 * Lambda's response ({@link #onResponse}).
 */
public final class SidecarMapping implements ExchangeMapping {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarMapping.class);
    private static final String INPUT = "CamelSidecarLambdaInternalInput";

    private final SidecarSettings settings;
    private final SidecarPoint point;
    private final SidecarInput inputs;
    private final Cache<String, SidecarAnswer> answers;
    private final LongAdder failSafeCount = new LongAdder();

    public SidecarMapping(SidecarSettings settings) {
        this.settings = settings;
        this.point = settings.point();
        this.inputs = new SidecarInput(settings);
        this.answers = settings.answerCacheSize() == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(settings.answerCacheSize())
                        .executor(Runnable::run)
                        .expireAfter(new Expiry<String, SidecarAnswer>() {
                            @Override
                            public long expireAfterCreate(String key, SidecarAnswer answer, long now) {
                                return Math.max(
                                        0,
                                        Duration.between(Instant.now(), answer.unchangedUntil)
                                                .toNanos());
                            }

                            @Override
                            public long expireAfterUpdate(String key, SidecarAnswer answer, long now, long current) {
                                return expireAfterCreate(key, answer, now);
                            }

                            @Override
                            public long expireAfterRead(String key, SidecarAnswer answer, long now, long current) {
                                return current;
                            }
                        })
                        .build();
    }

    @Override
    public InvocationType invocationType(InvocationType configured) {
        return settings.synchronicity();
    }

    /** How many sidecar failures were let through because of failSafe=true. */
    public long failSafeCount() {
        return failSafeCount.sum();
    }

    /**
     * Builds the input. Returns true when the exchange is already finished: refused (400, 413) or answered from the
     * cache; the function is then not invoked.
     */
    @Override
    public boolean before(Exchange exchange) {
        SidecarInput.Built input;
        try {
            input = inputs.build(exchange);
        } catch (SidecarInput.Refused refused) {
            respondError(exchange, refused.code, refused.title, refused.getMessage());
            return true;
        } catch (Exception e) {
            exchange.setException(e);
            return true;
        }
        if (answers != null) {
            SidecarAnswer cached = answers.getIfPresent(input.identity());
            if (cached != null) {
                try {
                    apply(exchange, cached);
                } catch (SidecarAnswer.Invalid invalid) {
                    failure(exchange, 500, invalidTitle(), invalid.getMessage());
                }
                return true;
            }
        }
        exchange.setProperty(INPUT, input);
        return false;
    }

    /** The input built by {@link #before}. */
    @Override
    public byte[] payload(Exchange exchange, long limit) {
        return exchange.getProperty(INPUT, SidecarInput.Built.class).json();
    }

    /** Finishes the exchange: a failure of the invocation becomes the contract's error answer, or with failSafe none. */
    @Override
    public AsyncCallback wrap(Exchange exchange, AsyncCallback callback) {
        return doneSync -> {
            Exception error = exchange.getException();
            exchange.removeProperty(INPUT);
            if (error != null) {
                exchange.setException(null);
                if (AwsErrors.cause(error, ApiCallTimeoutException.class) != null) {
                    failure(
                            exchange,
                            504,
                            "SidecarTimeout",
                            "The sidecar function did not answer within " + settings.timeoutMillis() + " ms");
                } else if (settings.failSafe()) {
                    failSafe(exchange, error.getClass().getSimpleName() + ": " + error.getMessage());
                } else {
                    exchange.setException(error); // not the function's answer: the route's error handling decides
                }
            }
            callback.done(doneSync);
        };
    }

    /** Lambda answered: a function error, or the answer, is applied as a whole or not at all. */
    @Override
    public void onResponse(Exchange exchange, InvokeRequest request, InvokeResponse response) {
        SdkBytes payload = response.payload();
        byte[] bytes = payload == null ? new byte[0] : payload.asByteArrayUnsafe();
        if (response.functionError() != null) {
            String type = null;
            String message = null;
            try {
                JsonNode json = JsonNode.parser().parse(new String(bytes, StandardCharsets.UTF_8));
                if (json != null && json.isObject()) {
                    type = text(json, "errorType");
                    message = text(json, "errorMessage");
                }
            } catch (RuntimeException notJson) {
                // keep the generic title and detail
            }
            failure(
                    exchange,
                    502,
                    type != null ? type : response.functionError(),
                    message != null ? message : "The sidecar function failed");
            return;
        }
        SidecarAnswer answer;
        try {
            answer = settings.synchronicity() == InvocationType.Event
                    ? SidecarAnswer.CONTINUE
                    : SidecarAnswer.parse(bytes, point);
            apply(exchange, answer);
        } catch (SidecarAnswer.Invalid invalid) {
            failure(exchange, 500, invalidTitle(), invalid.getMessage());
            return;
        }
        if (answers != null && answer.unchangedUntil != null && answer.unchangedUntil.isAfter(Instant.now())) {
            SidecarInput.Built input = exchange.getProperty(INPUT, SidecarInput.Built.class);
            if (input != null) {
                answers.put(input.identity(), answer);
            }
        }
    }

    private String invalidTitle() {
        return point == SidecarPoint.PreProcessor
                ? "InvalidResponseFromAWSLambdaInPreProcess"
                : "InvalidResponseFromAWSLambdaInPostProcess";
    }

    /** Computes every change first (a bad changeRoute refuses the whole answer), then changes the message. */
    private void apply(Exchange exchange, SidecarAnswer answer) throws SidecarAnswer.Invalid {
        Message msg = exchange.getMessage();
        if (answer.terminate != null) {
            SidecarAnswer.Terminate t = answer.terminate;
            reply(exchange, t.code(), t.headers(), t.body());
            msg.setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "terminate");
            return;
        }
        SidecarAnswer.Modify m = answer.modify;
        String backend = null;
        if (m != null && m.changeRoute() != null) {
            backend = changedRoute(exchange, m.changeRoute());
        }
        if (answer.relay != null) {
            exchange.setProperty(SidecarLambdaConstants.SIDECAR_RELAY, answer.relay);
        }
        if (m == null) {
            msg.setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "continue");
            return;
        }
        if (m.completeWithCode() != null) {
            // the call is complete: the client gets the (modified) message now, the backend is not called
            reply(exchange, m.completeWithCode(), m.addHeaders(), m.body());
            msg.setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "complete");
            return;
        }
        for (String name : m.dropHeaders()) {
            msg.removeHeader(name);
        }
        if (m.body() != null) {
            msg.setBody(m.body().bytes());
            if (m.body().json()) {
                msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
            }
            msg.removeHeader(Exchange.CONTENT_LENGTH);
        }
        m.addHeaders().forEach(msg::setHeader);
        if (m.code() != null) {
            msg.setHeader(Exchange.HTTP_RESPONSE_CODE, m.code());
        }
        if (m.changeRoute() != null) {
            if (backend != null) {
                msg.setHeader(SidecarLambdaConstants.SIDECAR_BACKEND_URI, backend);
            }
            if (m.changeRoute().httpVerb() != null) {
                msg.setHeader(Exchange.HTTP_METHOD, m.changeRoute().httpVerb());
            }
        }
        msg.setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "modify");
    }

    /** The backend URI after changeRoute: uri replaces it; host, port and file replace their parts. */
    private static String changedRoute(Exchange exchange, SidecarAnswer.ChangeRoute change)
            throws SidecarAnswer.Invalid {
        if (change.uri() != null) {
            return change.uri().toString();
        }
        if (change.host() == null && change.port() == null && change.file() == null) {
            return null;
        }
        Object current = SidecarInput.value(exchange, SidecarLambdaConstants.SIDECAR_BACKEND_URI);
        if (current == null) {
            throw new SidecarAnswer.Invalid("modify.changeRoute changes host, port or file, but the route sets no "
                    + SidecarLambdaConstants.SIDECAR_BACKEND_URI);
        }
        try {
            URI uri = new URI(current.toString());
            String file = change.file() != null
                    ? change.file()
                    : uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            if (!file.startsWith("/")) {
                file = "/" + file;
            }
            int port = change.port() != null ? change.port() : uri.getPort();
            return uri.getScheme() + "://" + (change.host() != null ? change.host() : uri.getHost())
                    + (port > 0 ? ":" + port : "") + file;
        } catch (URISyntaxException e) {
            throw new SidecarAnswer.Invalid(
                    "the route's " + SidecarLambdaConstants.SIDECAR_BACKEND_URI + " is not a URI");
        }
    }

    /** Answers the client now: only the given headers, the code and the body; the rest of the route is skipped. */
    private static void reply(Exchange exchange, int code, Map<String, String> headers, SidecarAnswer.Body body) {
        Message msg = exchange.getMessage();
        msg.getHeaders().clear();
        if (body != null && body.json()) {
            msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        headers.forEach(msg::setHeader);
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        msg.setBody(body == null ? null : body.bytes());
        exchange.setRouteStop(true);
    }

    /** A sidecar failure: with failSafe the call continues unchanged, otherwise the client gets the error. */
    private void failure(Exchange exchange, int code, String title, String detail) {
        if (settings.failSafe()) {
            failSafe(exchange, code + " " + title + ": " + detail);
        } else {
            respondError(exchange, code, title, detail);
        }
    }

    private void failSafe(Exchange exchange, String why) {
        failSafeCount.increment();
        LOG.warn("Sidecar {} failed, the call continues unchanged (failSafe=true): {}", point, why);
        exchange.getMessage().setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "failSafe");
    }

    /** The contract's error body: {"code":502,"message":{"detail":...,"title":...}}. */
    private static void respondError(Exchange exchange, int code, String title, String detail) {
        StringBuilder json = new StringBuilder("{\"code\":").append(code).append(",\"message\":{\"detail\":");
        SidecarJson.quote(json, detail);
        json.append(",\"title\":");
        SidecarJson.quote(json, title);
        json.append("}}");
        reply(exchange, code, Map.of(), new SidecarAnswer.Body(json.toString().getBytes(StandardCharsets.UTF_8), true));
        exchange.getMessage().setHeader(SidecarLambdaConstants.SIDECAR_OUTCOME, "error");
    }

    private static String text(JsonNode json, String field) {
        return json.field(field)
                .filter(JsonNode::isString)
                .map(JsonNode::asString)
                .orElse(null);
    }
}
