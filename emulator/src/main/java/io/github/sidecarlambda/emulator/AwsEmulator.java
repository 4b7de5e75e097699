package io.github.sidecarlambda.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Embedded emulator of STS (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity), SSM Parameter Store, Secrets
 * Manager (CreateSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage) and Lambda
 * (Invoke, GetFunction, ListFunctions), speaking the real
 * wire protocols over HTTP on 127.0.0.1 so that unmodified AWS SDK v2 clients can be pointed at {@link #endpoint()}.
 * Every request must be SigV4-signed with credentials the emulator issued or was configured with; authorization
 * follows IAM's rules for identity and trust policies; AWS's default quotas apply ({@link #quotas()}). See docs/emulator.md.
 */
public final class AwsEmulator implements AutoCloseable {
    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2048");
        }
    }

    private static final int MAX_CALL_LOG = 100_000;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final ExecutorService eventExecutor;
    private final EmulatorClock clock;
    private final Iam iam = new Iam();
    private final Faults faults = new Faults();
    private final Quotas quotas = new Quotas();
    private final SigV4Verifier verifier;
    private final StsService sts;
    private final SsmService ssm;
    private final SecretsManagerService secretsManager;
    private final LambdaService lambda;
    private final String launcherPrincipal;

    private final Map<String, LongAdder> totalCounts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> okCounts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<CallRecord> callLog = new ConcurrentLinkedDeque<>();
    private final AtomicInteger callLogSize = new AtomicInteger();
    private final Map<String, TimeHistogram> timings = new ConcurrentHashMap<>();
    private volatile TimeHistogram allTimings = new TimeHistogram();

    private AwsEmulator(Builder b) throws IOException {
        this.clock = b.clock == null ? new EmulatorClock() : b.clock;
        this.verifier = new SigV4Verifier(iam, clock);
        this.sts = new StsService(iam, clock);
        this.ssm = new SsmService(clock);
        this.secretsManager = new SecretsManagerService(clock);
        this.eventExecutor = Executors.newCachedThreadPool(daemon("aws-emulator-event"));
        this.lambda = new LambdaService(eventExecutor, quotas, clock);
        if (b.quotas != null) {
            b.quotas.accept(quotas);
        }
        this.launcherPrincipal = b.launcherPrincipal;
        for (AccountSpec a : b.accounts.values()) {
            iam.addAccount(a);
        }
        for (String[] p : b.parameters) {
            ssm.put(p[0], p[1], p[2], p[3], p[4]);
        }
        for (FunctionSpec f : b.functions) {
            lambda.put(f);
        }
        for (String[] sec : b.secrets) {
            secretsManager.put(sec[0], sec[1], sec[2], sec[3]);
        }
        this.httpExecutor = Executors.newCachedThreadPool(daemon("aws-emulator-http"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(httpExecutor);
        server.start();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public EmulatorClock clock() {
        return clock;
    }

    public long count(String service, String operation) {
        LongAdder a = totalCounts.get(service + "/" + operation);
        return a == null ? 0 : a.sum();
    }

    public long count(String service, String operation, boolean succeededOnly) {
        if (!succeededOnly) {
            return count(service, operation);
        }
        LongAdder a = okCounts.get(service + "/" + operation);
        return a == null ? 0 : a.sum();
    }

    /** Snapshot of the call log, oldest first (the newest 100 000 calls are kept). */
    public List<CallRecord> calls() {
        return new ArrayList<>(callLog);
    }

    /** Clears counters, the call log and the server time statistics. */
    public void resetCounters() {
        totalCounts.clear();
        okCounts.clear();
        callLog.clear();
        callLogSize.set(0);
        timings.clear();
        allTimings = new TimeHistogram();
    }

    public Faults faults() {
        return faults;
    }

    /** AWS's per-account, per-region quotas (on by default with AWS's defaults); adjustable while running. */
    public Quotas quotas() {
        return quotas;
    }

    /** Server-side handling time of all requests since start or the last {@link #resetCounters()}. */
    public ServerTimeStats serverTimeStats() {
        return allTimings.stats();
    }

    /** Server-side handling time of one operation, e.g. ("lambda", "Invoke"). */
    public ServerTimeStats serverTimeStats(String service, String operation) {
        TimeHistogram h = timings.get(service + "/" + operation);
        return h == null ? new ServerTimeStats(0, 0, 0, 0, 0) : h.stats();
    }

    /**
     * Credentials for a configured principal: a user ARN gives its long-term key; a role ARN gives a freshly issued
     * assumed-role session "emulator-instance" (ASIA key + token) valid 12 hours from the emulator clock, as an
     * instance profile or task role would. Role chaining rules apply when that session calls AssumeRole.
     */
    /**
     * Replaces a role's trust policy, as IAM's UpdateAssumeRolePolicy does (e.g. a customer rotating the External ID).
     */
    public void updateTrustPolicy(String roleArn, String trustPolicyJson) {
        Iam.Role role = iam.roles.get(roleArn);
        if (role == null) {
            throw new IllegalArgumentException("no role " + roleArn);
        }
        role.trust = Policy.parse(trustPolicyJson, Policy.Kind.TRUST);
    }

    /**
     * Adds roles and users to a running emulator, as IAM's CreateRole + PutRolePolicy (or CreateUser) would, e.g. a
     * customer creating the role from policies a test generated. Same rules as {@link Builder#account}.
     */
    public void account(String accountId, Consumer<AccountSpec> spec) {
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("Account id must be 12 digits: " + accountId);
        }
        AccountSpec a = new AccountSpec(accountId);
        spec.accept(a);
        iam.addAccount(a);
    }

    public AwsCredentialsProvider credentialsFor(String principalArn) {
        Iam.Principal user = iam.users.get(principalArn);
        if (user != null) {
            Iam.Credential c = iam.keys.get(iam.userKeys.get(principalArn));
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secret()));
        }
        Iam.Role role = iam.roles.get(principalArn);
        if (role == null) {
            throw new IllegalArgumentException("No such user or role in the emulator: " + principalArn);
        }
        Instant now = clock.instant();
        Iam.Credential c = iam.issueSession(role, "emulator-instance", now, now.plus(Duration.ofHours(12)), null);
        return StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secret(), c.sessionToken()));
    }

    /** Direct write, no authorization; overwrites and bumps the version. */
    public void putParameter(String accountId, String region, String name, String value, boolean secure) {
        ssm.put(accountId, region, name, value, secure ? "SecureString" : "String");
    }

    /**
     * Direct write to Secrets Manager, no authorization: a new version of the secret (created if needed) that becomes
     * AWSCURRENT, the version it replaces becoming AWSPREVIOUS, as PutSecretValue without VersionStages does.
     */
    public void putSecret(String accountId, String region, String name, String value) {
        secretsManager.put(accountId, region, name, value);
    }

    public void putFunction(FunctionSpec spec) {
        lambda.put(spec);
    }

    @Override
    public void close() {
        server.stop(0);
        httpExecutor.shutdownNow();
        eventExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ request handling

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        Req req = null;
        Resp resp;
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            URI uri = ex.getRequestURI();
            req = new Req(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), ex.getRequestHeaders(), body);
            req.sourceIp = ex.getRemoteAddress().getAddress().getHostAddress();
            req.service = detectService(req);
            if (req.service == null) {
                send(ex, Resp.json(400, "application/json", "{\"message\":\"Unknown service\"}"));
                return;
            }
            if (req.service.equals("sts")) {
                Map<String, List<String>> form = new LinkedHashMap<>(req.query());
                form.putAll(Req.parseForm(new String(body, StandardCharsets.UTF_8), true));
                req.form = form;
            }
            String op = operationOf(req);
            if (op == null) {
                send(ex, render(req.service, unknownOperation(req)));
                return;
            }
            req.operation = op;
            SigV4Verifier.Auth auth = SigV4Verifier.parse(req.header("Authorization"));
            if (auth != null) {
                req.accessKeyId = auth.accessKeyId();
                req.scopeRegion = auth.region();
            }
            req.resource = resourceHint(req);
            resp = process(ex, req);
            if (resp == null) {
                return; // connection dropped
            }
        } catch (AwsError e) {
            resp = render(req.service, e);
            resp.errorCode = e.code;
        } catch (IOException | UncheckedIOException e) {
            ex.close();
            return;
        } catch (RuntimeException e) {
            AwsError err = new AwsError(
                    500,
                    req != null && "sts".equals(req.service) ? "InternalFailure" : "ServiceException",
                    "Internal emulator error: " + e,
                    false);
            resp = render(req == null ? "lambda" : req.service, err);
            resp.errorCode = err.code;
        }
        record(req, resp.status, resp.errorCode);
        try {
            send(ex, resp);
        } catch (IOException e) {
            ex.close();
        }
        long took = System.nanoTime() - t0;
        allTimings.record(took);
        timings.computeIfAbsent(req.service + "/" + req.operation, k -> new TimeHistogram())
                .record(took);
        if (resp.after != null) {
            resp.after.run();
        }
    }

    private Resp process(HttpExchange ex, Req req) {
        String s = req.service;
        String op = req.operation;
        try {
            Faults.Chaos chaos = faults.takeChaos(s, op);
            if (faults.takeDrop(s, op) || chaos != null && chaos.drop()) {
                record(req, 0, "ConnectionDropped");
                ex.close();
                return null;
            }
            if (chaos != null && !chaos.latency().isZero()) {
                sleep(chaos.latency());
            }
            if (chaos != null && chaos.failure() != null) {
                throw injected(chaos.failure());
            }
            Duration extra = faults.latencyOf(s, op);
            if (!extra.isZero()) {
                sleep(extra);
            }
            Faults.Failure f = faults.takeFailure(s, op);
            if (f != null) {
                throw injected(f);
            }
            if (faults.throttled(s, op)) {
                throw throttling(s);
            }
            // AssumeRoleWithWebIdentity is an unsigned call: the web identity token is the credential
            if (!(s.equals("sts") && op.equals("AssumeRoleWithWebIdentity"))) {
                verifier.authenticate(req);
                req.context =
                        req.principal.context(req.sourceIp, clock.instant(), req.region(), req.header("User-Agent"));
            }
            quotas.checkRate(req);
            switch (s) {
                case "sts":
                    return sts.handle(req);
                case "ssm":
                    return ssm.handle(req);
                case "secretsmanager":
                    return secretsManager.handle(req);
                default:
                    return lambda.handle(req);
            }
        } catch (AwsError e) {
            Resp r = render(s, e);
            r.errorCode = e.code;
            return r;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AwsError injected(Faults.Failure f) {
        AwsError e = new AwsError(f.status(), f.code(), "Injected fault: " + f.code());
        if ("TooManyRequestsException".equals(f.code())) {
            e.with("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded");
        }
        return e;
    }

    static AwsError throttling(String service) {
        switch (service) {
            case "sts":
                return new AwsError(400, "Throttling", "Rate exceeded");
            case "ssm", "secretsmanager":
                return new AwsError(400, "ThrottlingException", "Rate exceeded");
            default:
                return new AwsError(429, "TooManyRequestsException", "Rate Exceeded.")
                        .with("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded");
        }
    }

    private static String detectService(Req req) {
        SigV4Verifier.Auth auth = SigV4Verifier.parse(req.header("Authorization"));
        if (auth != null
                && (auth.service().equals("sts")
                        || auth.service().equals("ssm")
                        || auth.service().equals("lambda")
                        || auth.service().equals("secretsmanager"))) {
            return auth.service();
        }
        String target = req.header("X-Amz-Target");
        if (target != null && target.startsWith("AmazonSSM.")) {
            return "ssm";
        }
        if (target != null && target.startsWith("secretsmanager.")) {
            return "secretsmanager";
        }
        if (req.rawPath.startsWith("/2015-03-31/")) {
            return "lambda";
        }
        if (req.rawPath.equals("/")) {
            return "sts";
        }
        return null;
    }

    private static String operationOf(Req req) {
        switch (req.service) {
            case "sts":
                return StsService.operationOf(req);
            case "ssm":
                return SsmService.operationOf(req);
            case "secretsmanager":
                return SecretsManagerService.operationOf(req);
            default:
                return LambdaService.operationOf(req);
        }
    }

    private static String resourceHint(Req req) {
        switch (req.service) {
            case "sts":
                return StsService.resourceHint(req, req.operation);
            case "ssm":
                return SsmService.resourceHint(req);
            case "secretsmanager":
                return SecretsManagerService.resourceHint(req);
            default:
                return LambdaService.resourceHint(req);
        }
    }

    private static AwsError unknownOperation(Req req) {
        switch (req.service) {
            case "sts":
                return new AwsError(
                        400,
                        "InvalidAction",
                        "Could not find operation " + req.formParam("Action") + " for version 2011-06-15");
            case "ssm", "secretsmanager":
                return new AwsError(400, "UnknownOperationException", null);
            default:
                return new AwsError(
                        404, "UnknownOperationException", "Unknown operation " + req.method + " " + req.rawPath);
        }
    }

    private static Resp render(String service, AwsError e) {
        Resp r;
        switch (service) {
            case "sts":
                r = StsService.error(e);
                break;
            case "ssm":
                r = SsmService.error(e);
                break;
            case "secretsmanager":
                r = SecretsManagerService.error(e);
                break;
            default:
                r = LambdaService.error(e);
        }
        r.errorCode = e.code;
        return r;
    }

    private void record(Req req, int status, String errorCode) {
        if (req == null || req.operation == null) {
            return;
        }
        String key = req.service + "/" + req.operation;
        totalCounts.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (status >= 200 && status < 300) {
            okCounts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
        callLog.addLast(new CallRecord(
                clock.instant(),
                req.service,
                req.operation,
                req.principal == null ? null : req.principal.arn,
                req.accessKeyId,
                req.resource,
                status,
                errorCode));
        if (callLogSize.incrementAndGet() > MAX_CALL_LOG) {
            if (callLog.pollFirst() != null) {
                callLogSize.decrementAndGet();
            }
        }
    }

    private void send(HttpExchange ex, Resp r) throws IOException {
        var h = ex.getResponseHeaders();
        for (var e : r.headers.entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        h.set("Date", HTTP_DATE.format(clock.instant().atZone(java.time.ZoneOffset.UTC)));
        if (r.body.length == 0) {
            ex.sendResponseHeaders(r.status, -1);
        } else {
            ex.sendResponseHeaders(r.status, r.body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body);
            }
        }
        ex.close();
    }

    String launcherPrincipal() {
        return launcherPrincipal;
    }

    // ------------------------------------------------------------------------------------------ launcher

    /**
     * Standalone launcher: {@code --port N} (default 4566), {@code --seed file.json} (default: {@link SeedScenario}).
     * Prints credentials to use, then {@code READY http://127.0.0.1:<port>}, and runs until killed.
     */
    public static void main(String[] args) throws Exception {
        int port = 4566;
        Path seed = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                case "--seed":
                    seed = Path.of(args[++i]);
                    break;
                default:
                    System.err.println("Usage: AwsEmulator [--port N] [--seed file.json]");
                    System.exit(2);
            }
        }
        Builder b = seed == null ? SeedScenario.builder() : builder().seedFile(seed);
        AwsEmulator emu = b.port(port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(emu::close));
        String principal = emu.launcherPrincipal();
        if (principal == null && !emu.iam.roles.isEmpty()) {
            principal = emu.iam.roles.keySet().iterator().next();
        }
        if (principal == null && !emu.iam.users.isEmpty()) {
            principal = emu.iam.users.keySet().iterator().next();
        }
        // everything before READY is shell: "# " comments and export lines, so the block can be eval'ed or pasted
        System.out.println("# AWS emulator (STS, SSM, Lambda) on " + emu.endpoint());
        if (principal != null) {
            var creds = emu.credentialsFor(principal).resolveCredentials();
            System.out.println("# Credentials for " + principal
                    + (creds instanceof AwsSessionCredentials ? " (assumed-role session, valid 12 h):" : ":"));
            System.out.println("export AWS_ACCESS_KEY_ID=" + creds.accessKeyId());
            System.out.println("export AWS_SECRET_ACCESS_KEY=" + creds.secretAccessKey());
            if (creds instanceof AwsSessionCredentials) {
                System.out.println("export AWS_SESSION_TOKEN=" + ((AwsSessionCredentials) creds).sessionToken());
            }
            System.out.println("export AWS_REGION=us-east-1");
            System.out.println("export AWS_ENDPOINT_URL=" + emu.endpoint());
        }
        System.out.println("READY " + emu.endpoint());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    // ------------------------------------------------------------------------------------------ builder

    public static final class Builder {
        private int port;
        private EmulatorClock clock;
        private final Map<String, AccountSpec> accounts = new LinkedHashMap<>();
        private final List<String[]> parameters = new ArrayList<>();
        private final List<FunctionSpec> functions = new ArrayList<>();
        private final List<String[]> secrets = new ArrayList<>();
        private Consumer<Quotas> quotas;
        String launcherPrincipal;

        private Builder() {}

        /** 0 = ephemeral (default). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder clock(EmulatorClock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Adds roles/users to an account; may be called several times for the same account. */
        public Builder account(String accountId, Consumer<AccountSpec> spec) {
            if (!accountId.matches("\\d{12}")) {
                throw new IllegalArgumentException("Account id must be 12 digits: " + accountId);
            }
            spec.accept(accounts.computeIfAbsent(accountId, AccountSpec::new));
            return this;
        }

        public Builder parameter(String accountId, String region, String name, String value, boolean secure) {
            parameters.add(new String[] {accountId, region, name, value, secure ? "SecureString" : "String"});
            return this;
        }

        /** A Secrets Manager secret whose one version (AWSCURRENT) holds {@code value}. */
        public Builder secret(String accountId, String region, String name, String value) {
            secrets.add(new String[] {accountId, region, name, value});
            return this;
        }

        public Builder function(FunctionSpec spec) {
            functions.add(Objects.requireNonNull(spec));
            return this;
        }

        /** Adjusts AWS's default quotas (e.g. {@code q -> q.ssmHigherThroughput(true)}, {@code q -> q.enabled(false)}). */
        public Builder quotas(Consumer<Quotas> adjust) {
            Consumer<Quotas> before = quotas;
            quotas = before == null ? adjust : before.andThen(adjust);
            return this;
        }

        /** Loads accounts, roles, users, parameters and functions from a JSON seed file (format: docs/emulator.md). */
        public Builder seedFile(Path jsonFile) {
            SeedLoader.load(jsonFile, this);
            return this;
        }

        public AwsEmulator start() {
            try {
                return new AwsEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
