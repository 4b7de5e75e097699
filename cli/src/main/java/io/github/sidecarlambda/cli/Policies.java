package io.github.sidecarlambda.cli;

import java.util.List;

/** The customer's policies as valid, pretty-printed JSON. */
final class Policies {

    private Policies() {}

    /**
     * Trust policy: only {@code platformPrincipal} may assume the role, and only with one of {@code externalIds}
     * ({@code StringEquals} with several values matches any of them, which is how a rotation trusts old and new: IAM
     * User Guide, "Conditions with multiple context keys or values", values of one key are ORed).
     */
    static String trust(String platformPrincipal, List<String> externalIds) {
        String ids = externalIds.size() == 1 ? quote(externalIds.get(0)) : list(externalIds, "            ");
        return "{\n"
                + "  \"Version\": \"2012-10-17\",\n"
                + "  \"Statement\": [\n"
                + "    {\n"
                + "      \"Effect\": \"Allow\",\n"
                + "      \"Principal\": {\n"
                + "        \"AWS\": " + quote(platformPrincipal) + "\n"
                + "      },\n"
                + "      \"Action\": \"sts:AssumeRole\",\n"
                + "      \"Condition\": {\n"
                + "        \"StringEquals\": {\n"
                + "          \"sts:ExternalId\": " + ids + "\n"
                + "        }\n"
                + "      }\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
    }

    /** Permission policy: {@code lambda:InvokeFunction} on exactly the ARN invoked, nothing else. */
    static String invoke(List<String> functionArns) {
        String resources = functionArns.size() == 1 ? quote(functionArns.get(0)) : list(functionArns, "      ");
        return "{\n"
                + "  \"Version\": \"2012-10-17\",\n"
                + "  \"Statement\": [\n"
                + "    {\n"
                + "      \"Effect\": \"Allow\",\n"
                + "      \"Action\": \"lambda:InvokeFunction\",\n"
                + "      \"Resource\": " + resources + "\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
    }

    private static String list(List<String> values, String indent) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < values.size(); i++) {
            b.append(indent).append("  ").append(quote(values.get(i))).append(i + 1 < values.size() ? ",\n" : "\n");
        }
        return b.append(indent).append(']').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
