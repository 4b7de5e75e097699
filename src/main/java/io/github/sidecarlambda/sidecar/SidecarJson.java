package io.github.sidecarlambda.sidecar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The small JSON writer of the sidecar mode: renders maps, lists, text, numbers, booleans and parsed {@link JsonNode}s
 * (the AWS SDK's parser reads; it has no writer the component can rely on), escaping text as RFC 8259 requires.
 */
final class SidecarJson {

    private SidecarJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(out, value);
        return out.toString();
    }

    public static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof JsonNode node) {
            writeNode(out, node);
        } else if (value instanceof CharSequence text) {
            quote(out, text);
        } else if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Number number) {
            double d = number.doubleValue();
            out.append(Double.isFinite(d) ? number.toString() : "null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            quote(out, value.toString());
        }
    }

    private static void writeNode(StringBuilder out, JsonNode node) {
        if (node.isNull()) {
            out.append("null");
        } else if (node.isString()) {
            quote(out, node.asString());
        } else if (node.isNumber()) {
            out.append(node.asNumber());
        } else if (node.isBoolean()) {
            out.append(node.asBoolean());
        } else if (node.isArray()) {
            write(out, node.asArray());
        } else if (node.isObject()) {
            write(out, node.asObject());
        } else {
            out.append("null");
        }
    }

    public static void quote(StringBuilder out, CharSequence text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A parsed JSON value as plain Java: Map, List, String, Boolean, Long/Double (numbers), or null. */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            String n = node.asNumber();
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException notIntegral) {
                return Double.parseDouble(n);
            }
        }
        if (node.isArray()) {
            List<JsonNode> items = node.asArray();
            ArrayList<Object> list = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                list.add(toJava(item));
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.asObject().entrySet()) {
            map.put(e.getKey(), toJava(e.getValue()));
        }
        return map;
    }
}
