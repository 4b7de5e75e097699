package io.github.sidecarlambda.emulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** An emulated Lambda function: $LATEST handler, optional published versions and aliases, simulated run time. */
public final class FunctionSpec {
    final String accountId;
    final String region;
    final String name;
    final LambdaHandler latest;
    final Map<String, LambdaHandler> versions = new LinkedHashMap<>();
    final Map<String, String> aliases = new LinkedHashMap<>();
    volatile Duration latency = Duration.ZERO;
    volatile Integer reservedConcurrency; // null = draws on the account's unreserved concurrency
    final AtomicInteger inFlight = new AtomicInteger();

    private FunctionSpec(String accountId, String region, String name, LambdaHandler handler) {
        this.accountId = Objects.requireNonNull(accountId);
        this.region = Objects.requireNonNull(region);
        this.name = Objects.requireNonNull(name);
        this.latest = Objects.requireNonNull(handler);
    }

    public static FunctionSpec of(String accountId, String region, String name, LambdaHandler handler) {
        return new FunctionSpec(accountId, region, name, handler);
    }

    /** Simulated run time added to every invocation (before the handler runs). */
    public FunctionSpec latency(Duration d) {
        this.latency = d == null ? Duration.ZERO : d;
        return this;
    }

    /**
     * Reserved concurrency (Lambda PutFunctionConcurrency): at most {@code n} concurrent RequestResponse executions,
     * set apart from the account's pool; 0 throttles every invocation.
     */
    public FunctionSpec reservedConcurrency(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("reservedConcurrency must be >= 0, got " + n);
        }
        this.reservedConcurrency = n;
        return this;
    }

    /** A published version ("1", "2", ...) with its own code. */
    public FunctionSpec version(String version, LambdaHandler handler) {
        if (!version.matches("[0-9]+")) {
            throw new IllegalArgumentException("Version must be numeric: " + version);
        }
        versions.put(version, Objects.requireNonNull(handler));
        return this;
    }

    /** An alias pointing at a published version or "$LATEST". */
    public FunctionSpec alias(String alias, String version) {
        if (alias.matches("[0-9]+") || alias.equals("$LATEST")) {
            throw new IllegalArgumentException("Invalid alias name: " + alias);
        }
        if (!version.equals("$LATEST") && !versions.containsKey(version)) {
            throw new IllegalArgumentException("Unknown version " + version + " for alias " + alias);
        }
        aliases.put(alias, version);
        return this;
    }

    String arn() {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }
}
