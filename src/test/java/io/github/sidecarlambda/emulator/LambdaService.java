package io.github.sidecarlambda.emulator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lambda Invoke, REST-JSON protocol. */
final class LambdaService {
    static final int SYNC_LIMIT = 6 * 1024 * 1024;
    static final int EVENT_LIMIT = 1024 * 1024;
    static final int CLIENT_CONTEXT_LIMIT = 3583;
    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";
    private static final Pattern FULL_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d{1}):(\\d{12}):function:([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern PARTIAL_ARN = Pattern.compile("(\\d{12}):function:([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern NAME = Pattern.compile("([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
    private static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[a-zA-Z0-9_-]+");

    final Map<String, FunctionSpec> functions = new ConcurrentHashMap<>();
    private final ExecutorService eventExecutor;

    LambdaService(ExecutorService eventExecutor) {
        this.eventExecutor = eventExecutor;
    }

    void put(FunctionSpec f) {
        functions.put(f.accountId + ":" + f.region + ":" + f.name, f);
    }

    static String operationOf(Req req) {
        if (req.method.equals("POST") && req.rawPath.startsWith(PREFIX) && req.rawPath.endsWith(SUFFIX)
                && req.rawPath.length() > PREFIX.length() + SUFFIX.length()) {
            return "Invoke";
        }
        return null;
    }

    static String rawFunctionName(Req req) {
        String enc = req.rawPath.substring(PREFIX.length(), req.rawPath.length() - SUFFIX.length());
        return Req.percentDecode(enc, false);
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
            throw new AwsError(400, "ValidationException", "1 validation error detected: Value '" + fn
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9_.-]+)(:(\\$LATEST|[a-zA-Z0-9_-]+))?");
        }
        var q = req.query().get("Qualifier");
        String queryQualifier = q == null || q.isEmpty() ? null : q.get(0);
        if (queryQualifier != null) {
            if (queryQualifier.isEmpty() || queryQualifier.length() > 128 || !QUALIFIER.matcher(queryQualifier).matches()) {
                throw new AwsError(400, "ValidationException", "1 validation error detected: Value '" + queryQualifier
                        + "' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)");
            }
            if (qualifier != null && !qualifier.equals(queryQualifier)) {
                throw new AwsError(400, "InvalidParameterValueException",
                        "The derived qualifier from the function name does not match the specified qualifier.");
            }
            qualifier = queryQualifier;
        }
        if (!region.equals(req.region())) {
            throw new AwsError(400, "InvalidParameterValueException", "Region " + region + " in the function ARN does not "
                    + "match the region of the endpoint (" + req.region() + ").");
        }
        return new Target(account, region, name, qualifier);
    }

    Resp handle(Req req) {
        String invocationType = req.header("X-Amz-Invocation-Type");
        if (invocationType == null) {
            invocationType = "RequestResponse";
        }
        if (!invocationType.equals("RequestResponse") && !invocationType.equals("Event") && !invocationType.equals("DryRun")) {
            throw new AwsError(400, "InvalidParameterValueException", "Unsupported invocation type " + invocationType);
        }
        Target t = resolve(req);
        String invokedArn = t.invokedArn();
        req.resource = invokedArn;
        int limit = invocationType.equals("Event") ? EVENT_LIMIT : SYNC_LIMIT;
        if (req.body.length > limit) {
            throw new AwsError(413, "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        Iam.Principal caller = req.principal;
        if (!caller.account.equals(t.account())) {
            throw new AwsError(403, "AccessDeniedException", "User: " + caller.arn
                    + " is not authorized to perform: lambda:InvokeFunction on resource: " + invokedArn
                    + " because no resource-based policy allows the lambda:InvokeFunction action");
        }
        if (!caller.allowed("lambda:InvokeFunction", invokedArn, req.context)) {
            throw new AwsError(403, "AccessDeniedException", "User: " + caller.arn
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
                throw new AwsError(400, "InvalidParameterValueException",
                        "Client context must be a valid Base64-encoded JSON object of at most " + CLIENT_CONTEXT_LIMIT + " bytes.");
            }
            try {
                clientContext = new String(Base64.getDecoder().decode(cc), StandardCharsets.UTF_8);
                if (!Json.parse(clientContext).isObject()) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                throw new AwsError(400, "InvalidParameterValueException", "Client context must be a valid Base64-encoded JSON object.");
            }
        }
        if (req.body.length > 0) {
            try {
                Json.parse(req.body);
            } catch (RuntimeException e) {
                String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
                throw new AwsError(400, "InvalidRequestContentException",
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
        Result res = run(f, handler, req.body, ctx, requestId);
        Resp r = new Resp(200, "application/json", res.body)
                .header("x-amzn-RequestId", requestId)
                .header("X-Amz-Executed-Version", version);
        if (res.error) {
            r.header("X-Amz-Function-Error", "Unhandled");
        }
        if ("Tail".equals(req.header("X-Amz-Log-Type"))) {
            byte[] log = ctx.logText().getBytes(StandardCharsets.UTF_8);
            int from = Math.max(0, log.length - 4096);
            r.header("X-Amz-Log-Result", Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(log, from, log.length)));
        }
        return r;
    }

    private record Result(byte[] body, boolean error) {
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
                    + " ms\tBilled Duration: " + (long) Math.ceil(Math.max(1, dur)) + " ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t");
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
            body.append(Json.quote(x.getKey())).append(':').append(Json.quote(x.getValue())).append(',');
        }
        body.append("\"Type\":").append(Json.quote(e.status >= 500 ? "Service" : "User"));
        body.append(",\"message\":").append(Json.quote(e.getMessage() == null ? "" : e.getMessage())).append('}');
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

        @Override public String functionArn() { return arn; }
        @Override public String executedVersion() { return version; }
        @Override public String callerArn() { return caller; }
        @Override public String clientContextJson() { return clientContext; }

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
