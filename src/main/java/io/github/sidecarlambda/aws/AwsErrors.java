package io.github.sidecarlambda.aws;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * How the component reads the AWS SDK's exceptions, in one place: find a cause of a type in a chain, an AWS error
 * code, and whether AWS's answer is transient (throttling or a server error) for any of the three services.
 */
public final class AwsErrors {

    private AwsErrors() {}

    /** The first throwable of {@code type} in the cause chain of {@code e}, or null. */
    public static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The AWS error code, e.g. {@code AccessDenied}, or null. */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    }

    /** AWS's error message, or the exception's when AWS sent none. */
    public static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }

    /** Whether the cause chain of {@code e} holds an AWS error with this code. */
    public static boolean hasCode(Throwable e, String code) {
        AwsServiceException aws = cause(e, AwsServiceException.class);
        return aws != null && code.equals(code(aws));
    }

    /** Throttling (any service's spelling, or HTTP 429) or a 5xx: asking again later may succeed. */
    public static boolean isTransient(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500;
    }

    /**
     * Whether asking again may succeed: a transient AWS answer, or no answer at all (connection refused, reset),
     * but not an exhausted timeout and not missing platform credentials, which waiting does not cure.
     */
    public static boolean isTransient(Throwable error) {
        AwsServiceException aws = cause(error, AwsServiceException.class);
        if (aws != null) {
            return isTransient(aws);
        }
        if (cause(error, ApiCallTimeoutException.class) != null) {
            return false;
        }
        SdkClientException client = cause(error, SdkClientException.class);
        return client != null && !isMissingCredentials(client);
    }

    /** The SDK could not find the platform identity's credentials at all. */
    public static boolean isMissingCredentials(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Unable to load credentials")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** For metrics and logs: the AWS error code, else the simple name of the innermost meaningful exception. */
    public static String codeOrType(Throwable error) {
        AwsServiceException aws = cause(error, AwsServiceException.class);
        if (aws != null && code(aws) != null) {
            return code(aws);
        }
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /** Full jitter between a quarter of and the whole of base × 2^attempt, capped: how SSM and STS calls back off. */
    public static long backoffMillis(int attempt, long baseMillis, long capMillis) {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 10));
        return ThreadLocalRandom.current().nextLong(ceiling / 4, ceiling + 1);
    }

    /** The failure itself, without the CompletionException wrappers a CompletableFuture adds. */
    public static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
