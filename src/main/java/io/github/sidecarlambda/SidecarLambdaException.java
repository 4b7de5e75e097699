package io.github.sidecarlambda;

import org.apache.camel.RuntimeCamelException;

/**
 * Base class of every failure the {@code sidecar-lambda} component raises, so a route can catch them all with one
 * {@code onException(SidecarLambdaException.class)} or tell the kinds apart by subclass. Messages never contain the
 * External ID, a secret access key or a session token.
 */
public abstract class SidecarLambdaException extends RuntimeCamelException {

    private static final long serialVersionUID = 1L;

    protected SidecarLambdaException(String message) {
        super(message);
    }

    protected SidecarLambdaException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether sending the same exchange again later may succeed (throttling, a transient service or network failure).
     * Configuration errors and denials are not retryable: redelivery would fail the same way.
     */
    public boolean isRetryable() {
        return false;
    }

    /**
     * A new exception of the same type and words (plus {@code note}), with the same cause: what a caller gets when
     * the answer of a refresh it joined, or a remembered failure, is handed to it. Never wraps itself.
     */
    public SidecarLambdaException replay(String note) {
        return this;
    }
}
