package io.github.sidecarlambda;

/**
 * STS refused to let the platform identity assume the customer's role. AWS gives the same answer whatever the cause,
 * so the message lists everything to check (trust principal, External ID, role name, the platform's own
 * {@code sts:AssumeRole} permission) in the same words every time.
 */
public class AssumeRoleDeniedException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final String roleArn;
    private final String externalIdKey;
    private final String awsMessage;

    public AssumeRoleDeniedException(String roleArn, String externalIdKey, String awsMessage, Throwable cause) {
        super(
                "STS denied AssumeRole on " + roleArn + " (External ID from parameter " + externalIdKey + "). "
                        + "AWS does not say which check failed; verify that: (1) the role exists with exactly this ARN; "
                        + "(2) its trust policy names the platform identity as Principal and allows sts:AssumeRole; "
                        + "(3) its trust policy condition sts:ExternalId equals the value stored in " + externalIdKey
                        + " (after a denial with a cached value it is re-read once); "
                        + "(4) the platform identity's own policy allows sts:AssumeRole on the role. AWS said: "
                        + awsMessage,
                cause);
        this.roleArn = roleArn;
        this.externalIdKey = externalIdKey;
        this.awsMessage = awsMessage;
    }

    /** What STS said (the same text for every cause of denial). */
    public String getAwsMessage() {
        return awsMessage;
    }

    public String getRoleArn() {
        return roleArn;
    }

    public String getExternalIdKey() {
        return externalIdKey;
    }

    @Override
    public SidecarLambdaException replay(String note) {
        return new AssumeRoleDeniedException(roleArn, externalIdKey, awsMessage + note, getCause());
    }
}
