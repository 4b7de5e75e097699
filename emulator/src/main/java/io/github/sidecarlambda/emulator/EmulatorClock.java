package io.github.sidecarlambda.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's notion of "now". It ticks with real time (so SigV4 dates produced by SDK clients stay valid)
 * from its start instant, and can be pushed forward with {@link #advance(Duration)} to simulate expiry and skew.
 * Zone is always UTC. Thread-safe.
 */
public final class EmulatorClock extends Clock {
    private final Instant start;
    private final long startNanos;
    private final AtomicLong offsetNanos = new AtomicLong();

    public EmulatorClock() {
        this(Instant.now());
    }

    public EmulatorClock(Instant start) {
        this.start = start;
        this.startNanos = System.nanoTime();
    }

    public void advance(Duration d) {
        offsetNanos.addAndGet(d.toNanos());
    }

    private volatile Duration skew = Duration.ZERO;

    /**
     * Simulates a client whose clock is off by {@code d}: SigV4 request dates are checked against the wall clock
     * plus this skew. {@link #advance(Duration)} does not move that reference, because it models time passing at AWS
     * (credentials expiring) which an SDK signer, using the JVM's wall clock, follows in reality but cannot here.
     */
    public void skew(Duration d) {
        skew = d;
    }

    /** The instant SigV4 request dates are compared with (within 5 minutes): wall clock plus {@link #skew}. */
    public Instant signingReference() {
        return Instant.now().plus(skew);
    }

    @Override
    public Instant instant() {
        return start.plusNanos(System.nanoTime() - startNanos + offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        return Clock.fixed(instant(), zone);
    }
}
