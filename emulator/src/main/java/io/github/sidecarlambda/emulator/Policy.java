package io.github.sidecarlambda.emulator;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * An IAM policy document (identity, trust or session policy) and its evaluation. The emulator fails closed: a
 * document with an element, condition operator or condition key it does not implement is refused when it is loaded
 * (IllegalArgumentException; STS turns it into MalformedPolicyDocument), never evaluated as "no match", so a Deny
 * can never be silently ignored. What is supported is listed in docs/emulator.md ("Policies").
 */
final class Policy {
    enum Decision {
        ALLOW,
        DENY,
        NONE
    }

    /** What the document is attached as: IAM refuses different elements in each. */
    enum Kind {
        /** Identity or session policy: no Principal, Resource required. */
        IDENTITY,
        /** Role trust policy: Principal required, no Resource. */
        TRUST,
        /** Kind unknown to the caller: only the rules common to both are checked. */
        ANY
    }

    /** The caller as seen by a trust policy. */
    record Caller(String arn, String account, String principalArn, boolean user) {}

    static final class Statement {
        boolean allow;
        Map<String, List<String>> principal; // null = no Principal element
        List<String> actions;
        List<String> notActions;
        List<String> resources;
        List<String> notResources;
        List<Condition> conditions = new ArrayList<>();
    }

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of(
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    /** Services whose actions the emulator authorizes; statements naming only other services never apply here. */
    private static final List<String> SERVED = List.of("sts", "ssm", "secretsmanager", "lambda");

    /**
     * Condition keys the emulator models (lower case; IAM key names are case-insensitive). Either it supplies them
     * where AWS does (see Iam.Principal#context and StsService), or AWS documents them as absent in every request the
     * emulator can receive (no MFA, no VPC endpoint, no service acting on a principal's or a resource's behalf, no
     * browser), so "absent" is the exact answer. Any other key is refused at load.
     */
    static final Set<String> MODELLED_KEYS = Set.of(
            // supplied
            "aws:currenttime",
            "aws:epochtime",
            "aws:principalarn",
            "aws:principalaccount",
            "aws:principaltype",
            "aws:userid",
            "aws:username",
            "aws:sourceip",
            "aws:securetransport",
            "aws:requestedregion",
            "aws:tokenissuetime",
            "aws:multifactorauthpresent",
            "aws:viaawsservice",
            "aws:useragent",
            "sts:externalid",
            "sts:rolesessionname",
            // always absent in the emulator
            "aws:multifactorauthage",
            "aws:sourcevpc",
            "aws:sourcevpce",
            "aws:vpcsourceip",
            "aws:sourcearn",
            "aws:sourceaccount",
            "aws:calledvia",
            "aws:calledviafirst",
            "aws:calledvialast",
            "aws:referer");

    final String source;
    final List<Statement> statements;

    private Policy(String source, List<Statement> statements) {
        this.source = source;
        this.statements = statements;
    }

    /** Parses with the rules common to every kind of policy; prefer {@link #parse(String, Kind)}. */
    static Policy parse(String json) {
        return parse(json, Kind.ANY);
    }

    static Policy parse(String json, Kind kind) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (RuntimeException e) {
            throw new MalformedJson("Policy is not valid JSON: " + e.getMessage(), e);
        }
        return parse(root, json, kind);
    }

    /** A document that is not JSON at all (STS words this case differently from a grammar error). */
    static final class MalformedJson extends IllegalArgumentException {
        MalformedJson(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Policy parse(JsonNode root, String source, Kind kind) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("Policy must be a JSON object");
        }
        for (String element : root.asObject().keySet()) {
            if (!TOP_LEVEL.contains(element)) {
                throw new IllegalArgumentException("Syntax errors in policy: unknown element " + element
                        + " (a policy has only Version, Id and Statement)");
            }
        }
        String version = root.field("Version")
                .map(v -> v.isString() ? v.asString() : v.text())
                .orElse(null);
        if (version != null && !version.equals("2012-10-17") && !version.equals("2008-10-17")) {
            throw new IllegalArgumentException(
                    "The policy Version " + version + " is not valid: use 2012-10-17 or 2008-10-17");
        }
        // policy variables exist only in 2012-10-17; in older documents ${...} is literal text
        boolean variables = "2012-10-17".equals(version);
        JsonNode st =
                root.field("Statement").orElseThrow(() -> new IllegalArgumentException("Policy has no Statement"));
        List<JsonNode> sts = st.isArray() ? st.asArray() : List.of(st);
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : sts) {
            out.add(statement(s, kind, variables));
        }
        return new Policy(source, Collections.unmodifiableList(out));
    }

    private static Statement statement(JsonNode s, Kind kind, boolean variables) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("Statement must be an object");
        }
        for (String element : s.asObject().keySet()) {
            if (!STATEMENT_ELEMENTS.contains(element)) {
                throw new IllegalArgumentException("Syntax errors in policy: unknown statement element " + element);
            }
        }
        Statement x = new Statement();
        String effect =
                Json.str(s, "Effect").orElseThrow(() -> new IllegalArgumentException("Statement has no Effect"));
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException("Invalid Effect " + effect);
        }
        x.allow = effect.equals("Allow");
        boolean hasPrincipal = s.field("Principal").isPresent();
        boolean hasNotPrincipal = s.field("NotPrincipal").isPresent();
        if (kind == Kind.IDENTITY && (hasPrincipal || hasNotPrincipal)) {
            throw new IllegalArgumentException("Policy document should not specify a principal.");
        }
        if (hasNotPrincipal) {
            throw new IllegalArgumentException(
                    "NotPrincipal is not implemented by the emulator; name the principals in Principal");
        }
        if (kind == Kind.TRUST && !hasPrincipal) {
            throw new IllegalArgumentException("Missing required field Principal");
        }
        s.field("Principal").ifPresent(p -> x.principal = principal(p));
        x.actions = s.field("Action").map(v -> strings(v, "Action")).orElse(null);
        x.notActions = s.field("NotAction").map(v -> strings(v, "NotAction")).orElse(null);
        if (x.actions == null && x.notActions == null) {
            throw new IllegalArgumentException("Statement has no Action");
        }
        if (x.actions != null && x.notActions != null) {
            throw new IllegalArgumentException("Statement has both Action and NotAction");
        }
        x.resources = s.field("Resource").map(v -> strings(v, "Resource")).orElse(null);
        x.notResources =
                s.field("NotResource").map(v -> strings(v, "NotResource")).orElse(null);
        if (x.resources != null && x.notResources != null) {
            throw new IllegalArgumentException("Statement has both Resource and NotResource");
        }
        boolean hasResource = x.resources != null || x.notResources != null;
        if (kind == Kind.TRUST && hasResource) {
            throw new IllegalArgumentException("Has prohibited field Resource");
        }
        if (kind == Kind.IDENTITY && !hasResource) {
            throw new IllegalArgumentException("Policy statement must contain resources.");
        }
        if (variables) {
            noVariables(x.resources);
            noVariables(x.notResources);
        }
        boolean live = appliesToServedActions(x);
        s.field("Condition").ifPresent(c -> {
            if (!c.isObject()) {
                throw new IllegalArgumentException("Condition must be an object");
            }
            c.asObject().forEach((op, kv) -> {
                if (!kv.isObject()) {
                    throw new IllegalArgumentException("Condition operator block must be an object");
                }
                kv.asObject().forEach((k, v) -> {
                    Condition cond = Condition.parse(op, k, v);
                    if (variables && cond.family != Family.NULL) {
                        noVariables(cond.values);
                    }
                    // A statement naming only actions of services the emulator does not serve (e.g. kms:Decrypt with
                    // kms:ViaService) is never evaluated here, so its keys cannot make a test pass by mistake.
                    if (live) {
                        checkKey(k);
                    }
                    x.conditions.add(cond);
                });
            });
        });
        return x;
    }

    private static Map<String, List<String>> principal(JsonNode p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (p.isString()) {
            if (!p.asString().equals("*")) {
                throw new IllegalArgumentException("Invalid principal in policy: " + p.asString());
            }
            out.put("AWS", List.of("*"));
        } else if (p.isObject()) {
            p.asObject().forEach((k, v) -> {
                if (!PRINCIPAL_TYPES.contains(k)) {
                    throw new IllegalArgumentException("Invalid principal in policy: unknown principal type " + k);
                }
                out.put(k, strings(v, "Principal"));
            });
        } else {
            throw new IllegalArgumentException("Invalid principal in policy");
        }
        return out;
    }

    private static List<String> strings(JsonNode n, String element) {
        if (n.isArray()) {
            for (JsonNode e : n.asArray()) {
                if (!e.isString()) {
                    throw new IllegalArgumentException(element + " must be a string or an array of strings");
                }
            }
        } else if (!n.isString()) {
            throw new IllegalArgumentException(element + " must be a string or an array of strings");
        }
        return Json.strings(n);
    }

    private static void noVariables(List<String> values) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            if (v.contains("${")) {
                throw new IllegalArgumentException("Policy variables (" + v + ") are not implemented by the emulator");
            }
        }
    }

    private static boolean appliesToServedActions(Statement s) {
        if (s.notActions != null) {
            return true;
        }
        for (String a : s.actions) {
            int colon = a.indexOf(':');
            String service = colon < 0 ? a : a.substring(0, colon);
            for (String served : SERVED) {
                if (wildcard(service, served, true)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Web identity keys, {@code <provider url>:sub|aud}, supplied on AssumeRoleWithWebIdentity (see WebIdentity). */
    private static final Pattern WEB_IDENTITY_KEY = Pattern.compile("[a-z0-9.-]+\\.[a-z]{2,}(/[^:]*)?:(sub|aud)");

    private static void checkKey(String key) {
        if (!MODELLED_KEYS.contains(lower(key))
                && !WEB_IDENTITY_KEY.matcher(lower(key)).matches()) {
            throw new IllegalArgumentException("Condition key " + key + " is not modelled by the emulator. IAM would "
                    + "accept it and treat it as absent when a request lacks it; the emulator refuses it so that a "
                    + "policy can never pass a test by accident. Supported keys: see docs/emulator.md");
        }
    }

    // ------------------------------------------------------------------------------------------ conditions

    /** The operator families of the IAM condition grammar that the emulator implements. */
    enum Family {
        STRING,
        NUMERIC,
        DATE,
        BOOL,
        IP,
        ARN,
        NULL
    }

    enum Qualifier {
        NONE,
        FOR_ANY_VALUE,
        FOR_ALL_VALUES
    }

    private record Operator(Family family, String test, boolean negated) {}

    /** Operator name -> family, the positive comparison it makes, and whether it is negated (NOR of that test). */
    private static final Map<String, Operator> OPERATORS = Map.ofEntries(
            Map.entry("StringEquals", new Operator(Family.STRING, "StringEquals", false)),
            Map.entry("StringNotEquals", new Operator(Family.STRING, "StringEquals", true)),
            Map.entry("StringEqualsIgnoreCase", new Operator(Family.STRING, "StringEqualsIgnoreCase", false)),
            Map.entry("StringNotEqualsIgnoreCase", new Operator(Family.STRING, "StringEqualsIgnoreCase", true)),
            Map.entry("StringLike", new Operator(Family.STRING, "StringLike", false)),
            Map.entry("StringNotLike", new Operator(Family.STRING, "StringLike", true)),
            Map.entry("NumericEquals", new Operator(Family.NUMERIC, "Equals", false)),
            Map.entry("NumericNotEquals", new Operator(Family.NUMERIC, "Equals", true)),
            Map.entry("NumericLessThan", new Operator(Family.NUMERIC, "LessThan", false)),
            Map.entry("NumericLessThanEquals", new Operator(Family.NUMERIC, "LessThanEquals", false)),
            Map.entry("NumericGreaterThan", new Operator(Family.NUMERIC, "GreaterThan", false)),
            Map.entry("NumericGreaterThanEquals", new Operator(Family.NUMERIC, "GreaterThanEquals", false)),
            Map.entry("DateEquals", new Operator(Family.DATE, "Equals", false)),
            Map.entry("DateNotEquals", new Operator(Family.DATE, "Equals", true)),
            Map.entry("DateLessThan", new Operator(Family.DATE, "LessThan", false)),
            Map.entry("DateLessThanEquals", new Operator(Family.DATE, "LessThanEquals", false)),
            Map.entry("DateGreaterThan", new Operator(Family.DATE, "GreaterThan", false)),
            Map.entry("DateGreaterThanEquals", new Operator(Family.DATE, "GreaterThanEquals", false)),
            Map.entry("Bool", new Operator(Family.BOOL, "Bool", false)),
            Map.entry("IpAddress", new Operator(Family.IP, "IpAddress", false)),
            Map.entry("NotIpAddress", new Operator(Family.IP, "IpAddress", true)),
            // "The ArnEquals and ArnLike condition operators behave identically" (IAM User Guide)
            Map.entry("ArnEquals", new Operator(Family.ARN, "ArnLike", false)),
            Map.entry("ArnLike", new Operator(Family.ARN, "ArnLike", false)),
            Map.entry("ArnNotEquals", new Operator(Family.ARN, "ArnLike", true)),
            Map.entry("ArnNotLike", new Operator(Family.ARN, "ArnLike", true)),
            Map.entry("Null", new Operator(Family.NULL, "Null", false)));

    /** One key of one operator block, with its policy values parsed once at load. */
    static final class Condition {
        final String operator; // as written, e.g. ForAnyValue:StringLikeIfExists
        final String key;
        final List<String> values;
        final Family family;
        private final String test;
        private final boolean negated;
        private final boolean ifExists;
        private final Qualifier qualifier;
        private final List<Object> parsed = new ArrayList<>();

        private Condition(
                String operator, String key, List<String> values, Operator op, boolean ifExists, Qualifier qualifier) {
            this.operator = operator;
            this.key = key;
            this.values = values;
            this.family = op.family();
            this.test = op.test();
            this.negated = op.negated();
            this.ifExists = ifExists;
            this.qualifier = qualifier;
        }

        /** Parses and validates one operator/key/values triple; keys are checked by the document, not here. */
        static Condition parse(String operator, String key, JsonNode valueNode) {
            String name = operator;
            Qualifier q = Qualifier.NONE;
            if (name.startsWith("ForAnyValue:")) {
                q = Qualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            } else if (name.startsWith("ForAllValues:")) {
                q = Qualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            }
            boolean ifExists = name.endsWith("IfExists") && !name.equals("IfExists");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            Operator op = OPERATORS.get(name);
            if (op == null) {
                throw new IllegalArgumentException("Condition operator " + operator + " is not a valid condition "
                        + "operator or is not implemented by the emulator");
            }
            if (op.family() == Family.NULL && (ifExists || q != Qualifier.NONE)) {
                // IAM: "You can add IfExists to the end of any condition operator name except the Null condition"
                throw new IllegalArgumentException("Condition operator " + operator + " is not valid: Null takes "
                        + "neither IfExists nor a set qualifier");
            }
            List<String> values = conditionValues(operator, key, valueNode);
            Condition c = new Condition(operator, key, values, op, ifExists, q);
            for (String v : values) {
                c.parsed.add(c.parseValue(v));
            }
            return c;
        }

        /** Test entry point: operator, key and a JSON value (string, or array of strings). */
        static Condition parse(String operator, String key, String valueJson) {
            return parse(operator, key, Json.parse(valueJson));
        }

        private static List<String> conditionValues(String operator, String key, JsonNode n) {
            List<JsonNode> items = n.isArray() ? n.asArray() : List.of(n);
            List<String> out = new ArrayList<>();
            for (JsonNode item : items) {
                if (item.isString()) {
                    out.add(item.asString());
                } else if (item.isNumber() || item.isBoolean()) {
                    out.add(item.text());
                } else {
                    throw new IllegalArgumentException(
                            "Condition " + operator + " " + key + " values must be strings, numbers or booleans");
                }
            }
            return out;
        }

        private Object parseValue(String v) {
            switch (family) {
                case NUMERIC:
                    BigDecimal d = number(v);
                    if (d == null) {
                        throw invalid(v, "a number");
                    }
                    return d;
                case DATE:
                    Instant t = date(v);
                    if (t == null) {
                        throw invalid(v, "an ISO 8601 date (W3C profile) or epoch seconds");
                    }
                    return t;
                case BOOL:
                case NULL:
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        throw invalid(v, "true or false");
                    }
                    return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
                case IP:
                    Cidr c = Cidr.parse(v);
                    if (c == null) {
                        throw invalid(v, "an IPv4 or IPv6 address or CIDR range");
                    }
                    return c;
                case ARN:
                    if (v.split(":", 6).length < 6) {
                        throw invalid(v, "an ARN of six colon-separated parts");
                    }
                    return v;
                default:
                    return v;
            }
        }

        private IllegalArgumentException invalid(String v, String expected) {
            return new IllegalArgumentException(
                    "Condition " + operator + " " + key + ": value " + v + " is not " + expected);
        }

        /** Whether the condition holds for the request context (keys looked up case-insensitively). */
        boolean holds(Map<String, List<String>> context) {
            List<String> actual = lookup(context, key);
            boolean absent = actual == null || actual.isEmpty();
            if (family == Family.NULL) {
                // "true": the key must be absent; "false": present. Several values are OR-ed like any other.
                for (Object want : parsed) {
                    if ((Boolean) want == absent) {
                        return true;
                    }
                }
                return false;
            }
            if (absent) {
                if (ifExists) {
                    return true;
                }
                switch (qualifier) {
                    case FOR_ALL_VALUES:
                        return true; // vacuously: no value fails
                    case FOR_ANY_VALUE:
                        return false; // no value matches
                    default:
                        return negated; // "the key is not matched" holds when it is not there
                }
            }
            if (qualifier == Qualifier.FOR_ALL_VALUES) {
                for (String v : actual) {
                    if (!valueMatches(v)) {
                        return false;
                    }
                }
                return true;
            }
            for (String v : actual) {
                if (valueMatches(v)) {
                    return true;
                }
            }
            return false;
        }

        /** One request value against all policy values: OR for positive operators, NOR for negated ones. */
        private boolean valueMatches(String requestValue) {
            boolean any = false;
            for (Object p : parsed) {
                if (test(p, requestValue)) {
                    any = true;
                    break;
                }
            }
            return negated != any;
        }

        private boolean test(Object policyValue, String requestValue) {
            switch (family) {
                case STRING: {
                    String p = (String) policyValue;
                    switch (test) {
                        case "StringEquals":
                            return p.equals(requestValue);
                        case "StringEqualsIgnoreCase":
                            return p.equalsIgnoreCase(requestValue);
                        default:
                            return wildcard(p, requestValue, false);
                    }
                }
                case NUMERIC: {
                    BigDecimal r = number(requestValue);
                    return r != null && compare(r.compareTo((BigDecimal) policyValue));
                }
                case DATE: {
                    Instant r = date(requestValue);
                    return r != null && compare(r.compareTo((Instant) policyValue));
                }
                case BOOL:
                    return ((Boolean) policyValue).toString().equalsIgnoreCase(requestValue);
                case IP:
                    return ((Cidr) policyValue).contains(requestValue);
                case ARN:
                    return arnLike((String) policyValue, requestValue);
                default:
                    return false;
            }
        }

        /** Request value compared to policy value: sign of request.compareTo(policy). */
        private boolean compare(int sign) {
            switch (test) {
                case "Equals":
                    return sign == 0;
                case "LessThan":
                    return sign < 0;
                case "LessThanEquals":
                    return sign <= 0;
                case "GreaterThan":
                    return sign > 0;
                default:
                    return sign >= 0; // GreaterThanEquals
            }
        }
    }

    private static List<String> lookup(Map<String, List<String>> context, String key) {
        List<String> v = context.get(key);
        if (v != null) {
            return v;
        }
        for (var e : context.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern EPOCH = Pattern.compile("-?\\d+");

    private static BigDecimal number(String s) {
        return s != null && DECIMAL.matcher(s).matches() ? new BigDecimal(s) : null;
    }

    /** ISO 8601 in the W3C profile (YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.s]]TZD) or epoch seconds. */
    static Instant date(String s) {
        if (s == null) {
            return null;
        }
        if (EPOCH.matcher(s).matches()) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date-time; try the shorter W3C forms
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        try {
            return YearMonth.parse(s).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    /** ARN operators compare each of the six colon-separated parts separately, each with * and ? wildcards. */
    static boolean arnLike(String pattern, String value) {
        String[] p = pattern.split(":", 6);
        String[] v = value.split(":", 6);
        if (p.length < 6 || v.length < 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!wildcard(p[i], v[i], false)) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 or IPv6 range; a bare address is /32 or /128. Literals only: never a name lookup. */
    record Cidr(byte[] network, int prefix) {
        private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            byte[] bytes = literal(addr);
            if (bytes == null) {
                return null;
            }
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (prefix < 0 || prefix > max) {
                    return null;
                }
            }
            return new Cidr(bytes, prefix);
        }

        static byte[] literal(String addr) {
            boolean v4 = V4.matcher(addr).matches();
            if (!v4 && !(addr.contains(":") && V6.matcher(addr).matches())) {
                return null;
            }
            try {
                byte[] b = InetAddress.getByName(addr).getAddress();
                return v4 && b.length != 4 ? null : b;
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(String requestValue) {
            byte[] ip = requestValue == null ? null : literal(requestValue);
            if (ip == null || ip.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((ip[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------ evaluation

    /** Identity-based (or session policy) evaluation. */
    Decision evaluate(String action, String resource, Map<String, List<String>> context) {
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
    Decision evaluateTrust(Caller caller, String action, Map<String, List<String>> context, boolean[] specific) {
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

    /** Operators, and keys within one operator, are AND-ed. */
    private static boolean conditionsMatch(Statement s, Map<String, List<String>> context) {
        for (Condition c : s.conditions) {
            if (!c.holds(context)) {
                return false;
            }
        }
        return true;
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
            return Pattern.compile(
                    re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
        });
        return p.matcher(value).matches();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
