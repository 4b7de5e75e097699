package io.github.sidecarlambda.emulator;

/**
 * The one token bucket of the emulator (used by {@link Quotas} and by {@link Faults#rateLimit}): refills
 * {@code perSecond} tokens a second up to {@code capacity}; a request takes one token or is throttled.
 * IAM/STS describe their own throttling as this algorithm (AWS Security Blog, "How to monitor and query IAM
 * resources at scale – Part 2"). Refills with real time ({@link System#nanoTime()}), not the emulator clock, so
 * advancing the clock to expire credentials does not also hand out tokens.
 */
final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastRefill;

    TokenBucket(double perSecond, double capacity) {
        if (!(perSecond > 0) || !(capacity >= 1)) {
            throw new IllegalArgumentException(
                    "token bucket needs perSecond > 0 and capacity >= 1, got " + perSecond + " and " + capacity);
        }
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastRefill = System.nanoTime();
    }

    /** Takes a token if there is one. */
    synchronized boolean tryTake() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * perSecond);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
