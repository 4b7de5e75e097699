package io.github.sidecarlambda.metrics;

import java.util.function.LongSupplier;

import org.apache.camel.CamelContext;

/** Finds where the component's metrics go for a Camel context. */
public final class Meters {

    private Meters() {}

    /**
     * Micrometer meters on the registry camel-micrometer would use (bean {@code metricsRegistry}, else the single
     * {@code MeterRegistry} bean); {@link SidecarLambdaMetrics#NONE} when Micrometer is not on the classpath or there
     * is no registry.
     */
    public static SidecarLambdaMetrics of(CamelContext context, LongSupplier cachedTenants) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, Meters.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return SidecarLambdaMetrics.NONE;
        }
        return MicrometerMetrics.from(context, cachedTenants);
    }
}
