package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** SSM Parameter Store, JSON 1.1 protocol (X-Amz-Target: AmazonSSM.*). */
final class SsmService {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Pattern NAME_CHARS = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final String NAME_RULES =
            "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). "
                    + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix "
                    + "of letters, numbers and the following 3 symbols .-_";

    record Param(
            String account,
            String region,
            String name,
            String type,
            String value,
            long version,
            Instant lastModified,
            String ciphertext) {
        String arn() {
            return SsmService.arn(account, region, name);
        }
    }

    /** key: account \0 region \0 name. */
    private final NavigableMap<String, Param> params = new ConcurrentSkipListMap<>();
    /** Every version of a parameter, for the name:version selector; same key. */
    private final Map<String, NavigableMap<Long, Param>> history = new java.util.concurrent.ConcurrentHashMap<>();

    private final Clock clock;

    SsmService(Clock clock) {
        this.clock = clock;
    }

    static final java.util.Set<String> OPERATIONS =
            java.util.Set.of("GetParameter", "GetParameters", "GetParametersByPath", "PutParameter", "DeleteParameter");

    static String operationOf(Req req) {
        return req.jsonTarget("AmazonSSM", OPERATIONS);
    }

    static String resourceHint(Req req) {
        try {
            JsonNode n = Json.parse(req.body);
            return Json.str(n, "Name").or(() -> Json.str(n, "Path")).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String arn(String account, String region, String name) {
        return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
    }

    private static String key(String account, String region, String name) {
        return account + '\0' + region + '\0' + name;
    }

    /** Direct put, no auth. */
    synchronized void put(String account, String region, String name, String value, String type) {
        String k = key(account, region, name);
        Param old = params.get(k);
        long version = old == null ? 1 : old.version() + 1;
        Param p = new Param(
                account,
                region,
                name,
                type,
                value,
                version,
                clock.instant(),
                "SecureString".equals(type) ? ciphertext() : null);
        params.put(k, p);
        if (old == null) {
            history.remove(k); // a deleted and re-created parameter starts again at version 1
        }
        history.computeIfAbsent(k, x -> new ConcurrentSkipListMap<>()).put(version, p);
    }

    private static String ciphertext() {
        byte[] b = new byte[160];
        Iam.RANDOM.nextBytes(b);
        b[0] = 1;
        b[1] = 2;
        b[2] = 2;
        b[3] = 0;
        return Base64.getEncoder().encodeToString(b);
    }

    Resp handle(Req req) {
        JsonNode in;
        try {
            in = req.body.length == 0 ? JsonNode.emptyObjectNode() : Json.parse(req.body);
        } catch (RuntimeException e) {
            throw new AwsError(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        if (!in.isObject()) {
            throw new AwsError(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        switch (req.operation) {
            case "GetParameter":
                return getParameter(req, in);
            case "GetParameters":
                return getParameters(req, in);
            case "GetParametersByPath":
                return getParametersByPath(req, in);
            case "PutParameter":
                return putParameter(req, in);
            case "DeleteParameter":
                return deleteParameter(req, in);
            default:
                throw new AwsError(400, "UnknownOperationException", null);
        }
    }

    private String resolveName(Req req, String name) {
        if (name.startsWith("arn:")) {
            String[] p = name.split(":", 6);
            if (p.length == 6
                    && p[2].equals("ssm")
                    && p[5].startsWith("parameter/")
                    && p[3].equals(req.region())
                    && p[4].equals(req.principal.account)) {
                String rest = p[5].substring("parameter".length());
                if (params.containsKey(key(req.principal.account, req.region(), rest))) {
                    return rest;
                }
                return rest.substring(1);
            }
            throw new AwsError(400, "ValidationException", "Invalid parameter ARN: " + name);
        }
        return name;
    }

    private void validateName(String name, boolean forPut) {
        if (name.isEmpty()) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (name.length() > 2048) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value at 'name' failed to satisfy "
                            + "constraint: Member must have length less than or equal to 2048");
        }
        if (!NAME_CHARS.matcher(name).matches()) {
            throw new AwsError(400, "ValidationException", NAME_RULES);
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw new AwsError(400, "ValidationException", "Parameter name must be a fully qualified name.");
        }
        if (name.startsWith("/") && (name.endsWith("/") || name.contains("//"))) {
            throw new AwsError(400, "ValidationException", NAME_RULES);
        }
        if (forPut) {
            String bare = Policy.lower(name.startsWith("/") ? name.substring(1) : name);
            if (bare.startsWith("aws") || bare.startsWith("ssm")) {
                throw new AwsError(400, "ValidationException", NAME_RULES);
            }
            long levels = name.chars().filter(c -> c == '/').count();
            if (levels > 15) {
                throw new AwsError(
                        400,
                        "HierarchyLevelLimitExceededException",
                        "Parameter name hierarchy levels exceed maximum of 15 levels.");
            }
        }
    }

    private void authorize(Req req, String action, String resource) {
        if (!req.principal.allowed(action, resource, req.context)) {
            throw new AwsError(
                    400,
                    "AccessDeniedException",
                    "User: " + req.principal.arn + " is not authorized to perform: " + action + " on resource: "
                            + resource + " because no identity-based policy allows the " + action + " action");
        }
    }

    private static String requireName(JsonNode in) {
        return Json.str(in, "Name")
                .orElseThrow(
                        () -> new AwsError(
                                400,
                                "ValidationException",
                                "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"));
    }

    private Resp getParameter(Req req, JsonNode in) {
        String requested = requireName(in);
        // "name:version" selects a version; in an ARN the selector follows the colons of the ARN itself
        int colon = requested.lastIndexOf(':');
        int arnColons = requested.startsWith("arn:") ? 5 : 0;
        String selector = null;
        if (colon >= 0 && requested.chars().filter(c -> c == ':').count() > arnColons) {
            selector = requested.substring(colon + 1);
            requested = requested.substring(0, colon);
        }
        String name = resolveName(req, requested);
        boolean decrypt = Json.bool(in, "WithDecryption").orElse(false);
        validateName(name, false);
        String acct = req.principal.account;
        String resource = arn(acct, req.region(), name);
        req.resource = resource;
        authorize(req, "ssm:GetParameter", resource);
        Param p = params.get(key(acct, req.region(), name));
        if (p == null) {
            throw new AwsError(400, "ParameterNotFound", null);
        }
        if (selector != null) {
            // labels are not emulated: a label selector finds nothing, as an unknown label does in AWS
            NavigableMap<Long, Param> versions = history.get(key(acct, req.region(), name));
            Param v = versions == null || !selector.matches("[0-9]{1,18}")
                    ? null
                    : versions.get(Long.parseLong(selector));
            if (v == null) {
                throw new AwsError(
                        400,
                        "ParameterVersionNotFound",
                        "Systems Manager could not find version " + selector + " of " + name
                                + ". Verify the version and try again.");
            }
            String r = render(v, decrypt);
            return ok("{\"Parameter\":" + r.substring(0, r.length() - 1) + ",\"Selector\":" + Json.quote(":" + selector)
                    + "}}");
        }
        return ok("{\"Parameter\":" + render(p, decrypt) + "}");
    }

    private Resp getParameters(Req req, JsonNode in) {
        List<String> names = in.field("Names").map(Json::strings).orElse(List.of());
        boolean decrypt = Json.bool(in, "WithDecryption").orElse(false);
        if (names.isEmpty() || names.size() > 10) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '" + names
                            + "' at 'names' failed to satisfy constraint: Member must have length "
                            + (names.isEmpty() ? "greater than or equal to 1" : "less than or equal to 10"));
        }
        String acct = req.principal.account;
        List<String> resolved = new ArrayList<>();
        for (String n : names) {
            resolved.add(resolveName(req, n));
        }
        req.resource = String.join(",", resolved);
        for (String n : resolved) {
            if (NAME_CHARS.matcher(n).matches()) {
                authorize(req, "ssm:GetParameters", arn(acct, req.region(), n));
            }
        }
        StringBuilder found = new StringBuilder();
        StringBuilder invalid = new StringBuilder();
        for (int i = 0; i < resolved.size(); i++) {
            Param p = params.get(key(acct, req.region(), resolved.get(i)));
            if (p == null) {
                invalid.append(invalid.length() == 0 ? "" : ",").append(Json.quote(names.get(i)));
            } else {
                found.append(found.length() == 0 ? "" : ",").append(render(p, decrypt));
            }
        }
        return ok("{\"InvalidParameters\":[" + invalid + "],\"Parameters\":[" + found + "]}");
    }

    private Resp getParametersByPath(Req req, JsonNode in) {
        String path = Json.str(in, "Path")
                .orElseThrow(
                        () -> new AwsError(
                                400,
                                "ValidationException",
                                "1 validation error detected: Value null at 'path' failed to satisfy constraint: Member must not be null"));
        boolean recursive = Json.bool(in, "Recursive").orElse(false);
        boolean decrypt = Json.bool(in, "WithDecryption").orElse(false);
        int max = Json.str(in, "MaxResults").map(Integer::parseInt).orElse(10);
        if (max < 1 || max > 10) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '" + max
                            + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                            + (max < 1 ? "greater than or equal to 1" : "less than or equal to 10"));
        }
        if (!path.startsWith("/") || !NAME_CHARS.matcher(path).matches() || path.contains("//")) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "The parameter doesn't meet the parameter name requirements. "
                            + "The parameter name must begin with a forward slash \"/\".");
        }
        String acct = req.principal.account;
        String resource = arn(acct, req.region(), path.equals("/") ? "/" : path);
        if (path.equals("/")) {
            resource = "arn:aws:ssm:" + req.region() + ":" + acct + ":parameter/";
        }
        req.resource = resource;
        authorize(req, "ssm:GetParametersByPath", resource);
        String prefix = path.endsWith("/") ? path : path + "/";
        String after = null;
        String token = Json.str(in, "NextToken").orElse(null);
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AwsError(400, "InvalidNextToken", "The specified token isn't valid.");
            }
            if (!after.startsWith("pg1:")) {
                throw new AwsError(400, "InvalidNextToken", "The specified token isn't valid.");
            }
            after = after.substring(4);
        }
        String base = key(acct, req.region(), prefix);
        NavigableMap<String, Param> view =
                params.tailMap(after == null ? base : key(acct, req.region(), after), after == null);
        StringBuilder out = new StringBuilder();
        int n = 0;
        String last = null;
        boolean more = false;
        for (Param p : view.values()) {
            if (!p.account().equals(acct)
                    || !p.region().equals(req.region())
                    || !p.name().startsWith(prefix)) {
                break;
            }
            String rest = p.name().substring(prefix.length());
            if (!recursive && rest.contains("/")) {
                continue;
            }
            if (n == max) {
                more = true;
                break;
            }
            out.append(n == 0 ? "" : ",").append(render(p, decrypt));
            last = p.name();
            n++;
        }
        String next = more
                ? ",\"NextToken\":"
                        + Json.quote(Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(("pg1:" + last).getBytes(StandardCharsets.UTF_8)))
                : "";
        return ok("{\"Parameters\":[" + out + "]" + next + "}");
    }

    private Resp putParameter(Req req, JsonNode in) {
        String name = resolveName(req, requireName(in));
        String value = Json.str(in, "Value")
                .orElseThrow(
                        () -> new AwsError(
                                400,
                                "ValidationException",
                                "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null"));
        String type = Json.str(in, "Type").orElse(null);
        boolean overwrite = Json.bool(in, "Overwrite").orElse(false);
        validateName(name, true);
        if (type != null && !type.equals("String") && !type.equals("StringList") && !type.equals("SecureString")) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '" + type
                            + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        }
        if (value.isEmpty() || value.length() > 4096) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value at 'value' failed to satisfy "
                            + "constraint: Member must have length "
                            + (value.isEmpty() ? "greater than or equal to 1" : "less than or equal to 4096"));
        }
        String acct = req.principal.account;
        String resource = arn(acct, req.region(), name);
        req.resource = resource;
        authorize(req, "ssm:PutParameter", resource);
        synchronized (this) {
            String k = key(acct, req.region(), name);
            Param old = params.get(k);
            if (old != null && !overwrite) {
                throw new AwsError(
                        400,
                        "ParameterAlreadyExists",
                        "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            }
            if (old == null && type == null) {
                throw new AwsError(
                        400, "ValidationException", "A parameter type is required when you create a parameter.");
            }
            String t = type == null ? old.type() : type;
            put(acct, req.region(), name, value, t);
            return ok("{\"Tier\":\"Standard\",\"Version\":" + params.get(k).version() + "}");
        }
    }

    private Resp deleteParameter(Req req, JsonNode in) {
        String name = resolveName(req, requireName(in));
        validateName(name, false);
        String acct = req.principal.account;
        String resource = arn(acct, req.region(), name);
        req.resource = resource;
        authorize(req, "ssm:DeleteParameter", resource);
        history.remove(key(acct, req.region(), name));
        if (params.remove(key(acct, req.region(), name)) == null) {
            throw new AwsError(400, "ParameterNotFound", null);
        }
        return ok("{}");
    }

    private static String render(Param p, boolean decrypt) {
        String value = "SecureString".equals(p.type()) && !decrypt ? p.ciphertext() : p.value();
        long ms = p.lastModified().toEpochMilli();
        return "{\"ARN\":" + Json.quote(p.arn()) + ",\"DataType\":\"text\",\"LastModifiedDate\":" + (ms / 1000) + "."
                + String.format(Locale.ROOT, "%03d", ms % 1000) + ",\"Name\":" + Json.quote(p.name()) + ",\"Type\":"
                + Json.quote(p.type()) + ",\"Value\":" + Json.quote(value) + ",\"Version\":" + p.version() + "}";
    }

    private static Resp ok(String body) {
        return Resp.json(200, CONTENT_TYPE, body).header("x-amzn-RequestId", Iam.requestId());
    }

    static Resp error(AwsError e) {
        String body = "{\"__type\":" + Json.quote(e.code)
                + (e.getMessage() != null ? ",\"message\":" + Json.quote(e.getMessage()) : "") + "}";
        return Resp.json(e.status, CONTENT_TYPE, body).header("x-amzn-RequestId", Iam.requestId());
    }
}
