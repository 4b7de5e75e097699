package io.github.sidecarlambda;

import java.io.IOException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Lambda clients' socket channel: Netty's NIO channel that knows whether the request now on the wire is the first
 * on its connection, and whether any byte of its answer has arrived. HTTP/1.1 without pipelining: the first write after
 * bytes were read starts a new request on a reused connection. A reset, or a failed write, on such a connection
 * before any byte of the answer is raised as {@link StaleConnectionException}, which the component may send again
 * (option resendOnStaleConnection). Everything else is Netty's, unchanged. Used only on the event loop.
 */
final class ReuseAwareSocketChannel extends NioSocketChannel {

    /** Bytes were read since the last request started. */
    private boolean readSinceRequest;
    /** The request on the wire follows an earlier answer on this connection. */
    private boolean reused;

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (readSinceRequest) {
            reused = true;
            readSinceRequest = false;
        }
        try {
            super.doWrite(in);
        } catch (IOException e) {
            throw stale(e);
        }
    }

    @Override
    protected int doReadBytes(ByteBuf buf) throws Exception {
        try {
            int read = super.doReadBytes(buf);
            if (read > 0) {
                readSinceRequest = true;
            }
            return read;
        } catch (IOException e) {
            throw stale(e);
        }
    }

    private IOException stale(IOException e) {
        return reused && !readSinceRequest && !(e instanceof StaleConnectionException) ? new StaleConnectionException(e) : e;
    }
}
