package io.github.sidecarlambda.cli;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import io.github.sidecarlambda.RoleArn;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.credentials.ExternalId;

/**
 * Checks a trust or permission policy a customer sends back for the mistakes that break the sidecar (or silently open
 * it): each finding names the rule, where it is, the problem and the fix. A trust policy is one whose statements name
 * a {@code Principal}; anything else is read as a permission policy.
 */
final class PolicyLinter {

    enum Severity {
        ERROR,
        WARNING
    }

    record Finding(Severity severity, String rule, String where, String problem, String fix) {}

    /** What the policy should fit; every field may be null (its checks are then skipped). */
    record Expectations(String platformPrincipal, LambdaTarget function, String roleArn, String roleNamePrefix) {}

    enum Kind {
        TRUST,
        PERMISSION
    }

    record Result(Kind kind, List<Finding> findings) {
        boolean hasErrors() {
            return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    static final int MIN_EXTERNAL_ID_LENGTH = 32;
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private final List<Finding> findings = new ArrayList<>();

    private PolicyLinter() {}

    static Result lint(String text, Expectations expect) {
        PolicyLinter l = new PolicyLinter();
        Kind kind = l.run(text, expect);
        return new Result(kind, List.copyOf(l.findings));
    }

    private void error(String rule, String where, String problem, String fix) {
        findings.add(new Finding(Severity.ERROR, rule, where, problem, fix));
    }

    private void warn(String rule, String where, String problem, String fix) {
        findings.add(new Finding(Severity.WARNING, rule, where, problem, fix));
    }

    private Kind run(String text, Expectations expect) {
        if (expect.roleArn() != null) {
            checkRoleName(expect.roleArn(), expect.roleNamePrefix());
        }
        JsonNode root;
        try {
            root = JsonNode.parser().parse(text);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            error(
                    "invalid-json",
                    "document",
                    "not valid JSON, IAM refuses it: " + firstLine(why),
                    "put every string, ARNs included, in double quotes (\"arn:aws:lambda:...\"); generate the policy with "
                            + "'policy trust' / 'policy invoke'");
            return null;
        }
        if (!root.isObject()) {
            error(
                    "invalid-structure",
                    "document",
                    "a policy is a JSON object",
                    "start from 'policy trust' / 'policy invoke'");
            return null;
        }
        String version = root.field("Version")
                .filter(JsonNode::isString)
                .map(JsonNode::asString)
                .orElse(null);
        if (!"2012-10-17".equals(version)) {
            warn(
                    "version",
                    "Version",
                    "Version is " + (version == null ? "missing" : "'" + version + "'")
                            + ": IAM then uses the 2008-10-17 language, without policy variables",
                    "set \"Version\": \"2012-10-17\"");
        }
        List<JsonNode> statements = root.field("Statement")
                .map(s -> s.isArray() ? s.asArray() : List.of(s))
                .orElse(List.of());
        if (statements.isEmpty()) {
            error("invalid-structure", "Statement", "no Statement", "start from 'policy trust' / 'policy invoke'");
            return null;
        }
        // IAM: a trust (resource) policy names a Principal, an identity policy may not
        boolean trust = statements.stream()
                .anyMatch(s -> s.isObject()
                        && (s.field("Principal").isPresent()
                                || s.field("NotPrincipal").isPresent()));
        if (trust) {
            lintTrust(statements, expect);
            return Kind.TRUST;
        }
        lintPermission(statements, expect);
        return Kind.PERMISSION;
    }

    private void checkRoleName(String roleArn, String prefix) {
        try {
            RoleArn.parse(roleArn).requireNamePrefix(prefix == null ? "Boomi_sidecar_connector" : prefix);
        } catch (SidecarLambdaConfigurationException e) {
            error(
                    "role-name",
                    "role",
                    e.getMessage(),
                    "create the role with a name that starts with the platform's prefix (IAM cannot rename a role: create "
                            + "a new one and delete the old)");
        }
    }

    // ----------------------------------------------------------------------------------------------------- trust

    private void lintTrust(List<JsonNode> statements, Expectations expect) {
        boolean platformTrusted = false;
        for (int i = 0; i < statements.size(); i++) {
            JsonNode s = statements.get(i);
            String where = "Statement[" + i + "]";
            if (!s.isObject()
                    || !"Allow".equals(s.field("Effect").map(JsonNode::text).orElse(null))) {
                continue;
            }
            if (s.field("NotPrincipal").isPresent()) {
                error(
                        "principal-wildcard",
                        where,
                        "NotPrincipal with Allow trusts everyone not listed",
                        "use \"Principal\": {\"AWS\": \"<platform principal ARN>\"}");
            }
            if (values(s, "Action").stream().noneMatch(a -> matches(a, "sts:AssumeRole"))) {
                continue;
            }
            List<String> principals = principals(s.field("Principal").orElse(null));
            for (String p : principals) {
                if (p.contains("*") || p.contains("?")) {
                    error(
                            "principal-wildcard",
                            where + ".Principal",
                            "principal '" + p + "' lets any AWS identity "
                                    + "(that knows the External ID) assume the role",
                            "name only the platform principal" + platformHint(expect));
                } else if (ACCOUNT.matcher(p).matches() || p.matches("arn:aws[a-zA-Z-]*:iam::\\d{12}:root")) {
                    String acct = p.replaceAll("\\D*(\\d{12}).*", "$1");
                    if (expect.platformPrincipal() != null && !acct.equals(accountOf(expect.platformPrincipal()))) {
                        error(
                                "principal-account",
                                where + ".Principal",
                                "principal '" + p + "' is account " + acct + ", not the platform's account "
                                        + accountOf(expect.platformPrincipal()),
                                "name the platform principal" + platformHint(expect));
                    } else {
                        warn(
                                "principal-account",
                                where + ".Principal",
                                "principal '" + p + "' trusts every identity of "
                                        + "account " + acct
                                        + " that may call sts:AssumeRole, not only the platform role "
                                        + "(the console's 'Another AWS account' writes this)",
                                "name the platform role instead" + platformHint(expect));
                        platformTrusted |= expect.platformPrincipal() != null;
                    }
                } else if (expect.platformPrincipal() != null) {
                    if (p.equals(expect.platformPrincipal())) {
                        platformTrusted = true;
                    } else {
                        String acct = accountOf(p);
                        error(
                                "principal-account",
                                where + ".Principal",
                                "principal '" + p + "' is not the platform "
                                        + "principal " + expect.platformPrincipal()
                                        + (acct != null && !acct.equals(accountOf(expect.platformPrincipal()))
                                                ? " (wrong account " + acct + ")"
                                                : ""),
                                "name the platform principal" + platformHint(expect));
                    }
                }
            }
            lintExternalIdCondition(s, where);
        }
        if (expect.platformPrincipal() != null
                && !platformTrusted
                && findings.stream()
                        .noneMatch(f ->
                                f.rule().equals("principal-account") || f.rule().equals("principal-wildcard"))) {
            error(
                    "principal-account",
                    "Statement",
                    "no statement lets " + expect.platformPrincipal() + " assume the role",
                    "add the trust statement from 'policy trust'");
        }
    }

    private void lintExternalIdCondition(JsonNode s, String where) {
        Map<String, JsonNode> condition = s.field("Condition")
                .filter(JsonNode::isObject)
                .map(JsonNode::asObject)
                .orElse(Map.of());
        boolean required = false;
        for (Map.Entry<String, JsonNode> op : condition.entrySet()) {
            if (!op.getValue().isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().asObject().entrySet()) {
                if (!key.getKey().equalsIgnoreCase("sts:ExternalId")) {
                    continue;
                }
                String operator = op.getKey();
                String at = where + ".Condition." + operator + ".sts:ExternalId";
                List<String> ids = strings(key.getValue());
                String base = operator.replaceFirst("^For(Any|All)Value:", "");
                if (base.endsWith("IfExists") || operator.startsWith("ForAllValues:")) {
                    error(
                            "external-id-missing",
                            at,
                            operator + " is also true when the request has no External ID, "
                                    + "so the role can be assumed without one (confused deputy)",
                            "use \"StringEquals\": {\"sts:ExternalId\": \"<id>\"}");
                    continue;
                }
                if (base.startsWith("StringLike")) {
                    if (ids.stream().anyMatch(v -> v.contains("*") || v.contains("?"))) {
                        error(
                                "external-id-wildcard",
                                at,
                                "StringLike with a wildcard accepts many External IDs, so the "
                                        + "External ID no longer proves which platform tenant is asking",
                                "use \"StringEquals\" with the exact External ID");
                        continue;
                    }
                    warn(
                            "external-id-wildcard",
                            at,
                            "StringLike without wildcards works but invites one",
                            "use \"StringEquals\"");
                } else if (!base.equals("StringEquals")) {
                    error(
                            "external-id-missing",
                            at,
                            operator + " does not require the platform's External ID",
                            "use \"StringEquals\": {\"sts:ExternalId\": \"<id>\"}");
                    continue;
                }
                for (String id : ids) {
                    if (!ExternalId.isValid(id)) {
                        // the value itself may be a secret: never echo it
                        error(
                                "external-id-invalid",
                                at,
                                "a value (" + id.length() + " characters) is not an External ID "
                                        + "STS accepts (2-1224 characters of A-Z a-z 0-9 _ + = , . @ : / -): no AssumeRole can match it"
                                        + (id.contains("<") ? "; it looks like a placeholder left in" : ""),
                                "put the External ID the operator gave you ('policy trust' writes it in)");
                    } else if (id.length() < MIN_EXTERNAL_ID_LENGTH) {
                        warn(
                                "external-id-weak",
                                at,
                                "a value has only " + id.length() + " characters; a short or "
                                        + "hand-made External ID can be guessed",
                                "have the operator generate one ('external-id create', " + ExternalIdCommand.LENGTH
                                        + " random characters)");
                    }
                }
                required = true;
            }
        }
        if (!required && findings.stream().noneMatch(f -> f.where().startsWith(where + ".Condition"))) {
            error(
                    "external-id-missing",
                    where,
                    "no sts:ExternalId condition: anyone who can make the platform assume this "
                            + "role (e.g. by registering your role ARN as theirs) gets in (confused deputy)",
                    "add \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<External ID>\"}} ('policy trust' writes it)");
        }
    }

    private static String platformHint(Expectations expect) {
        return expect.platformPrincipal() == null
                ? ""
                : ": \"Principal\": {\"AWS\": \"" + expect.platformPrincipal() + "\"}";
    }

    private static String accountOf(String arnOrAccount) {
        if (arnOrAccount == null) {
            return null;
        }
        if (ACCOUNT.matcher(arnOrAccount).matches()) {
            return arnOrAccount;
        }
        String[] parts = arnOrAccount.split(":", 6);
        return parts.length >= 5 && ACCOUNT.matcher(parts[4]).matches() ? parts[4] : null;
    }

    private static List<String> principals(JsonNode principal) {
        List<String> out = new ArrayList<>();
        if (principal == null) {
            return out;
        }
        if (principal.isString()) {
            out.add(principal.asString());
            return out;
        }
        if (principal.isObject()) {
            for (Map.Entry<String, JsonNode> e : principal.asObject().entrySet()) {
                out.addAll(strings(e.getValue()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ permission

    private void lintPermission(List<JsonNode> statements, Expectations expect) {
        boolean invokes = false;
        List<String> invokeResources = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            JsonNode s = statements.get(i);
            String where = "Statement[" + i + "]";
            if (!s.isObject()
                    || !"Allow".equals(s.field("Effect").map(JsonNode::text).orElse(null))) {
                continue;
            }
            if (s.field("NotAction").isPresent()) {
                error(
                        "action-wildcard",
                        where + ".NotAction",
                        "NotAction with Allow grants every action not listed",
                        "use \"Action\": \"lambda:InvokeFunction\"");
            }
            if (s.field("NotResource").isPresent()) {
                error(
                        "resource-wildcard",
                        where + ".NotResource",
                        "NotResource with Allow grants every resource not listed",
                        "use \"Resource\": \"<function ARN>\"");
            }
            List<String> actions = values(s, "Action");
            for (String a : actions) {
                if (a.contains("*") || a.contains("?")) {
                    error(
                            "action-wildcard",
                            where + ".Action",
                            "'" + a + "' grants more than invoking (e.g. changing " + "the function's code)",
                            "use \"Action\": \"lambda:InvokeFunction\"");
                } else if (!a.equalsIgnoreCase("lambda:InvokeFunction")) {
                    warn(
                            "action-extra",
                            where + ".Action",
                            "'" + a + "' is not needed: the platform only calls Invoke",
                            "remove it");
                }
            }
            if (actions.stream().noneMatch(a -> matches(a, "lambda:InvokeFunction"))) {
                continue;
            }
            invokes = true;
            for (String r : values(s, "Resource")) {
                invokeResources.add(r);
                String[] parts = r.split(":", 7);
                boolean broad = r.equals("*")
                        || parts.length < 7
                        || !parts[5].equals("function")
                        || parts[6].contains("*") && !parts[6].matches("[a-zA-Z0-9-_]+:\\*")
                        || parts[6].contains("?")
                        || r.substring(0, r.length() - parts[6].length()).contains("*");
                if (broad) {
                    error(
                            "resource-wildcard",
                            where + ".Resource",
                            "'" + r + "' covers other functions or accounts " + "than the one to invoke",
                            "name the function's ARN"
                                    + (expect.function() != null
                                            ? ": \"" + expect.function().invokedArn() + "\""
                                            : ""));
                }
            }
        }
        if (!invokes) {
            error("no-invoke", "Statement", "no statement allows lambda:InvokeFunction", "use 'policy invoke'");
            return;
        }
        LambdaTarget f = expect.function();
        if (f != null && invokeResources.stream().noneMatch(r -> glob(r, f.invokedArn()))) {
            boolean unqualifiedOnly =
                    f.qualifier() != null && invokeResources.stream().anyMatch(r -> glob(r, f.unqualifiedArn()));
            error(
                    unqualifiedOnly ? "qualifier-not-covered" : "function-not-covered",
                    "Resource",
                    unqualifiedOnly
                            ? "the route invokes '" + f.invokedArn() + "', which the unqualified ARN does not "
                                    + "cover (Lambda authorizes the qualified ARN)"
                            : "no Resource covers the function invoked, '" + f.invokedArn() + "'",
                    "add \"" + f.invokedArn() + "\" to Resource");
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static List<String> values(JsonNode statement, String field) {
        return statement.field(field).map(PolicyLinter::strings).orElse(List.of());
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isArray()) {
            for (JsonNode v : n.asArray()) {
                if (v.isString()) {
                    out.add(v.asString());
                }
            }
        }
        return out;
    }

    /** IAM action matching: case-insensitive, {@code *} and {@code ?}. */
    private static boolean matches(String pattern, String action) {
        return glob(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT));
    }

    /** IAM's {@code *} / {@code ?} wildcard match (a {@code *} also spans ':'). */
    static boolean glob(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(re.toString());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        // Jackson puts the location on the next line
        int at = s.indexOf("line:");
        return at > 0 ? first + " (" + s.substring(at).replace("]", "").trim() + ")" : first;
    }
}
