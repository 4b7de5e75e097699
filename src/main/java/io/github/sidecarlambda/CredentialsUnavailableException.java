package io.github.sidecarlambda;

/**
 * Temporary credentials for the customer's role could not be obtained for a reason other than a denial: STS
 * throttling, a disabled region, an invalid platform identity, a network failure.
 */
public class CredentialsUnavailableException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final String roleArn;
    private final String awsErrorCode;
    private final boolean retryable;

    public CredentialsUnavailableException(
            String roleArn, String awsErrorCode, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.roleArn = roleArn;
        this.awsErrorCode = awsErrorCode;
        this.retryable = retryable;
    }

    public String getRoleArn() {
        return roleArn;
    }

    /** The STS error code ({@code Throttling}, {@code RegionDisabledException}, ...), or null without a response. */
    public String getAwsErrorCode() {
        return awsErrorCode;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    @Override
    public SidecarLambdaException replay(String note) {
        return new CredentialsUnavailableException(roleArn, awsErrorCode, retryable, getMessage() + note, getCause());
    }
}
