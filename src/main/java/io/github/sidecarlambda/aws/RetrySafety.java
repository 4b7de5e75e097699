package io.github.sidecarlambda.aws;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Whether a failed Invoke is worth asking again, and whether the function may already have run: the table of
 * docs/troubleshooting.md ("Retry safety"), from Lambda's documented Invoke errors. Used by the SDK's retry strategy
 * for Invoke (which retries only what cannot have run) and by
 * {@link io.github.sidecarlambda.LambdaServiceException#isRetryable()} and
 * {@link io.github.sidecarlambda.LambdaServiceException#mayHaveRun()}.
 */
public final class RetrySafety {

    /** Transient, and Lambda answered before running the function. */
    private static final Set<String> TRANSIENT_NOT_RUN = Set.of(
            "TooManyRequestsException",
            "EC2ThrottledException",
            "ResourceConflictException",
            "ResourceNotReadyException",
            "ThrottlingException",
            "ExpiredTokenException");
    /** Lambda's own 5xx that say nothing of whether the function ran. */
    private static final Set<String> TRANSIENT_MAY_HAVE_RUN = Set.of("ServiceException");
    /**
     * 502s that are configuration problems of the function and will not heal by retrying: KMS, ENI/subnet,
     * runtime, image, EFS, SnapStart. Lambda did not run the handler.
     */
    private static final Set<String> PERMANENT_5XX = Set.of(
            "KMSAccessDeniedException",
            "KMSDisabledException",
            "KMSInvalidStateException",
            "KMSNotFoundException",
            "ENILimitReachedException",
            "SubnetIPAddressLimitReachedException",
            "InvalidSubnetIDException",
            "InvalidSecurityGroupIDException",
            "EC2AccessDeniedException",
            "EC2UnexpectedException",
            "InvalidRuntimeException",
            "InvalidZipFileException",
            "EFSMountConnectivityException",
            "EFSMountFailureException",
            "EFSMountTimeoutException",
            "EFSIOException",
            "SnapStartException",
            "SnapStartNotReadyException",
            "SnapStartTimeoutException",
            "RecursiveInvocationException",
            "SerializedRequestEntityTooLargeException");

    private RetrySafety() {}

    /** How a failure of Invoke is to be read. */
    public record Verdict(boolean transientFailure, boolean mayHaveRun) {
        public boolean retryable() {
            return transientFailure && !mayHaveRun;
        }
    }

    public static Verdict of(Throwable error) {
        AwsServiceException aws = AwsErrors.cause(error, AwsServiceException.class);
        if (aws != null) {
            String code = AwsErrors.code(aws);
            if (code != null && TRANSIENT_NOT_RUN.contains(code)) {
                return new Verdict(true, false);
            }
            if (code != null && TRANSIENT_MAY_HAVE_RUN.contains(code)) {
                return new Verdict(true, true);
            }
            if (code != null && PERMANENT_5XX.contains(code)) {
                return new Verdict(false, false);
            }
            if (aws.isThrottlingException()) {
                return new Verdict(true, false);
            }
            // any other 5xx: unknown to the table, so transient but possibly run; 4xx: refused before running
            return aws.statusCode() >= 500 ? new Verdict(true, true) : new Verdict(false, false);
        }
        if (AwsErrors.cause(error, ApiCallTimeoutException.class) != null) {
            return new Verdict(false, true);
        }
        if (AwsErrors.cause(error, SdkClientException.class) != null
                || AwsErrors.cause(error, IOException.class) != null) {
            return notSent(error) ? new Verdict(true, false) : new Verdict(true, true);
        }
        return new Verdict(false, true);
    }

    /**
     * The signature of a stale pooled connection, as the component's own socket channel ({@link ReuseAwareSocketChannel})
     * tells it: a reused keep-alive connection (its earlier requests all answered) closed, reset or refusing the write
     * before any answer head to this request arrived, within 250 ms of the request being written. That is what a server
     * or load balancer closing a connection looks like when the client writes onto it at that moment; the request was
     * not read. A connection's first request, or a failure later than that, is not this (the server may have read it).
     */
    public static boolean staleConnection(Throwable error) {
        return AwsErrors.cause(error, StaleConnectionException.class) != null;
    }

    /** The request never left: no connection could be made, or no connection of the pool became free. */
    public static boolean notSent(Throwable error) {
        // no connection, or the client's own executor refused the call (it is stopping): nothing left this JVM
        if (AwsErrors.cause(error, ConnectException.class) != null
                || AwsErrors.cause(error, RejectedExecutionException.class) != null) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // the client was closed (its endpoint stopped) before this request got a connection
            if (t instanceof IllegalStateException
                    && m.contains("was closed")
                    && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getMethodName().startsWith("acquire")) {
                return true;
            }
            // the same while its first connection was still being set up: the SDK's pool refuses to hand it out
            if (t instanceof IllegalStateException
                    && m.equals("pool closed")
                    && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().endsWith(".HttpOrHttp2ChannelPool")) {
                return true;
            }
            if (m.contains("connection refused")
                    || m.contains("acquire operation took longer")
                    || m.contains("unable to resolve host")
                    || m.contains("unknownhost")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * The SDK's retry strategy for Invoke: at most {@code maxRetries} more attempts, only for failures after which
     * the function cannot have run (throttling, a function being updated or initialised, no connection), with the
     * SDK's standard jittered back-off. Never a retry that could run the function twice.
     */
    public static RetryStrategy invokeRetryStrategy(int maxRetries) {
        return DefaultRetryStrategy.standardStrategyBuilder()
                .maxAttempts(maxRetries + 1)
                .retryOnException(e -> of(e).retryable()
                        && !AwsErrors.hasCode(e, "ExpiredTokenException")) // the producer renews those
                .treatAsThrottling(e -> {
                    AwsServiceException aws = AwsErrors.cause(e, AwsServiceException.class);
                    return aws != null && (aws.isThrottlingException() || aws.statusCode() == 429);
                })
                .useClientDefaults(false)
                .build();
    }
}
