package io.github.sidecarlambda.emulator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lambda Invoke, GetFunction and ListFunctions, REST-JSON protocol. */
final class LambdaService {
    static final int SYNC_LIMIT = 6 * 1024 * 1024;
    static final int EVENT_LIMIT = 1024 * 1024;
    static final int CLIENT_CONTEXT_LIMIT = 3583;
    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";
    private static final Pattern FULL_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d{1}):(\\d{12}):function:([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern PARTIAL_ARN =
            Pattern.compile("(\\d{12}):function:([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern NAME = Pattern.compile("([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[a-zA-Z0-9_-]+");

    static final int LIST_PAGE_LIMIT = 50;

    final Map<String, FunctionSpec> functions = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastModified = new ConcurrentHashMap<>();
    private final ExecutorService eventExecutor;
    private final Quotas quotas;
    private final Clock clock;

    LambdaService(ExecutorService eventExecutor, Quotas quotas, Clock clock) {
        this.eventExecutor = eventExecutor;
        this.quotas = quotas;
        this.clock = clock;
    }

    void put(FunctionSpec f) {
        String key = f.accountId + ":" + f.region + ":" + f.name;
        functions.put(key, f);
        lastModified.put(key, clock.instant());
    }

    static String operationOf(Req req) {
        if (req.method.equals("POST")
                && req.rawPath.startsWith(PREFIX)
                && req.rawPath.endsWith(SUFFIX)
                && req.rawPath.length() > PREFIX.length() + SUFFIX.length()) {
            return "Invoke";
        }
        if (req.method.equals("GET")
                && (req.rawPath.equals(PREFIX) || req.rawPath.equals(PREFIX.substring(0, PREFIX.length() - 1)))) {
            return "ListFunctions";
        }
        if (req.method.equals("GET")
                && req.rawPath.startsWith(PREFIX)
                && req.rawPath.indexOf('/', PREFIX.length()) < 0) {
            return "GetFunction";
        }
        return null;
    }

    static String rawFunctionName(Req req) {
        String enc = "Invoke".equals(req.operation)
                ? req.rawPath.substring(PREFIX.length(), req.rawPath.length() - SUFFIX.length())
                : req.rawPath.substring(PREFIX.length());
        return Req.percentDecode(enc, false);
    }

    static String resourceHint(Req req) {
        return "ListFunctions".equals(req.operation) ? "*" : rawFunctionName(req);
    }

    private record Target(String account, String region, String name, String qualifier) {
        String baseArn() {
            return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
        }

        String invokedArn() {
            return qualifier == null ? baseArn() : baseArn() + ":" + qualifier;
        }
    }

    private Target resolve(Req req) {
        String fn = rawFunctionName(req);
        String account = req.principal.account;
        String region = req.region();
        String name;
        String qualifier;
        Matcher m;
        if ((m = FULL_ARN.matcher(fn)).matches()) {
            region = m.group(1);
            account = m.group(2);
            name = m.group(3);
            qualifier = m.group(4);
        } else if ((m = PARTIAL_ARN.matcher(fn)).matches()) {
            account = m.group(1);
            name = m.group(2);
            qualifier = m.group(3);
        } else if ((m = NAME.matcher(fn)).matches() && fn.length() <= 140) {
            name = m.group(1);
            qualifier = m.group(2);
        } else {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '" + fn
                            + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                            + "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9_.-]+)(:(\\$LATEST|[a-zA-Z0-9_-]+))?");
        }
        var q = req.query().get("Qualifier");
        String queryQualifier = q == null || q.isEmpty() ? null : q.get(0);
        if (queryQualifier != null) {
            if (queryQualifier.isEmpty()
                    || queryQualifier.length() > 128
                    || !QUALIFIER.matcher(queryQualifier).matches()) {
                throw new AwsError(
                        400,
                        "ValidationException",
                        "1 validation error detected: Value '" + queryQualifier
                                + "' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)");
            }
            if (qualifier != null && !qualifier.equals(queryQualifier)) {
                throw new AwsError(
                        400,
                        "InvalidParameterValueException",
                        "The derived qualifier from the function name does not match the specified qualifier.");
            }
            qualifier = queryQualifier;
        }
        if (!region.equals(req.region())) {
            throw new AwsError(
                    400,
                    "InvalidParameterValueException",
                    "Region " + region + " in the function ARN does not " + "match the region of the endpoint ("
                            + req.region() + ").");
        }
        return new Target(account, region, name, qualifier);
    }

    Resp handle(Req req) {
        switch (req.operation) {
            case "GetFunction":
                return getFunction(req);
            case "ListFunctions":
                return listFunctions(req);
            default:
                return invoke(req);
        }
    }

    private Resp invoke(Req req) {
        String invocationType = req.header("X-Amz-Invocation-Type");
        if (invocationType == null) {
            invocationType = "RequestResponse";
        }
        if (!invocationType.equals("RequestResponse")
                && !invocationType.equals("Event")
                && !invocationType.equals("DryRun")) {
            throw new AwsError(400, "InvalidParameterValueException", "Unsupported invocation type " + invocationType);
        }
        Target t = resolve(req);
        String invokedArn = t.invokedArn();
        req.resource = invokedArn;
        int limit = invocationType.equals("Event") ? EVENT_LIMIT : SYNC_LIMIT;
        if (req.body.length > limit) {
            throw new AwsError(
                    413,
                    "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        Iam.Principal caller = req.principal;
        if (!caller.account.equals(t.account())) {
            throw new AwsError(
                    403,
                    "AccessDeniedException",
                    "User: " + caller.arn
                            + " is not authorized to perform: lambda:InvokeFunction on resource: " + invokedArn
                            + " because no resource-based policy allows the lambda:InvokeFunction action");
        }
        if (!caller.allowed("lambda:InvokeFunction", invokedArn, req.context)) {
            throw new AwsError(
                    403,
                    "AccessDeniedException",
                    "User: " + caller.arn
                            + " is not authorized to perform: lambda:InvokeFunction on resource: " + invokedArn
                            + " because no identity-based policy allows the lambda:InvokeFunction action");
        }
        FunctionSpec f = functions.get(t.account() + ":" + t.region() + ":" + t.name());
        if (f == null) {
            throw new AwsError(404, "ResourceNotFoundException", "Function not found: " + invokedArn);
        }
        String version;
        if (t.qualifier() == null || t.qualifier().equals("$LATEST")) {
            version = "$LATEST";
        } else if (f.versions.containsKey(t.qualifier())) {
            version = t.qualifier();
        } else if (f.aliases.containsKey(t.qualifier())) {
            version = f.aliases.get(t.qualifier());
        } else {
            throw new AwsError(404, "ResourceNotFoundException", "Function not found: " + invokedArn);
        }
        LambdaHandler handler = version.equals("$LATEST") ? f.latest : f.versions.get(version);
        String clientContext = null;
        String cc = req.header("X-Amz-Client-Context");
        if (cc != null && !cc.isEmpty()) {
            if (cc.length() > CLIENT_CONTEXT_LIMIT) {
                throw new AwsError(
                        400,
                        "InvalidParameterValueException",
                        "Client context must be a valid Base64-encoded JSON object of at most " + CLIENT_CONTEXT_LIMIT
                                + " bytes.");
            }
            try {
                clientContext = new String(Base64.getDecoder().decode(cc), StandardCharsets.UTF_8);
                if (!Json.parse(clientContext).isObject()) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                throw new AwsError(
                        400,
                        "InvalidParameterValueException",
                        "Client context must be a valid Base64-encoded JSON object.");
            }
        }
        if (req.body.length > 0) {
            try {
                Json.parse(req.body);
            } catch (RuntimeException e) {
                String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
                throw new AwsError(
                        400,
                        "InvalidRequestContentException",
                        "Could not parse request body into json: Could not parse payload into json: " + msg);
            }
        }
        String requestId = Iam.requestId();
        Ctx ctx = new Ctx(invokedArn, version, caller.arn, clientContext);
        if (invocationType.equals("DryRun")) {
            return new Resp(204, null, null).header("x-amzn-RequestId", requestId);
        }
        if (invocationType.equals("Event")) {
            byte[] payload = req.body;
            Resp r = new Resp(202, null, null).header("x-amzn-RequestId", requestId);
            r.after = () -> eventExecutor.execute(() -> {
                try {
                    run(f, handler, payload, ctx, requestId);
                } catch (RuntimeException ignored) {
                    // async invocation errors are not reported to the caller
                }
            });
            return r;
        }
        Runnable release = quotas.acquireConcurrency(f, reservedIn(f.accountId, f.region));
        Result res;
        try {
            res = run(f, handler, req.body, ctx, requestId);
        } finally {
            release.run();
        }
        Resp r = new Resp(200, "application/json", res.body)
                .header("x-amzn-RequestId", requestId)
                .header("X-Amz-Executed-Version", version);
        if (res.error) {
            r.header("X-Amz-Function-Error", "Unhandled");
        }
        if ("Tail".equals(req.header("X-Amz-Log-Type"))) {
            byte[] log = ctx.logText().getBytes(StandardCharsets.UTF_8);
            int from = Math.max(0, log.length - 4096);
            r.header(
                    "X-Amz-Log-Result",
                    Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(log, from, log.length)));
        }
        return r;
    }

    private record Result(byte[] body, boolean error) {}

    /** Concurrency reserved by the functions of one account and region (not available to the others). */
    private int reservedIn(String account, String region) {
        int sum = 0;
        for (FunctionSpec f : functions.values()) {
            Integer r = f.reservedConcurrency;
            if (r != null && f.accountId.equals(account) && f.region.equals(region)) {
                sum += r;
            }
        }
        return sum;
    }

    private void authorize(
            Iam.Principal caller,
            String action,
            String resource,
            boolean sameAccount,
            Map<String, List<String>> context) {
        if (!sameAccount) {
            throw new AwsError(
                    403,
                    "AccessDeniedException",
                    "User: " + caller.arn + " is not authorized to perform: " + action + " on resource: " + resource
                            + " because no resource-based policy allows the " + action + " action");
        }
        if (!caller.allowed(action, resource, context)) {
            throw new AwsError(
                    403,
                    "AccessDeniedException",
                    "User: " + caller.arn + " is not authorized to perform: " + action + " on resource: " + resource
                            + " because no identity-based policy allows the " + action + " action");
        }
    }

    /** GET /2015-03-31/functions/{name}[?Qualifier=]: same name forms and checks as Invoke, action lambda:GetFunction. */
    private Resp getFunction(Req req) {
        Target t = resolve(req);
        String arn = t.invokedArn();
        req.resource = arn;
        authorize(req.principal, "lambda:GetFunction", arn, req.principal.account.equals(t.account()), req.context);
        String key = t.account() + ":" + t.region() + ":" + t.name();
        FunctionSpec f = functions.get(key);
        String version = f == null ? null : versionOf(f, t.qualifier());
        if (version == null) {
            throw new AwsError(404, "ResourceNotFoundException", "Function not found: " + arn);
        }
        Integer reserved = f.reservedConcurrency;
        String body = "{\"Configuration\":" + configuration(f, arn, version, lastModified.get(key))
                + ",\"Code\":{\"RepositoryType\":\"S3\"}"
                + (reserved == null ? "" : ",\"Concurrency\":{\"ReservedConcurrentExecutions\":" + reserved + "}")
                + ",\"Tags\":{}}";
        return Resp.json(200, "application/json", body).header("x-amzn-RequestId", Iam.requestId());
    }

    /**
     * GET /2015-03-31/functions/?Marker=&MaxItems=: the caller's functions in the endpoint's region ($LATEST only),
     * by name, at most 50 a page (MaxItems 1-10000 may ask for fewer), NextMarker while more remain.
     */
    private Resp listFunctions(Req req) {
        Map<String, List<String>> q = req.query();
        int max = LIST_PAGE_LIMIT;
        String maxText = q.containsKey("MaxItems") ? q.get("MaxItems").get(0) : null;
        if (maxText != null) {
            int m;
            try {
                m = Integer.parseInt(maxText);
            } catch (NumberFormatException e) {
                throw new AwsError(
                        400,
                        "ValidationException",
                        "1 validation error detected: Value '" + maxText
                                + "' at 'maxItems' failed to satisfy constraint: Member must be a number");
            }
            if (m < 1 || m > 10000) {
                throw new AwsError(
                        400,
                        "ValidationException",
                        "1 validation error detected: Value '" + m
                                + "' at 'maxItems' failed to satisfy constraint: Member must have value "
                                + (m < 1 ? "greater than or equal to 1" : "less than or equal to 10000"));
            }
            max = Math.min(m, LIST_PAGE_LIMIT);
        }
        String after = null;
        String marker = q.containsKey("Marker") ? q.get("Marker").get(0) : null;
        if (marker != null && !marker.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                after = null;
            }
            if (after == null || !after.startsWith("fn1:")) {
                throw new AwsError(400, "InvalidParameterValueException", "Invalid marker: " + marker);
            }
            after = after.substring(4);
        }
        Iam.Principal caller = req.principal;
        req.resource = "*";
        authorize(caller, "lambda:ListFunctions", "*", true, req.context);
        List<String> keys = new ArrayList<>();
        String prefix = caller.account + ":" + req.region() + ":";
        for (String k : functions.keySet()) {
            if (k.startsWith(prefix)
                    && (after == null || k.substring(prefix.length()).compareTo(after) > 0)) {
                keys.add(k);
            }
        }
        keys.sort(null);
        StringBuilder out = new StringBuilder();
        int n = Math.min(max, keys.size());
        for (int i = 0; i < n; i++) {
            FunctionSpec f = functions.get(keys.get(i));
            out.append(i == 0 ? "" : ",").append(configuration(f, f.arn(), "$LATEST", lastModified.get(keys.get(i))));
        }
        String next = keys.size() > n
                ? ",\"NextMarker\":"
                        + Json.quote(Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(("fn1:" + functions.get(keys.get(n - 1)).name)
                                        .getBytes(StandardCharsets.UTF_8)))
                : "";
        return Resp.json(200, "application/json", "{\"Functions\":[" + out + "]" + next + "}")
                .header("x-amzn-RequestId", Iam.requestId());
    }

    /** The version a qualifier selects, or null if there is none. */
    private static String versionOf(FunctionSpec f, String qualifier) {
        if (qualifier == null || qualifier.equals("$LATEST")) {
            return "$LATEST";
        }
        if (f.versions.containsKey(qualifier)) {
            return qualifier;
        }
        return f.aliases.get(qualifier);
    }

    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    /** FunctionConfiguration with only what the emulator models (no runtime, role, handler or code). */
    private static String configuration(FunctionSpec f, String arn, String version, Instant modified) {
        return "{\"FunctionName\":" + Json.quote(f.name) + ",\"FunctionArn\":" + Json.quote(arn)
                + ",\"Version\":" + Json.quote(version) + ",\"MemorySize\":128,\"PackageType\":\"Zip\""
                + ",\"State\":\"Active\",\"LastUpdateStatus\":\"Successful\""
                + ",\"LastModified\":" + Json.quote(LAST_MODIFIED.format(modified == null ? Instant.EPOCH : modified))
                + "}";
    }

    private Result run(FunctionSpec f, LambdaHandler handler, byte[] payload, Ctx ctx, String requestId) {
        long t0 = System.nanoTime();
        ctx.raw("START RequestId: " + requestId + " Version: " + ctx.executedVersion());
        try {
            long ms = f.latency.toMillis();
            if (ms > 0) {
                Thread.sleep(ms);
            }
            byte[] out = handler.handle(payload, ctx);
            return new Result(out == null ? "null".getBytes(StandardCharsets.UTF_8) : out, false);
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ctx.raw(e.getClass().getName() + ": " + e.getMessage());
            return new Result(errorBody(e).getBytes(StandardCharsets.UTF_8), true);
        } finally {
            double dur = (System.nanoTime() - t0) / 1e6;
            ctx.raw("END RequestId: " + requestId);
            ctx.raw("REPORT RequestId: " + requestId + "\tDuration: " + String.format(Locale.ROOT, "%.2f", dur)
                    + " ms\tBilled Duration: " + (long) Math.ceil(Math.max(1, dur))
                    + " ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t");
        }
    }

    static String errorBody(Throwable e) {
        StringBuilder st = new StringBuilder();
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(trace.length, 20); i++) {
            st.append(i == 0 ? "" : ",").append(Json.quote(trace[i].toString()));
        }
        return "{\"errorMessage\":" + Json.quote(e.getMessage() == null ? e.toString() : e.getMessage())
                + ",\"errorType\":" + Json.quote(e.getClass().getSimpleName()) + ",\"stackTrace\":[" + st + "]}";
    }

    static Resp error(AwsError e) {
        StringBuilder body = new StringBuilder("{");
        for (var x : e.extra.entrySet()) {
            body.append(Json.quote(x.getKey()))
                    .append(':')
                    .append(Json.quote(x.getValue()))
                    .append(',');
        }
        body.append("\"Type\":").append(Json.quote(e.status >= 500 ? "Service" : "User"));
        body.append(",\"message\":")
                .append(Json.quote(e.getMessage() == null ? "" : e.getMessage()))
                .append('}');
        Resp r = Resp.json(e.status, "application/json", body.toString())
                .header("x-amzn-RequestId", Iam.requestId())
                .header("x-amzn-ErrorType", e.code);
        if (e.status == 429) {
            r.header("Retry-After", "1");
        }
        return r;
    }

    static final class Ctx implements InvocationContext {
        private final String arn;
        private final String version;
        private final String caller;
        private final String clientContext;
        private final StringBuilder log = new StringBuilder();

        Ctx(String arn, String version, String caller, String clientContext) {
            this.arn = arn;
            this.version = version;
            this.caller = caller;
            this.clientContext = clientContext;
        }

        @Override
        public String functionArn() {
            return arn;
        }

        @Override
        public String executedVersion() {
            return version;
        }

        @Override
        public String callerArn() {
            return caller;
        }

        @Override
        public String clientContextJson() {
            return clientContext;
        }

        @Override
        public synchronized void log(String line) {
            log.append(line).append('\n');
        }

        void raw(String line) {
            log(line);
        }

        synchronized String logText() {
            return log.toString();
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
