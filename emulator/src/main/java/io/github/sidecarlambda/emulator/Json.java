package io.github.sidecarlambda.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Minimal JSON helpers: parsing via the SDK's JsonNode, writing by hand. */
final class Json {
    private Json() {}

    static JsonNode parse(String s) {
        return JsonNode.parser().parse(s);
    }

    static JsonNode parse(byte[] b) {
        return JsonNode.parser().parse(b);
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /** Serializes a parsed node back to compact JSON. */
    static String write(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        write(n, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n == null || n.isNull()) {
            sb.append("null");
        } else if (n.isString()) {
            sb.append(quote(n.asString()));
        } else if (n.isNumber()) {
            sb.append(n.asNumber());
        } else if (n.isBoolean()) {
            sb.append(n.asBoolean());
        } else if (n.isArray()) {
            sb.append('[');
            boolean first = true;
            for (JsonNode e : n.asArray()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(e, sb);
            }
            sb.append(']');
        } else if (n.isObject()) {
            sb.append('{');
            boolean first = true;
            for (var e : n.asObject().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(quote(e.getKey())).append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            sb.append(quote(n.text()));
        }
    }

    static Optional<String> str(JsonNode obj, String field) {
        if (obj == null || !obj.isObject()) {
            return Optional.empty();
        }
        return obj.field(field).filter(v -> !v.isNull()).map(v -> v.isString() ? v.asString() : v.text());
    }

    static Optional<Boolean> bool(JsonNode obj, String field) {
        if (obj == null || !obj.isObject()) {
            return Optional.empty();
        }
        return obj.field(field)
                .filter(v -> !v.isNull())
                .map(v -> v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(v.text()));
    }

    /** A value that may be a single string or an array of strings. */
    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n.asArray()) {
                out.add(e.isString() ? e.asString() : e.text());
            }
        } else {
            out.add(n.isString() ? n.asString() : n.text());
        }
        return out;
    }
}
