package io.github.sidecarlambda.aws;

import java.io.IOException;
import java.net.SocketException;

/**
 * A reused keep-alive connection to Lambda failed (reset, or a write refused) before any byte of the answer to the
 * request written onto it arrived: the signature of a connection the server or a load balancer closed as the request
 * was being written, and so had not read. Raised by the component's own socket channel (the AWS SDK's Netty client
 * does not say whether a reset connection had been reused); {@link RetrySafety#staleConnection(Throwable)} reads it.
 */
public final class StaleConnectionException extends SocketException {

    private static final long serialVersionUID = 1L;

    public StaleConnectionException(IOException cause) {
        super(cause.getMessage() + " (on a reused connection, before any byte of the answer)");
        initCause(cause);
    }
}
