package io.github.sidecarlambda;

/**
 * The External ID could not be read from Parameter Store. The message names the parameter, never its value.
 */
public class ExternalIdUnavailableException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    /** Why the External ID is unavailable. */
    public enum Reason {
        /** The parameter does not exist in the operator's account and region ({@code ParameterNotFound}). */
        NOT_FOUND,
        /** The platform identity may not read (or decrypt) the parameter. */
        ACCESS_DENIED,
        /** Parameter Store throttled the read ({@code ThrottlingException}); retryable. */
        THROTTLED,
        /** The parameter exists but its value is not a valid External ID (2-1224 characters of [\w+=,.@:/-]). */
        INVALID_VALUE,
        /**
         * The platform identity's own credentials are missing or were rejected (no credentials in the default chain,
         * unknown key, bad signature, expired token): fix the operator's environment or baseCredentialsProvider.
         */
        PLATFORM_IDENTITY,
        /** Any other failure: network, Parameter Store error. */
        UNAVAILABLE
    }

    private final String parameterName;
    private final Reason reason;

    public ExternalIdUnavailableException(String parameterName, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.parameterName = parameterName;
        this.reason = reason;
    }

    /** The fully qualified parameter name, e.g. {@code /acme/prod/trustKey}. */
    public String getParameterName() {
        return parameterName;
    }

    public Reason getReason() {
        return reason;
    }

    @Override
    public boolean isRetryable() {
        return reason == Reason.THROTTLED || reason == Reason.UNAVAILABLE;
    }

    @Override
    public SidecarLambdaException replay(String note) {
        return new ExternalIdUnavailableException(parameterName, reason, getMessage() + note, getCause());
    }
}
