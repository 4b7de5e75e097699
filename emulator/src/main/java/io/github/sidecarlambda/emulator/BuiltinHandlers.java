package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;

/** Ready-made function behaviours used by the seed scenario and seed files. */
final class BuiltinHandlers {
    private BuiltinHandlers() {}

    /**
     * "echo": returns {"statusCode":200,"body":&lt;the input payload as a JSON value&gt;,"function":"&lt;name&gt;"} (body is
     * null for an empty payload) and logs "START echo".
     */
    static LambdaHandler echo(String functionName) {
        byte[] prefix = "{\"statusCode\":200,\"body\":".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = (",\"function\":" + Json.quote(functionName) + "}").getBytes(StandardCharsets.UTF_8);
        return (payload, ctx) -> {
            ctx.log("START echo");
            byte[] body = payload == null || isBlank(payload) ? "null".getBytes(StandardCharsets.UTF_8) : payload;
            byte[] out = new byte[prefix.length + body.length + suffix.length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(body, 0, out, prefix.length, body.length);
            System.arraycopy(suffix, 0, out, prefix.length + body.length, suffix.length);
            return out;
        };
    }

    /** "fail": always throws a RuntimeException with the given message (a function error, "Unhandled"). */
    static LambdaHandler fail(String message) {
        return (payload, ctx) -> {
            ctx.log("START fail");
            throw new RuntimeException(message);
        };
    }

    /** "static": always returns the given JSON. */
    static LambdaHandler fixed(String json) {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        return (payload, ctx) -> out.clone();
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }
}
