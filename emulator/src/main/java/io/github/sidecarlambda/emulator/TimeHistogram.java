package io.github.sidecarlambda.emulator;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free log-linear histogram of durations in nanoseconds (about 6% resolution). */
final class TimeHistogram {
    private static final int SUB = 16;
    private final AtomicLongArray buckets = new AtomicLongArray(64 * SUB);
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        long v = Math.max(1, nanos);
        int e = 63 - Long.numberOfLeadingZeros(v);
        int sub = e < 4 ? (int) (v & (SUB - 1)) : (int) ((v >>> (e - 4)) & (SUB - 1));
        buckets.incrementAndGet(e * SUB + sub);
        count.increment();
        total.add(nanos);
        max.accumulate(nanos);
    }

    private static double bucketValue(int idx) {
        int e = idx / SUB;
        int sub = idx % SUB;
        if (e < 4) {
            return sub;
        }
        return (double) ((1L << e) | ((long) sub << (e - 4))) + (1L << (e - 4)) / 2.0;
    }

    ServerTimeStats stats() {
        long n = count.sum();
        if (n == 0) {
            return new ServerTimeStats(0, 0, 0, 0, 0);
        }
        return new ServerTimeStats(
                n,
                total.sum() / (double) n / 1000.0,
                percentile(n, 0.5) / 1000.0,
                percentile(n, 0.99) / 1000.0,
                max.get() / 1000.0);
    }

    private double percentile(long n, double q) {
        long target = (long) Math.ceil(n * q);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= target) {
                return bucketValue(i);
            }
        }
        return max.get();
    }
}
