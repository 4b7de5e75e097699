package io.github.sidecarlambda.sidecar;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.SidecarPoint;
import io.github.sidecarlambda.invoke.Bodies;
import io.github.sidecarlambda.sidecar.SidecarSettings.Expansion;

/**
 * Builds the sidecar input JSON of the gateway contract from an exchange as Camel's HTTP consumers and producers leave
 * it: {@code CamelHttpMethod}, {@code CamelHttpPath}, {@code CamelHttpUrl}, {@code CamelHttpQuery}, the headers and
 * the body; after the backend {@code CamelHttpResponseCode}. Fields without a Camel source come from the headers or
 * exchange properties named in {@link SidecarLambdaConstants} (SIDECAR_*). See docs/sidecar-contract.md.
 */
final class SidecarInput {

    /** The request is refused before the function is invoked (400 missing header, 413 payload too large). */
    public static final class Refused extends Exception {
        final int code;
        final String title;

        public Refused(int code, String title, String detail) {
            super(detail);
            this.code = code;
            this.title = title;
        }
    }

    /** The input: the JSON sent, and the same without the message id (the key of the answer cache). */
    public record Built(byte[] json, String identity) {}

    private final SidecarSettings settings;
    private final SidecarPoint point;
    private final Set<Expansion> expansions;
    private final Set<String> includeRequest;
    private final Set<String> required;
    private final Set<String> includeResponse;
    private final Set<String> skipResponse;
    private final int maxPayloadBytes;
    private final boolean filtering;

    public SidecarInput(SidecarSettings settings) {
        this.settings = settings;
        this.point = settings.point();
        this.expansions = settings.expansions();
        this.includeRequest = settings.includeRequest();
        this.required = settings.required();
        this.includeResponse = settings.includeResponse();
        this.skipResponse = settings.skipResponse();
        this.maxPayloadBytes = settings.maxPayloadBytes();
        this.filtering = settings.filtering();
    }

    public Built build(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Set<String> queryNames = queryNames(in.getHeader(Exchange.HTTP_QUERY, String.class));
        // the body as bytes, kept on the message so the backend (or the client) still gets it after we read it
        byte[] body = body(exchange);

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("point", point.name());
        input.put("synchronicity", settings.synchronicity().name());
        putIfSet(input, "packageKey", value(exchange, SidecarLambdaConstants.SIDECAR_PACKAGE_KEY));
        putIfSet(input, "serviceId", value(exchange, SidecarLambdaConstants.SIDECAR_SERVICE_ID));
        putIfSet(input, "endpointId", value(exchange, SidecarLambdaConstants.SIDECAR_ENDPOINT_ID));
        Map<String, Object> params = new LinkedHashMap<>();
        if (point == SidecarPoint.PostProcessor) {
            Object relay = exchange.getProperty(SidecarLambdaConstants.SIDECAR_RELAY);
            if (relay instanceof Map<?, ?> r) {
                r.forEach((k, v) -> params.put(String.valueOf(k), v));
            }
        }
        params.putAll(settings.params());
        if (!params.isEmpty()) {
            input.put("params", params);
        }

        if (point == SidecarPoint.PreProcessor) {
            Map<String, String> headers = headers(in, queryNames, includeRequest, null);
            if (required != null) {
                Map<String, String> all = headers(in, queryNames, null, null);
                for (String name : required) {
                    if (!all.containsKey(name)) {
                        throw new Refused(
                                400, "RequiredHeaderConditionFailure", "Required Header - " + name + " Unavailable");
                    }
                }
            }
            input.put("request", message(headers, body, expansions.contains(Expansion.requestPayload), null));
        } else {
            Map<String, String> headers = headers(in, queryNames, includeResponse, skipResponse);
            Integer code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            input.put("response", message(headers, body, expansions.contains(Expansion.responsePayload), code));
        }
        if (expansions.contains(Expansion.eavs)) {
            putIfSet(input, "eavs", value(exchange, SidecarLambdaConstants.SIDECAR_EAVS));
        }
        if (expansions.contains(Expansion.packageKeyEAVs)) {
            putIfSet(input, "packageKeyEAVs", value(exchange, SidecarLambdaConstants.SIDECAR_PACKAGE_KEY_EAVS));
        }
        if (expansions.contains(Expansion.operation)) {
            input.put("operation", operation(in));
        }
        if (expansions.contains(Expansion.token)) {
            putIfSet(input, "token", value(exchange, SidecarLambdaConstants.SIDECAR_TOKEN));
        }
        if (expansions.contains(Expansion.routing)) {
            Object uri = value(exchange, SidecarLambdaConstants.SIDECAR_BACKEND_URI);
            if (uri != null) {
                Map<String, Object> routing = new LinkedHashMap<>();
                routing.put("httpVerb", in.getHeader(Exchange.HTTP_METHOD, String.class));
                routing.put("uri", uri.toString());
                input.put("routing", routing);
            }
        }
        if (expansions.contains(Expansion.remoteAddress)) {
            putIfSet(input, "remoteAddr", value(exchange, SidecarLambdaConstants.SIDECAR_REMOTE_ADDRESS));
        }

        String identity = SidecarJson.write(input);
        Object id = value(exchange, SidecarLambdaConstants.SIDECAR_MESSAGE_ID);
        StringBuilder json = new StringBuilder(identity.length() + 64).append("{\"masheryMessageId\":");
        SidecarJson.quote(json, id != null ? id.toString() : exchange.getExchangeId());
        json.append(',').append(identity, 1, identity.length());
        return new Built(json.toString().getBytes(StandardCharsets.UTF_8), identity);
    }

    private Map<String, Object> message(Map<String, String> headers, byte[] body, boolean withPayload, Integer code)
            throws Refused {
        Map<String, Object> m = new LinkedHashMap<>();
        if (code != null) {
            m.put("code", code);
        }
        m.put("headers", headers);
        if (withPayload) {
            m.put("payloadLength", body.length);
            if (body.length > maxPayloadBytes) {
                if (!filtering) {
                    throw new Refused(
                            413,
                            "PayloadTooLarge",
                            "The " + (code == null ? "request" : "response")
                                    + " payload of " + body.length
                                    + " bytes exceeds the sidecar's maxPayloadSize of "
                                    + (maxPayloadBytes / 1024) + " KB");
                }
            } else if (body.length > 0) {
                String text = headers.containsKey("content-encoding") ? null : Bodies.utf8OrNull(body);
                m.put("payload", text != null ? text : Base64.getEncoder().encodeToString(body));
                m.put("payloadBase64Encoded", text == null);
            }
        }
        return m;
    }

    /** Lower-case names, Camel's own headers and the query parameters Camel copies into headers left out. */
    private static Map<String, String> headers(
            Message in, Set<String> queryNames, Set<String> include, Set<String> skip) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.getHeaders().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("camel")
                    || queryNames.contains(name)
                    || e.getValue() == null
                    || include != null && !include.contains(name)
                    || skip != null && skip.contains(name)) {
                continue;
            }
            Object v = e.getValue();
            String value;
            if (v instanceof Collection<?> values) {
                StringBuilder b = new StringBuilder();
                for (Object item : values) {
                    b.append(b.length() == 0 ? "" : ", ").append(item);
                }
                value = b.toString();
            } else if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean) {
                value = v.toString();
            } else {
                continue; // not a header value (an object a route keeps in the headers)
            }
            out.put(name, value);
        }
        return out;
    }

    private static Map<String, Object> operation(Message in) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("httpVerb", in.getHeader(Exchange.HTTP_METHOD, String.class));
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = in.getHeader(Exchange.HTTP_URI, String.class);
        }
        op.put("path", path);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            Map<String, String> q = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                q.putIfAbsent(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            op.put("query", q);
        }
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        if (url != null) {
            op.put("uri", query != null && !query.isEmpty() ? url + "?" + query : url);
        }
        return op;
    }

    private static Set<String> queryNames(String query) {
        if (query == null || query.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        for (String pair : query.split("&")) {
            names.add(URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static byte[] body(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        byte[] direct = Bodies.direct(body);
        if (direct != null) {
            return direct;
        }
        if (body instanceof InputStream stream) {
            // read whole (maxPayloadSize applies to the bytes); a Camel redelivery gets the same bytes again
            byte[] bytes = Bodies.readStream(exchange, stream, Integer.MAX_VALUE - 8);
            in.setBody(bytes);
            return bytes;
        }
        byte[] bytes = in.getMandatoryBody(byte[].class);
        in.setBody(bytes);
        return bytes;
    }

    public static Object value(Exchange exchange, String name) {
        Object v = exchange.getMessage().getHeader(name);
        return v != null ? v : exchange.getProperty(name);
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
