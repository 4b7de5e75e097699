package io.github.sidecarlambda.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fault injection per (service, operation). Faults are applied once the operation is known, before authentication,
 * in this order: chaos (one random fault, see {@link #chaos}), dropped connection, extra latency, failNext errors,
 * rate limit.
 */
public final class Faults {
    private static final Set<String> SERVICES = Set.of("sts", "ssm", "secretsmanager", "lambda");

    record Failure(String code, int status) {}

    /**
     * One kind of fault {@link #chaos} may pick: an error in the service's protocol shape, a connection closed without
     * a response, or extra latency before the request is handled normally.
     */
    public record Chaos(String name, Failure failure, boolean drop, Duration latency) {
        public static Chaos error(String awsErrorCode, int httpStatus) {
            return new Chaos(
                    awsErrorCode + "/" + httpStatus, new Failure(awsErrorCode, httpStatus), false, Duration.ZERO);
        }

        public static Chaos dropConnection() {
            return new Chaos("drop", null, true, Duration.ZERO);
        }

        public static Chaos latency(Duration extra) {
            return new Chaos("latency+" + extra.toMillis() + "ms", null, false, extra);
        }
    }

    private static final class ChaosSlot {
        final double probability;
        final List<Chaos> kinds;
        final Random random;

        ChaosSlot(double probability, List<Chaos> kinds, long seed) {
            this.probability = probability;
            this.kinds = kinds;
            this.random = new Random(seed);
        }
    }

    private static final class Slot {
        int failRemaining;
        Failure failure;
        int dropRemaining;
        volatile Duration latency = Duration.ZERO;
        volatile TokenBucket bucket; // null = unlimited
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, ChaosSlot> chaos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> chaosInjected = new ConcurrentHashMap<>();

    Faults() {}

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

    /**
     * Every request to the operation, with {@code probability} (0 removes it), gets one of {@code kinds}, picked
     * uniformly. The draws come from a {@link Random} seeded with {@code seed}: the same sequence of requests gets the
     * same faults (with concurrent callers, which request gets which draw depends on their order).
     */
    public void chaos(String service, String operation, double probability, long seed, Chaos... kinds) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within [0, 1]; was " + probability);
        }
        slot(service, operation); // validates the service
        if (probability == 0) {
            chaos.remove(service + "/" + operation);
        } else {
            if (kinds.length == 0) {
                throw new IllegalArgumentException("chaos needs at least one kind of fault");
            }
            chaos.put(service + "/" + operation, new ChaosSlot(probability, List.of(kinds), seed));
        }
    }

    /** How many faults {@link #chaos} injected, by "service/operation kind", sorted. */
    public Map<String, Long> chaosInjected() {
        Map<String, Long> counts = new TreeMap<>();
        chaosInjected.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    public void clear() {
        slots.clear();
        chaos.clear();
        chaosInjected.clear();
    }

    /** The fault chaos picked for this request, or null. */
    Chaos takeChaos(String service, String operation) {
        ChaosSlot c = chaos.get(service + "/" + operation);
        if (c == null) {
            return null;
        }
        Chaos picked;
        synchronized (c) {
            if (c.random.nextDouble() >= c.probability) {
                return null;
            }
            picked = c.kinds.get(c.random.nextInt(c.kinds.size()));
        }
        chaosInjected
                .computeIfAbsent(service + "/" + operation + " " + picked.name(), k -> new LongAdder())
                .increment();
        return picked;
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
