package io.github.sidecarlambda.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * An IAM policy document (identity, trust or session policy) and its evaluation.
 * Supports Effect, Principal (AWS), Action/NotAction, Resource/NotResource with * and ? wildcards, and
 * Condition operators StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringLike, StringNotLike
 * (each also with IfExists), ForAnyValue/ForAllValues not supported.
 */
final class Policy {
    enum Decision { ALLOW, DENY, NONE }

    /** The caller as seen by a trust policy. */
    record Caller(String arn, String account, String principalArn, boolean user) {
    }

    static final class Statement {
        boolean allow;
        Map<String, List<String>> principal; // null = no Principal element
        List<String> actions;
        List<String> notActions;
        List<String> resources;
        List<String> notResources;
        List<Condition> conditions = new ArrayList<>();
    }

    record Condition(String operator, String key, List<String> values) {
    }

    final String source;
    final List<Statement> statements;

    private Policy(String source, List<Statement> statements) {
        this.source = source;
        this.statements = statements;
    }

    static Policy parse(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Policy is not valid JSON: " + e.getMessage(), e);
        }
        return parse(root, json);
    }

    static Policy parse(JsonNode root, String source) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("Policy must be a JSON object");
        }
        JsonNode st = root.field("Statement").orElseThrow(() -> new IllegalArgumentException("Policy has no Statement"));
        List<JsonNode> sts = st.isArray() ? st.asArray() : List.of(st);
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : sts) {
            if (!s.isObject()) {
                throw new IllegalArgumentException("Statement must be an object");
            }
            Statement x = new Statement();
            String effect = Json.str(s, "Effect").orElseThrow(() -> new IllegalArgumentException("Statement has no Effect"));
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("Invalid Effect " + effect);
            }
            x.allow = effect.equals("Allow");
            s.field("Principal").ifPresent(p -> {
                x.principal = new LinkedHashMap<>();
                if (p.isString()) {
                    x.principal.put("AWS", List.of(p.asString())); // "*"
                } else if (p.isObject()) {
                    p.asObject().forEach((k, v) -> x.principal.put(k, Json.strings(v)));
                }
            });
            x.actions = s.field("Action").map(Json::strings).orElse(null);
            x.notActions = s.field("NotAction").map(Json::strings).orElse(null);
            if (x.actions == null && x.notActions == null) {
                throw new IllegalArgumentException("Statement has no Action");
            }
            x.resources = s.field("Resource").map(Json::strings).orElse(null);
            x.notResources = s.field("NotResource").map(Json::strings).orElse(null);
            s.field("Condition").ifPresent(c -> {
                if (!c.isObject()) {
                    throw new IllegalArgumentException("Condition must be an object");
                }
                c.asObject().forEach((op, kv) -> {
                    if (!kv.isObject()) {
                        throw new IllegalArgumentException("Condition operator block must be an object");
                    }
                    kv.asObject().forEach((k, v) -> x.conditions.add(new Condition(op, k, Json.strings(v))));
                });
            });
            out.add(x);
        }
        return new Policy(source, Collections.unmodifiableList(out));
    }

    /** Identity-based (or session policy) evaluation. */
    Decision evaluate(String action, String resource, Map<String, String> context) {
        Decision d = Decision.NONE;
        for (Statement s : statements) {
            if (!actionMatches(s, action) || !resourceMatches(s, resource) || !conditionsMatch(s, context)) {
                continue;
            }
            if (!s.allow) {
                return Decision.DENY;
            }
            d = Decision.ALLOW;
        }
        return d;
    }

    /**
     * Resource-based (trust policy) evaluation. Returns DENY, NONE or ALLOW; also reports whether the allow named
     * the caller specifically (not by account), which for same-account callers makes an identity policy unnecessary.
     */
    Decision evaluateTrust(Caller caller, String action, Map<String, String> context, boolean[] specific) {
        Decision d = Decision.NONE;
        for (Statement s : statements) {
            if (s.principal == null || !actionMatches(s, action) || !conditionsMatch(s, context)) {
                continue;
            }
            int m = principalMatch(s.principal, caller);
            if (m == 0) {
                continue;
            }
            if (!s.allow) {
                return Decision.DENY;
            }
            d = Decision.ALLOW;
            if (m == 2) {
                specific[0] = true;
            }
        }
        return d;
    }

    /** 0 = no match, 1 = by account or wildcard, 2 = this exact principal. */
    private static int principalMatch(Map<String, List<String>> principal, Caller caller) {
        int best = 0;
        for (String p : principal.getOrDefault("AWS", List.of())) {
            if (p.equals("*")) {
                best = Math.max(best, 1);
            } else if (p.equals(caller.account()) || p.equals("arn:aws:iam::" + caller.account() + ":root")) {
                best = Math.max(best, 1);
            } else if (p.equals(caller.principalArn()) || p.equals(caller.arn())) {
                best = 2;
            }
        }
        return best;
    }

    private static boolean actionMatches(Statement s, String action) {
        if (s.actions != null) {
            for (String a : s.actions) {
                if (wildcard(a, action, true)) {
                    return true;
                }
            }
            return false;
        }
        for (String a : s.notActions) {
            if (wildcard(a, action, true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean resourceMatches(Statement s, String resource) {
        if (s.resources != null) {
            for (String r : s.resources) {
                if (wildcard(r, resource, false)) {
                    return true;
                }
            }
            return false;
        }
        if (s.notResources != null) {
            for (String r : s.notResources) {
                if (wildcard(r, resource, false)) {
                    return false;
                }
            }
            return true;
        }
        return false; // identity statements need a Resource
    }

    private static boolean conditionsMatch(Statement s, Map<String, String> context) {
        for (Condition c : s.conditions) {
            if (!conditionMatches(c, context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean conditionMatches(Condition c, Map<String, String> context) {
        String op = c.operator();
        boolean ifExists = op.endsWith("IfExists");
        if (ifExists) {
            op = op.substring(0, op.length() - "IfExists".length());
        }
        String value = null;
        for (var e : context.entrySet()) {
            if (e.getKey().equalsIgnoreCase(c.key())) {
                value = e.getValue();
                break;
            }
        }
        if (value == null) {
            if (ifExists) {
                return true;
            }
            return op.startsWith("StringNot"); // negated operators match an absent key, as IAM does
        }
        switch (op) {
            case "StringEquals":
                return c.values().contains(value);
            case "StringNotEquals":
                return !c.values().contains(value);
            case "StringEqualsIgnoreCase":
                return c.values().stream().anyMatch(value::equalsIgnoreCase);
            case "StringNotEqualsIgnoreCase":
                return c.values().stream().noneMatch(value::equalsIgnoreCase);
            case "StringLike":
            case "ArnLike":
                for (String v : c.values()) {
                    if (wildcard(v, value, false)) {
                        return true;
                    }
                }
                return false;
            case "StringNotLike":
            case "ArnNotLike":
                for (String v : c.values()) {
                    if (wildcard(v, value, false)) {
                        return false;
                    }
                }
                return true;
            case "ArnEquals":
                return c.values().contains(value);
            case "ArnNotEquals":
                return !c.values().contains(value);
            default:
                return false; // unsupported operator never matches
        }
    }

    private static final Map<String, Pattern> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return ignoreCase ? pattern.equalsIgnoreCase(value) : pattern.equals(value);
        }
        Pattern p = CACHE.computeIfAbsent((ignoreCase ? "i:" : "c:") + pattern, k -> {
            StringBuilder re = new StringBuilder();
            for (char ch : pattern.toCharArray()) {
                if (ch == '*') {
                    re.append(".*");
                } else if (ch == '?') {
                    re.append('.');
                } else {
                    re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
        });
        return p.matcher(value).matches();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
