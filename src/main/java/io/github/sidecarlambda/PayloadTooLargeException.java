package io.github.sidecarlambda;

/**
 * The message body is larger than Lambda accepts for the invocation type (6 MB synchronous, 1 MB {@code Event}).
 * Raised before anything is sent.
 */
public class PayloadTooLargeException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    public PayloadTooLargeException(String function, InvocationType invocationType, long size, long limit) {
        super("Payload of " + size + " bytes exceeds Lambda's limit of " + limit + " bytes for invocationType="
                + invocationType + " (function " + function + "); nothing was sent");
        this.size = size;
        this.limit = limit;
    }

    /** The payload size; for a stream, which is read only one byte past the limit, that is limit + 1. */
    public long getSize() {
        return size;
    }

    public long getLimit() {
        return limit;
    }
}
