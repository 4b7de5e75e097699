package io.github.sidecarlambda.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;

import io.github.sidecarlambda.RoleArn;

/**
 * {@link SidecarLambdaMetrics} on a Micrometer registry. Meters of the hot path are created once and kept, so an
 * exchange costs a few adder increments, never a registry lookup.
 */
final class MicrometerMetrics implements SidecarLambdaMetrics {

    static final String PREFIX = "sidecar.lambda.";

    private final MeterRegistry registry;
    private final Counter cached;
    private final Counter failFast;
    private final Counter expiredTokenRetries;
    private final Counter staleConnectionResends;
    private final DistributionSummary requestBytes;
    private final DistributionSummary responseBytes;
    private final Map<String, Timer> okInvokes = new ConcurrentHashMap<>();
    private final Map<Object, Gauge> expiries = new ConcurrentHashMap<>();

    private MicrometerMetrics(MeterRegistry registry, LongSupplier cachedTenants) {
        this.registry = registry;
        this.cached = Counter.builder(PREFIX + "credentials")
                .tag("outcome", "cached")
                .tag("code", "none")
                .description("Credential resolutions for an exchange")
                .register(registry);
        this.failFast = Counter.builder(PREFIX + "credentials.failfast")
                .description("Exchanges answered with a remembered failure, without an AWS call")
                .register(registry);
        this.expiredTokenRetries = Counter.builder(PREFIX + "expiredtoken.retries")
                .description("Invokes retried after Lambda rejected the credentials as expired")
                .register(registry);
        this.staleConnectionResends = Counter.builder(PREFIX + "staleconnection.resends")
                .description("Invokes sent again after the server closed a pooled connection before answering")
                .register(registry);
        this.requestBytes = DistributionSummary.builder(PREFIX + "payload")
                .tag("direction", "request")
                .baseUnit("bytes")
                .register(registry);
        this.responseBytes = DistributionSummary.builder(PREFIX + "payload")
                .tag("direction", "response")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(PREFIX + "tenants.cached", cachedTenants, s -> s.getAsLong())
                .description("Tenants whose credentials are cached")
                .strongReference(true)
                .register(registry);
    }

    public static SidecarLambdaMetrics from(CamelContext context, LongSupplier cachedTenants) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
            if (all.size() == 1) {
                registry = all.iterator().next();
            } else {
                // several: the composite that fans out to them, if there is exactly one
                var composites = all.stream()
                        .filter(r -> r instanceof CompositeMeterRegistry)
                        .toList();
                registry = composites.size() == 1 ? composites.get(0) : null;
            }
        }
        return registry == null ? NONE : new MicrometerMetrics(registry, cachedTenants);
    }

    @Override
    public void credentialsCached() {
        cached.increment();
    }

    @Override
    public void credentialsRefreshed(RoleArn tenant) {
        credentials("refreshed", "none", tenant).increment();
    }

    @Override
    public void credentialsFailed(RoleArn tenant, String code) {
        credentials("failed", code == null ? "unknown" : code, tenant).increment();
    }

    private Counter credentials(String outcome, String code, RoleArn role) {
        return Counter.builder(PREFIX + "credentials")
                .tag("outcome", outcome)
                .tag("code", code)
                .tag("role_account", role.accountId())
                .tag("role_name", role.roleName())
                .register(registry);
    }

    @Override
    public void failFast() {
        failFast.increment();
    }

    @Override
    public void expiredTokenRetry() {
        expiredTokenRetries.increment();
    }

    @Override
    public void staleConnectionResend() {
        staleConnectionResends.increment();
    }

    @Override
    public void awsCall(String service, String operation, String outcome, long nanos) {
        Timer.builder(PREFIX + "aws.calls")
                .tag("service", service)
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void invoke(String function, String outcome, long nanos, int requestSize, int responseSize) {
        Timer timer = "ok".equals(outcome)
                ? okInvokes.computeIfAbsent(function, f -> invokeTimer(f, "ok"))
                : invokeTimer(function, outcome);
        timer.record(nanos, TimeUnit.NANOSECONDS);
        requestBytes.record(requestSize);
        if (responseSize >= 0) {
            responseBytes.record(responseSize);
        }
    }

    private Timer invokeTimer(String function, String outcome) {
        return Timer.builder(PREFIX + "invoke")
                .tag("function", function)
                .tag("outcome", outcome)
                .description("Lambda Invoke calls, by function and outcome")
                .register(registry);
    }

    @Override
    public void tenantCached(Object tenant, RoleArn role, Supplier<Instant> expiration) {
        expiries.computeIfAbsent(
                tenant,
                t -> Gauge.builder(PREFIX + "credentials.expiry", expiration, MicrometerMetrics::secondsLeft)
                        .baseUnit("seconds")
                        .tag("role_account", role.accountId())
                        .tag("role_name", role.roleName())
                        .description("Seconds until the tenant's current credentials expire (negative: none)")
                        .strongReference(true)
                        .register(registry));
    }

    @Override
    public void tenantEvicted(Object tenant) {
        Gauge g = expiries.remove(tenant);
        if (g != null) {
            registry.remove(g);
        }
    }

    private static double secondsLeft(Supplier<Instant> expiration) {
        Instant exp = expiration.get();
        return exp == null ? -1 : (exp.toEpochMilli() - System.currentTimeMillis()) / 1000.0;
    }
}
