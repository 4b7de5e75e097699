package io.github.sidecarlambda.sidecar;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import io.github.sidecarlambda.SidecarPoint;

/**
 * A sidecar function's answer, parsed and checked completely before anything is applied to the exchange: {@code {}}
 * (continue unchanged), {@code terminate}, {@code modify}, {@code relay}, {@code unchangedUntil}. A malformed answer is
 * refused as a whole with {@link Invalid}, so it can never half-apply. The rules are in docs/sidecar-contract.md.
 */
final class SidecarAnswer {

    // compiled once: an answer's header names are checked on every call
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HTTP_VERB = Pattern.compile("[A-Za-z]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+");

    private static final Set<String> PRE_MODIFY =
            Set.of("addHeaders", "dropHeaders", "payload", "json", "base64Encoded", "completeWithCode", "changeRoute");
    private static final Set<String> POST_MODIFY =
            Set.of("addHeaders", "dropHeaders", "payload", "json", "base64Encoded", "code");
    // the AF-KLM contract writes offsets as +0000 as well as +00:00 and Z
    private static final DateTimeFormatter OFFSET_NO_COLON = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendOffset("+HHMM", "Z")
            .toFormatter();

    /** The answer is not the contract's: the whole answer is refused. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** A replacement body: bytes plus whether it came from {@code json} (then Content-Type is application/json). */
    public record Body(byte[] bytes, boolean json) {}

    /** terminate: answer the client now with code, headers and body; the backend (or the rest) is skipped. */
    public record Terminate(int code, Map<String, String> headers, Body body) {}

    /** modify: change the message (and in pre-processing possibly complete the call or change the route). */
    public record Modify(
            Map<String, String> addHeaders,
            List<String> dropHeaders,
            Body body,
            Integer completeWithCode,
            ChangeRoute changeRoute,
            Integer code) {}

    /** modify.changeRoute: parts of the backend call to replace. */
    public record ChangeRoute(String host, String file, Integer port, String httpVerb, URI uri) {}

    final Instant unchangedUntil;
    final Terminate terminate;
    final Modify modify;
    final Map<String, Object> relay;

    private SidecarAnswer(Instant unchangedUntil, Terminate terminate, Modify modify, Map<String, Object> relay) {
        this.unchangedUntil = unchangedUntil;
        this.terminate = terminate;
        this.modify = modify;
        this.relay = relay;
    }

    /** An Event invocation (or an empty payload) has no answer: continue unchanged. */
    static final SidecarAnswer CONTINUE = new SidecarAnswer(null, null, null, null);

    public boolean isContinue() {
        return terminate == null && modify == null && relay == null;
    }

    public static SidecarAnswer parse(byte[] payload, SidecarPoint point) throws Invalid {
        if (payload == null || payload.length == 0) {
            throw new Invalid("the function returned no payload; an answer is a JSON object ({} to continue)");
        }
        JsonNode root;
        try {
            root = JsonNode.parser().parse(new String(payload, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Invalid("the answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the answer must be a JSON object ({} to continue)");
        }
        Map<String, JsonNode> fields = root.asObject();
        Instant until = instant(field(fields, "unchangedUntil"));
        Terminate terminate = terminate(field(fields, "terminate"));
        Modify modify = modify(field(fields, "modify"), point);
        Map<String, Object> relay = null;
        JsonNode relayNode = field(fields, "relay");
        if (relayNode != null) {
            if (point != SidecarPoint.PreProcessor) {
                throw new Invalid("relay is only allowed in a PreProcessor answer");
            }
            relay = object(relayNode, "relay");
        }
        // terminate and modify are exclusive; when both come, the contract prefers terminate
        return new SidecarAnswer(until, terminate, terminate != null ? null : modify, relay);
    }

    private static JsonNode field(Map<String, JsonNode> fields, String name) {
        JsonNode n = fields.get(name);
        return n == null || n.isNull() ? null : n;
    }

    private static Instant instant(JsonNode node) throws Invalid {
        if (node == null) {
            return null;
        }
        if (!node.isString()) {
            throw new Invalid("unchangedUntil must be an ISO-8601 date-time string");
        }
        String text = node.asString();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, OFFSET_NO_COLON).toInstant();
            } catch (DateTimeParseException again) {
                throw new Invalid("unchangedUntil must be an ISO-8601 date-time with offset; was '" + text + "'");
            }
        }
    }

    private static Terminate terminate(JsonNode node) throws Invalid {
        if (node == null) {
            return null;
        }
        Map<String, JsonNode> f = objectNode(node, "terminate");
        JsonNode codeNode = field(f, "code");
        if (codeNode == null) {
            throw new Invalid("terminate.code is required");
        }
        int code = statusCode(codeNode, "terminate.code");
        Map<String, String> headers = headers(field(f, "headers"), "terminate.headers");
        Body body = body(f, "terminate");
        JsonNode message = field(f, "message");
        if (message != null && !message.isString()) {
            throw new Invalid("terminate.message must be a string");
        }
        if (body == null && message != null) {
            // the AF-KLM contract's rendering of a bare message
            String xml = "<h1><![CDATA[" + message.asString().replace("]]>", "]]]]><![CDATA[>") + "]]></h1>";
            body = new Body(xml.getBytes(StandardCharsets.UTF_8), false);
            if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                headers = new LinkedHashMap<>(headers);
                headers.put("Content-Type", "application/xml");
            }
        }
        return new Terminate(code, Collections.unmodifiableMap(headers), body);
    }

    private static Modify modify(JsonNode node, SidecarPoint point) throws Invalid {
        if (node == null) {
            return null;
        }
        Map<String, JsonNode> f = objectNode(node, "modify");
        Set<String> allowed = point == SidecarPoint.PreProcessor ? PRE_MODIFY : POST_MODIFY;
        for (String key : f.keySet()) {
            if (!allowed.contains(key)
                    && (PRE_MODIFY.contains(key) || POST_MODIFY.contains(key))
                    && field(f, key) != null) {
                throw new Invalid("modify." + key + " is not allowed in a " + point + " answer");
            }
        }
        Map<String, String> add = headers(field(f, "addHeaders"), "modify.addHeaders");
        List<String> drop = new ArrayList<>();
        JsonNode dropNode = field(f, "dropHeaders");
        if (dropNode != null) {
            if (!dropNode.isArray()) {
                throw new Invalid("modify.dropHeaders must be an array of header names");
            }
            for (JsonNode name : dropNode.asArray()) {
                if (name == null || !name.isString() || name.asString().isBlank()) {
                    throw new Invalid("modify.dropHeaders must contain header names (strings)");
                }
                drop.add(name.asString());
            }
        }
        Body body = body(f, "modify");
        Integer complete = null;
        JsonNode completeNode = field(f, "completeWithCode");
        if (completeNode != null) {
            complete = statusCode(completeNode, "modify.completeWithCode");
        }
        Integer code = null;
        JsonNode codeNode = field(f, "code");
        if (codeNode != null) {
            code = statusCode(codeNode, "modify.code");
        }
        return new Modify(
                Collections.unmodifiableMap(add),
                List.copyOf(drop),
                body,
                complete,
                changeRoute(field(f, "changeRoute")),
                code);
    }

    private static ChangeRoute changeRoute(JsonNode node) throws Invalid {
        if (node == null) {
            return null;
        }
        Map<String, JsonNode> f = objectNode(node, "modify.changeRoute");
        String host = string(field(f, "host"), "modify.changeRoute.host");
        String file = string(field(f, "file"), "modify.changeRoute.file");
        String verb = string(field(f, "httpVerb"), "modify.changeRoute.httpVerb");
        String uriText = string(field(f, "uri"), "modify.changeRoute.uri");
        Integer port = null;
        JsonNode portNode = field(f, "port");
        if (portNode != null) {
            port = integer(portNode, "modify.changeRoute.port");
            if (port < 1 || port > 65535) {
                throw new Invalid("modify.changeRoute.port must be 1-65535; was " + port);
            }
        }
        if (verb != null && !HTTP_VERB.matcher(verb).matches()) {
            throw new Invalid("modify.changeRoute.httpVerb must be an HTTP method; was '" + verb + "'");
        }
        if (host != null && !HOST.matcher(host).matches()) {
            throw new Invalid("modify.changeRoute.host must be a host name; was '" + host + "'");
        }
        URI uri = null;
        if (uriText != null) {
            try {
                uri = new URI(uriText);
            } catch (URISyntaxException e) {
                throw new Invalid("modify.changeRoute.uri is not a URI; was '" + uriText + "'");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new Invalid("modify.changeRoute.uri must be an absolute http(s) URI; was '" + uriText + "'");
            }
        }
        return new ChangeRoute(host, file, port, verb == null ? null : verb.toUpperCase(Locale.ROOT), uri);
    }

    /** json wins over payload; base64Encoded applies to payload only. */
    private static Body body(Map<String, JsonNode> f, String where) throws Invalid {
        JsonNode base64Node = field(f, "base64Encoded");
        if (base64Node != null && !base64Node.isBoolean()) {
            throw new Invalid(where + ".base64Encoded must be true or false");
        }
        JsonNode json = field(f, "json");
        JsonNode payload = field(f, "payload");
        if (payload != null && !payload.isString()) {
            throw new Invalid(where + ".payload must be a string");
        }
        byte[] decoded = null;
        if (payload != null && base64Node != null && base64Node.asBoolean()) {
            try {
                decoded = Base64.getDecoder().decode(payload.asString().replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new Invalid(where + ".payload is not base64 although base64Encoded is true");
            }
        }
        if (json != null) {
            if (!json.isObject() && !json.isArray()) {
                throw new Invalid(where + ".json must be a JSON object or array");
            }
            return new Body(SidecarJson.write(json).getBytes(StandardCharsets.UTF_8), true);
        }
        if (payload == null) {
            return null;
        }
        return new Body(decoded != null ? decoded : payload.asString().getBytes(StandardCharsets.UTF_8), false);
    }

    private static Map<String, JsonNode> objectNode(JsonNode node, String where) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(where + " must be a JSON object");
        }
        return node.asObject();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(JsonNode node, String where) throws Invalid {
        objectNode(node, where);
        return Collections.unmodifiableMap((Map<String, Object>) SidecarJson.toJava(node));
    }

    /** Header values may be strings, numbers or booleans (written as text); names must be valid tokens. */
    private static Map<String, String> headers(JsonNode node, String where) throws Invalid {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null) {
            return headers;
        }
        for (Map.Entry<String, JsonNode> e : objectNode(node, where).entrySet()) {
            String name = e.getKey();
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new Invalid(where + " has an invalid header name '" + name + "'");
            }
            JsonNode v = e.getValue();
            String value;
            if (v == null || v.isNull()) {
                throw new Invalid(where + "." + name + " has no value");
            } else if (v.isString()) {
                value = v.asString();
            } else if (v.isNumber()) {
                value = v.asNumber();
            } else if (v.isBoolean()) {
                value = Boolean.toString(v.asBoolean());
            } else {
                throw new Invalid(where + "." + name + " must be a string");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new Invalid(where + "." + name + " must not contain line breaks");
            }
            headers.put(name, value);
        }
        return headers;
    }

    private static String string(JsonNode node, String where) throws Invalid {
        if (node == null) {
            return null;
        }
        if (!node.isString()) {
            throw new Invalid(where + " must be a string");
        }
        return node.asString();
    }

    private static int integer(JsonNode node, String where) throws Invalid {
        if (!node.isNumber()) {
            throw new Invalid(where + " must be an integer");
        }
        try {
            return Integer.parseInt(node.asNumber());
        } catch (NumberFormatException e) {
            throw new Invalid(where + " must be an integer; was " + node.asNumber());
        }
    }

    private static int statusCode(JsonNode node, String where) throws Invalid {
        int code = integer(node, where);
        if (code < 100 || code > 599) {
            throw new Invalid(where + " must be an HTTP status code 100-599; was " + code);
        }
        return code;
    }
}
