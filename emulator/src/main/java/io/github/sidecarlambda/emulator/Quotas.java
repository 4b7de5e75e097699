package io.github.sidecarlambda.emulator;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AWS's per-account, per-region service quotas, on by default with AWS's published defaults (sources in
 * docs/emulator.md, section "Quotas"). Rates are token buckets per (caller account, region, bucket), checked after
 * authentication (the account is only known, and only trusted, once the signature is verified) and before
 * authorization and validation, so denied and invalid calls still spend a token. Lambda's concurrency quota counts
 * RequestResponse invocations while their handler runs (the function's latency included).
 * Configure with {@link AwsEmulator.Builder#quotas} or at run time through {@link AwsEmulator#quotas()}.
 */
public final class Quotas {
    /** GetParameter, GetParameters and GetParametersByPath together, standard throughput. */
    public static final double SSM_STANDARD_GET_TPS = 40;
    /** GetParameter and GetParameters together with higher throughput enabled. */
    public static final double SSM_HIGHER_GET_TPS = 10_000;
    /** GetParametersByPath with higher throughput enabled. */
    public static final double SSM_HIGHER_BY_PATH_TPS = 100;
    /** Concurrent executions per account and region. */
    public static final int LAMBDA_CONCURRENT_EXECUTIONS = 1000;

    private static final String ALL = "*";

    private volatile boolean enabled = true;
    private volatile double ssmStandardGetTps = SSM_STANDARD_GET_TPS;
    private volatile double ssmPutParameterTps; // 0 = no bucket: AWS publishes no number
    private volatile double stsAssumeRoleTps; // 0 = no bucket: AWS publishes no number
    private volatile int lambdaConcurrentExecutions = LAMBDA_CONCURRENT_EXECUTIONS;
    private final Set<String> ssmHigherThroughput = ConcurrentHashMap.newKeySet(); // "acct/region" or "*"

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    Quotas() {}

    /** Switches every quota on (default) or off; reserved concurrency of a function still applies when off. */
    public Quotas enabled(boolean on) {
        enabled = on;
        buckets.clear();
        return this;
    }

    /** Standard-throughput rate shared by GetParameter, GetParameters, GetParametersByPath (default 40). */
    public Quotas ssmStandardThroughput(double transactionsPerSecond) {
        ssmStandardGetTps = positive("ssmStandardThroughput", transactionsPerSecond);
        buckets.clear();
        return this;
    }

    /**
     * Parameter Store "higher throughput" for every account and region (AWS's setting
     * /ssm/parameter-store/high-throughput-enabled): GetParameter + GetParameters 10,000 TPS, GetParametersByPath 100 TPS.
     */
    public Quotas ssmHigherThroughput(boolean on) {
        return ssmHigherThroughput(ALL, ALL, on);
    }

    /** Higher throughput for one account and region only, as the AWS setting is scoped. */
    public Quotas ssmHigherThroughput(String accountId, String region, boolean on) {
        String key = ALL.equals(accountId) ? ALL : accountId + "/" + region;
        if (on) {
            ssmHigherThroughput.add(key);
        } else {
            ssmHigherThroughput.remove(key);
        }
        buckets.clear();
        return this;
    }

    /** A PutParameter bucket (default none; 0 removes it). AWS documents no default for PutParameter. */
    public Quotas ssmPutParameter(double transactionsPerSecond) {
        ssmPutParameterTps = zeroOrPositive("ssmPutParameter", transactionsPerSecond);
        buckets.clear();
        return this;
    }

    /** An AssumeRole bucket per caller account and region (default none; 0 removes it). AWS publishes no number. */
    public Quotas stsAssumeRole(double requestsPerSecond) {
        stsAssumeRoleTps = zeroOrPositive("stsAssumeRole", requestsPerSecond);
        buckets.clear();
        return this;
    }

    /** Concurrent RequestResponse executions per account and region (default 1,000). */
    public Quotas lambdaConcurrentExecutions(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("lambdaConcurrentExecutions must be >= 0, got " + limit);
        }
        lambdaConcurrentExecutions = limit;
        return this;
    }

    private static double positive(String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
        return v;
    }

    private static double zeroOrPositive(String name, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
        return v;
    }

    /** Throws the service's throttling error when the caller's account has no token left for this operation. */
    void checkRate(Req req) {
        if (!enabled || req.principal == null) {
            return;
        }
        String scope = req.principal.account + "/" + req.region();
        String bucket;
        double rate;
        switch (req.service + "/" + req.operation) {
            case "ssm/GetParameter":
            case "ssm/GetParameters":
            case "ssm/GetParametersByPath":
                if (ssmHigherThroughput.contains(ALL) || ssmHigherThroughput.contains(scope)) {
                    boolean byPath = req.operation.equals("GetParametersByPath");
                    bucket = byPath ? "ssm-by-path-higher" : "ssm-get-higher";
                    rate = byPath ? SSM_HIGHER_BY_PATH_TPS : SSM_HIGHER_GET_TPS;
                } else {
                    bucket = "ssm-get";
                    rate = ssmStandardGetTps;
                }
                break;
            case "ssm/PutParameter":
                bucket = "ssm-put";
                rate = ssmPutParameterTps;
                break;
            case "sts/AssumeRole":
                bucket = "sts-assume-role";
                rate = stsAssumeRoleTps;
                break;
            default:
                return;
        }
        if (rate <= 0) {
            return;
        }
        double r = rate;
        TokenBucket b = buckets.computeIfAbsent(scope + "/" + bucket, k -> new TokenBucket(r, Math.max(1, r)));
        if (!b.tryTake()) {
            throw AwsEmulator.throttling(req.service);
        }
    }

    /**
     * Claims one concurrent execution of {@code f}, or throws Lambda's 429: a function with reserved concurrency
     * draws only on its reservation; others share the account's limit minus every reservation in the region.
     * Returns the release action.
     */
    Runnable acquireConcurrency(FunctionSpec f, int reservedInRegion) {
        Integer reserved = f.reservedConcurrency;
        if (reserved != null) {
            if (!claim(f.inFlight, reserved)) {
                throw lambdaThrottle("ReservedFunctionConcurrentInvocationLimitExceeded");
            }
            return f.inFlight::decrementAndGet;
        }
        if (!enabled) {
            return () -> {};
        }
        AtomicInteger pool = inFlight.computeIfAbsent(f.accountId + "/" + f.region, k -> new AtomicInteger());
        if (!claim(pool, lambdaConcurrentExecutions - reservedInRegion)) {
            throw lambdaThrottle("ConcurrentInvocationLimitExceeded");
        }
        return pool::decrementAndGet;
    }

    private static boolean claim(AtomicInteger counter, int limit) {
        while (true) {
            int now = counter.get();
            if (now >= limit) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private static AwsError lambdaThrottle(String reason) {
        // message as the Lambda CLI prints it for a concurrency throttle; Retry-After is added when rendered
        return new AwsError(429, "TooManyRequestsException", "Rate Exceeded.").with("Reason", reason);
    }
}
