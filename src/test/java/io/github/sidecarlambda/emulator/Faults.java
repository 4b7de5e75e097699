package io.github.sidecarlambda.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection per (service, operation). Faults are applied once the operation is known, before authentication,
 * in this order: dropped connection, extra latency, failNext errors, rate limit.
 */
public final class Faults {
    private static final Set<String> SERVICES = Set.of("sts", "ssm", "secretsmanager", "lambda");

    record Failure(String code, int status) {
    }

    private static final class Slot {
        int failRemaining;
        Failure failure;
        int dropRemaining;
        volatile Duration latency = Duration.ZERO;
        volatile TokenBucket bucket; // null = unlimited
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    Faults() {
    }

    private Slot slot(String service, String operation) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("Unknown service " + service + " (use sts, ssm or lambda)");
        }
        return slots.computeIfAbsent(service + "/" + operation, k -> new Slot());
    }

    /** The next {@code times} requests to the operation fail with this error (in the service's protocol shape). */
    public void failNext(String service, String operation, int times, String awsErrorCode, int httpStatus) {
        Slot s = slot(service, operation);
        synchronized (s) {
            s.failRemaining = times;
            s.failure = new Failure(awsErrorCode, httpStatus);
        }
    }

    /** Extra delay before every request to the operation is handled. */
    public void latency(String service, String operation, Duration extra) {
        slot(service, operation).latency = extra == null ? Duration.ZERO : extra;
    }

    /** The next {@code times} requests get their connection closed without any response. */
    public void dropNextConnections(String service, String operation, int times) {
        Slot s = slot(service, operation);
        synchronized (s) {
            s.dropRemaining = times;
        }
    }

    /**
     * Token bucket (burst = max(1, perSecond); 0 removes it) on one operation, for every caller; requests beyond it
     * get the service's throttling error. AWS's own per-account quotas are {@link Quotas}.
     */
    public void rateLimit(String service, String operation, double perSecond) {
        slot(service, operation).bucket = perSecond > 0 ? new TokenBucket(perSecond, Math.max(1, perSecond)) : null;
    }

    public void clear() {
        slots.clear();
    }

    boolean takeDrop(String service, String operation) {
        Slot s = slots.get(service + "/" + operation);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            if (s.dropRemaining > 0) {
                s.dropRemaining--;
                return true;
            }
            return false;
        }
    }

    Duration latencyOf(String service, String operation) {
        Slot s = slots.get(service + "/" + operation);
        return s == null ? Duration.ZERO : s.latency;
    }

    Failure takeFailure(String service, String operation) {
        Slot s = slots.get(service + "/" + operation);
        if (s == null) {
            return null;
        }
        synchronized (s) {
            if (s.failRemaining > 0) {
                s.failRemaining--;
                return s.failure;
            }
            return null;
        }
    }

    boolean throttled(String service, String operation) {
        Slot s = slots.get(service + "/" + operation);
        TokenBucket b = s == null ? null : s.bucket;
        return b != null && !b.tryTake();
    }
}
