package io.github.sidecarlambda;

/**
 * Lambda (the service, not the function) refused or failed the invocation: {@code AccessDeniedException},
 * {@code ResourceNotFoundException}, {@code TooManyRequestsException}, {@code ServiceException}, a timeout, ...
 */
public class LambdaServiceException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final String function;
    private final String awsErrorCode;
    private final int statusCode;
    private final String requestId;
    private final boolean retryable;
    private final boolean mayHaveRun;

    public LambdaServiceException(
            String function,
            String awsErrorCode,
            int statusCode,
            String requestId,
            boolean retryable,
            String message,
            Throwable cause) {
        this(function, awsErrorCode, statusCode, requestId, retryable, !retryable, message, cause);
    }

    public LambdaServiceException(
            String function,
            String awsErrorCode,
            int statusCode,
            String requestId,
            boolean retryable,
            boolean mayHaveRun,
            String message,
            Throwable cause) {
        super(message, cause);
        this.function = function;
        this.awsErrorCode = awsErrorCode;
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.retryable = retryable;
        this.mayHaveRun = mayHaveRun;
    }

    /**
     * Whether the function may have run although the call failed (e.g. a timeout or a connection reset after the
     * request was sent, or Lambda's ServiceException). Such a failure is never {@link #isRetryable()}: redelivering it
     * is the route's decision, for idempotent functions only. See docs/troubleshooting.md, "Retry safety".
     */
    public boolean mayHaveRun() {
        return mayHaveRun;
    }

    public String getFunction() {
        return function;
    }

    /** The Lambda error code, e.g. {@code TooManyRequestsException}; null when no response was received. */
    public String getAwsErrorCode() {
        return awsErrorCode;
    }

    /** The HTTP status code, or 0 when no response was received. */
    public int getStatusCode() {
        return statusCode;
    }

    public String getRequestId() {
        return requestId;
    }

    /** Transient, and the function did not run: safe to send again (docs/troubleshooting.md, "Retry safety"). */
    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
