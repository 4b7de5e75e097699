package io.github.sidecarlambda.invoke;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import io.github.sidecarlambda.FunctionErrorException;
import io.github.sidecarlambda.InvocationType;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.SidecarLambdaConstants;

/**
 * A plain invocation: the message body is the payload (bytes as they are, text as UTF-8, a Map, collection or POJO as
 * JSON), and Lambda's answer becomes the body, with its status, version, request id and log in headers; a function
 * error sets {@code CamelSidecarLambdaFunctionError} and, with {@code throwOnFunctionError}, fails the exchange with
 * {@link FunctionErrorException}. One per producer: it holds the producer's JSON data format.
 */
public final class PlainMapping implements ExchangeMapping {

    private static final Logger LOG = LoggerFactory.getLogger(PlainMapping.class);

    private final CamelContext context;
    private final boolean throwOnFunctionError;
    private DataFormat json;
    private boolean jsonResolved;

    public PlainMapping(CamelContext context, boolean throwOnFunctionError) {
        this.context = context;
        this.throwOnFunctionError = throwOnFunctionError;
    }

    @Override
    public InvocationType invocationType(InvocationType configured) {
        return configured;
    }

    /**
     * The body as bytes: byte[] as is, text as UTF-8 (never the platform charset), a Map, collection or POJO as JSON
     * through Camel's {@code jackson} data format. A stream is read up to one byte over the limit, so a huge stream is
     * refused without being read whole; whatever was read is put back in front of the rest, so the body that a
     * dead-letter channel or a re-send sees is the whole original. Camel's own redelivery puts the read stream itself
     * back (stream caching off): what was read from it is kept on the exchange ({@link Bodies#readStream}) and comes
     * first. A
     * stream cache is reset after reading.
     */
    @Override
    public byte[] payload(Exchange exchange, long limit) throws Exception {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        byte[] direct = Bodies.direct(body);
        if (direct != null) {
            return direct;
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 8, limit + 1);
        if (body instanceof StreamCache cache) {
            cache.reset();
            byte[] bytes;
            if (cache instanceof InputStream in) {
                bytes = in.readNBytes(max);
            } else {
                // a character cache (e.g. ReaderCache from an HTTP consumer): its text as UTF-8, never the platform
                // charset
                String text =
                        exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, cache);
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
            cache.reset();
            return bytes;
        }
        if (body instanceof InputStream stream) {
            // a longer stream is refused without being read whole; the body keeps every byte
            return Bodies.readStream(exchange, stream, max);
        }
        if (body instanceof Number || body instanceof Boolean) {
            return body.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (isJsonValue(body)) {
            return json(exchange, body);
        }
        byte[] bytes = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, body);
        if (bytes != null) {
            return bytes;
        }
        throw new SidecarLambdaConfigurationException(
                "body",
                "a " + body.getClass().getName()
                        + " body cannot be sent to Lambda: convert it to a String, byte[] or stream first");
    }

    /** Maps, collections, arrays, records and application classes are JSON values to Lambda; JDK and Camel types are not. */
    private static boolean isJsonValue(Object body) {
        if (body instanceof Map || body instanceof Collection || body.getClass().isArray() || body instanceof Record) {
            return true;
        }
        String name = body.getClass().getName();
        return !(name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("org.apache.camel.")
                || name.startsWith("org.w3c."));
    }

    private byte[] json(Exchange exchange, Object body) throws Exception {
        DataFormat jackson = jsonDataFormat();
        if (jackson == null) {
            throw new SidecarLambdaConfigurationException(
                    "body",
                    "a " + body.getClass().getName() + " body must be "
                            + "sent as JSON, and no JSON data format is available: add camel-jackson to the "
                            + "classpath, or marshal the body to JSON (a String or byte[]) before this endpoint");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        jackson.marshal(exchange, body, out);
        return out.toByteArray();
    }

    /** Camel's "jackson" data format, resolved and started once per producer; null when camel-jackson is absent. */
    private synchronized DataFormat jsonDataFormat() throws Exception {
        if (!jsonResolved) {
            jsonResolved = true;
            DataFormat df = context.resolveDataFormat("jackson");
            if (df != null) {
                CamelContextAware.trySetCamelContext(df, context);
                ServiceHelper.startService(df);
                json = df;
            }
        }
        return json;
    }

    /** Text when the payload is valid UTF-8 (JSON always is), else the bytes as they came: never a corrupted body. */
    private static Object body(SdkBytes payload) {
        if (payload == null) {
            return null;
        }
        byte[] bytes = payload.asByteArrayUnsafe();
        if (bytes.length == 0) {
            return null;
        }
        String text = Bodies.utf8OrNull(bytes);
        return text != null ? text : bytes.clone();
    }

    @Override
    public void onResponse(Exchange exchange, InvokeRequest request, InvokeResponse response) {
        Message out = exchange.getMessage();
        out.setHeader(SidecarLambdaConstants.STATUS_CODE, response.statusCode());
        out.setHeader(SidecarLambdaConstants.EXECUTED_VERSION, response.executedVersion());
        out.setHeader(
                SidecarLambdaConstants.REQUEST_ID, response.responseMetadata().requestId());
        if (response.logResult() != null) {
            try {
                out.setHeader(
                        SidecarLambdaConstants.LOG_RESULT,
                        new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // the invocation itself succeeded; keep what Lambda sent rather than failing the exchange
                out.setHeader(SidecarLambdaConstants.LOG_RESULT, response.logResult());
            }
        }
        Object payload = body(response.payload());
        out.setBody(payload);
        String body = payload instanceof String text ? text : null;
        String functionError = response.functionError();
        if (functionError != null) {
            out.setHeader(SidecarLambdaConstants.FUNCTION_ERROR, functionError);
            if (throwOnFunctionError) {
                String errorType = null;
                String errorMessage = null;
                try {
                    JsonNode json = body != null ? JsonNode.parser().parse(body) : null;
                    if (json != null && json.isObject()) {
                        errorType = text(json, "errorType");
                        errorMessage = text(json, "errorMessage");
                    }
                } catch (RuntimeException notJson) {
                    LOG.debug("Function error payload of {} is not JSON", request.functionName());
                }
                exchange.setException(new FunctionErrorException(
                        request.functionName(),
                        functionError,
                        errorType,
                        errorMessage,
                        body,
                        response.executedVersion()));
            }
        }
    }

    private static String text(JsonNode json, String field) {
        return json.field(field)
                .filter(JsonNode::isString)
                .map(JsonNode::asString)
                .orElse(null);
    }

    @Override
    public synchronized void stop() {
        ServiceHelper.stopService(json);
        json = null;
        jsonResolved = false;
    }
}
