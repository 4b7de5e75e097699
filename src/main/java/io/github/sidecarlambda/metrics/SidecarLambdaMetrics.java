package io.github.sidecarlambda.metrics;

import java.time.Instant;
import java.util.function.Supplier;

import io.github.sidecarlambda.RoleArn;

/**
 * What the component measures, as events. {@link #NONE} when the application has no Micrometer or no registry; else
 * Micrometer meters ({@link Meters#of}). Tags name the function, the role's account and name: never an External ID, a
 * parameter value, a key or a token.
 */
public interface SidecarLambdaMetrics {

    SidecarLambdaMetrics NONE = new SidecarLambdaMetrics() {};

    /** Credentials for one exchange: served from memory. */
    default void credentialsCached() {}

    /** A refresh of a tenant's credentials succeeded. */
    default void credentialsRefreshed(RoleArn role) {}

    /** A refresh failed; {@code code} is the AWS error code or the exception's simple name. */
    default void credentialsFailed(RoleArn role, String code) {}

    /** An exchange got a remembered failure without an AWS call. */
    default void failFast() {}

    /** Lambda rejected credentials as expired; the component renews them and retries once. */
    default void expiredTokenRetry() {}

    /** An Invoke was sent again after a pooled connection was closed under it (resendOnStaleConnection). */
    default void staleConnectionResend() {}

    /** One control-plane call: service "sts"/"ssm", operation, outcome ("ok" or an error code), duration. */
    default void awsCall(String service, String operation, String outcome, long nanos) {}

    /** One Invoke: outcome "ok", "functionError" or the AWS error code; payload sizes in bytes. */
    default void invoke(String function, String outcome, long nanos, int requestBytes, int responseBytes) {}

    /**
     * A tenant entered the cache: {@code expiration} tells when its current credentials expire (null: none), to report
     * their remaining lifetime until {@link #tenantEvicted} with the same {@code tenant}.
     */
    default void tenantCached(Object tenant, RoleArn role, Supplier<Instant> expiration) {}

    /** A tenant left the cache. */
    default void tenantEvicted(Object tenant) {}
}
