package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Function behaviours that answer like the sample functions of the gateway sidecar contract (docs/sidecar-contract.md):
 * allow ({@code {}}), terminate, modify, complete, a post-processor code change, and a function error. Each reads the
 * input it is given where its answer depends on it, so a test sees that the input reached the function. Also
 * available to seed files as behaviours "sidecar-allow", "sidecar-terminate", "sidecar-modify", "sidecar-complete",
 * "sidecar-post-modify", "sidecar-fail" (with "latencyMs" for a slow one).
 */
public final class SidecarHandlers {

    private SidecarHandlers() {}

    /** {@code {}}: continue unchanged. */
    public static LambdaHandler allow() {
        return (payload, ctx) -> {
            requireInput(payload);
            return "{}".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** terminate with the code and message (the gateway answers the client and skips the backend). */
    public static LambdaHandler terminate(int code, String message) {
        byte[] out = ("{\"terminate\":{\"code\":" + code + ",\"message\":" + Json.quote(message)
                        + ",\"headers\":{\"x-sidecar-decision\":\"terminated\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        return (payload, ctx) -> {
            requireInput(payload);
            return out.clone();
        };
    }

    /**
     * modify: adds x-sidecar-point (the input's point) and x-sidecar-message-id (its masheryMessageId), drops
     * x-drop-me, and replaces the payload with json {"wrapped": &lt;the input's request payload, as text&gt;}.
     */
    public static LambdaHandler modify() {
        return (payload, ctx) -> {
            JsonNode in = requireInput(payload);
            String original = in.field("request")
                    .flatMap(r -> r.field("payload"))
                    .filter(JsonNode::isString)
                    .map(JsonNode::asString)
                    .orElse(null);
            return ("{\"modify\":{\"addHeaders\":{\"x-sidecar-point\":"
                            + Json.quote(Json.str(in, "point").orElse(""))
                            + ",\"x-sidecar-message-id\":"
                            + Json.quote(Json.str(in, "masheryMessageId").orElse(""))
                            + "},\"dropHeaders\":[\"x-drop-me\"],\"json\":{\"wrapped\":"
                            + (original == null ? "null" : Json.quote(original)) + "}}}")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    /** modify.completeWithCode: answer the client with the code and a json body, without calling the backend. */
    public static LambdaHandler complete(int code) {
        byte[] out = ("{\"modify\":{\"completeWithCode\":" + code
                        + ",\"json\":{\"answeredBy\":\"sidecar\"},\"addHeaders\":{\"x-sidecar-decision\":\"completed\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        return (payload, ctx) -> {
            requireInput(payload);
            return out.clone();
        };
    }

    /** Post-processor modify: code, x-backend-code (the input's response.code) and x-drop-me dropped. */
    public static LambdaHandler postModify(int code) {
        return (payload, ctx) -> {
            JsonNode in = requireInput(payload);
            String backendCode = in.field("response")
                    .flatMap(r -> r.field("code"))
                    .filter(JsonNode::isNumber)
                    .map(JsonNode::asNumber)
                    .orElse("none");
            return ("{\"modify\":{\"code\":" + code + ",\"addHeaders\":{\"x-backend-code\":" + Json.quote(backendCode)
                            + "},\"dropHeaders\":[\"x-drop-me\"]}}")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A function error (Unhandled) with the given message; Lambda's body carries errorType and errorMessage. */
    public static LambdaHandler fail(String message) {
        return BuiltinHandlers.fail(message);
    }

    /** Always returns the given answer text (a fixture from the public docs, or a malformed one). */
    public static LambdaHandler fixed(String answer) {
        return BuiltinHandlers.fixed(answer);
    }

    /** A sidecar input is a JSON object with a point; anything else is a test wiring error, thrown as a function error. */
    private static JsonNode requireInput(byte[] payload) {
        JsonNode in = Json.parse(payload);
        if (in == null || !in.isObject() || Json.str(in, "point").isEmpty()) {
            throw new IllegalArgumentException("not a sidecar input");
        }
        return in;
    }

    static LambdaHandler byName(String behaviour, JsonNode spec) {
        return switch (behaviour) {
            case "sidecar-allow" -> allow();
            case "sidecar-terminate" ->
                terminate(
                        Json.str(spec, "code").map(Integer::parseInt).orElse(403),
                        Json.str(spec, "message").orElse("Forbidden by sidecar"));
            case "sidecar-modify" -> modify();
            case "sidecar-complete" ->
                complete(Json.str(spec, "code").map(Integer::parseInt).orElse(200));
            case "sidecar-post-modify" ->
                postModify(Json.str(spec, "code").map(Integer::parseInt).orElse(299));
            case "sidecar-fail" -> fail(Json.str(spec, "errorMessage").orElse("Simulated sidecar failure"));
            default -> null;
        };
    }
}
