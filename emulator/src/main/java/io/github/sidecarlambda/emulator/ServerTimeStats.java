package io.github.sidecarlambda.emulator;

/** Server-side handling time (request fully read to response written), in microseconds. */
public record ServerTimeStats(long count, double meanMicros, double p50Micros, double p99Micros, double maxMicros) {
    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "n=%d mean=%.1fus p50=%.1fus p99=%.1fus max=%.1fus",
                count,
                meanMicros,
                p50Micros,
                p99Micros,
                maxMicros);
    }
}
