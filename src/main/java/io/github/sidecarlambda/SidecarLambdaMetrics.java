package io.github.sidecarlambda;

import org.apache.camel.CamelContext;

/**
 * What the component measures, as events. {@link #NONE} when the application has no Micrometer or no registry; else
 * {@link MicrometerMetrics}, found the way camel-micrometer finds its registry (bean {@code metricsRegistry}, else the
 * single {@code MeterRegistry} bean). Tags name the function, the role's account and name: never an External ID, a
 * parameter value, a key or a token.
 */
interface SidecarLambdaMetrics {

    SidecarLambdaMetrics NONE = new SidecarLambdaMetrics() {
    };

    /** Credentials for one exchange: served from memory. */
    default void credentialsCached() {
    }

    /** A refresh of a tenant's credentials succeeded. */
    default void credentialsRefreshed(TenantKey tenant) {
    }

    /** A refresh failed; {@code code} is the AWS error code or the exception's simple name. */
    default void credentialsFailed(TenantKey tenant, String code) {
    }

    /** An exchange got a remembered failure without an AWS call. */
    default void failFast() {
    }

    /** Lambda rejected credentials as expired; the component renews them and retries once. */
    default void expiredTokenRetry() {
    }

    /** An Invoke was sent again after a pooled connection was closed under it (resendOnStaleConnection). */
    default void staleConnectionResend() {
    }

    /** One control-plane call: service "sts"/"ssm", operation, outcome ("ok" or an error code), duration. */
    default void awsCall(String service, String operation, String outcome, long nanos) {
    }

    /** One Invoke: outcome "ok", "functionError" or the AWS error code; payload sizes in bytes. */
    default void invoke(String function, String outcome, long nanos, int requestBytes, int responseBytes) {
    }

    /** A tenant entered the cache (to report its credentials' remaining lifetime) or left it. */
    default void tenantCached(TenantCredentials tenant) {
    }

    default void tenantEvicted(TenantCredentials tenant) {
    }

    static SidecarLambdaMetrics lookup(CamelContext context, java.util.function.LongSupplier cachedTenants) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, SidecarLambdaMetrics.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return NONE;
        }
        return MicrometerMetrics.from(context, cachedTenants);
    }
}
