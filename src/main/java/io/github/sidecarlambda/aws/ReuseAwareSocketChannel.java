package io.github.sidecarlambda.aws;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.nio.NioSocketChannel;
import software.amazon.awssdk.http.nio.netty.internal.ChannelAttributeKey;
import software.amazon.awssdk.http.nio.netty.internal.ChannelDiagnostics;

/**
 * The Lambda clients' socket channel: Netty's NIO channel, which raises {@link StaleConnectionException} instead of
 * a plain end of stream, reset or failed write when all of this holds, the signature of a keep-alive connection the
 * server closed as the request was written onto it, and so never read:
 * <ul>
 * <li>the connection is reused at the HTTP level: the SDK's own count of requests and answer heads on it
 * ({@code ChannelDiagnostics}, the numbers its "closed during the request" message prints) says the request now on it is
 * not its first, and every earlier request got its answer head;</li>
 * <li>no answer head to this request has arrived;</li>
 * <li>the failure comes within {@link #STALE_WINDOW_NANOS} of the last bytes written: a connection the server had
 * closed fails within a round trip; a request that the server read and is running fails later, or not at all.</li>
 * </ul>
 * Counting at the HTTP level, not in socket bytes, keeps TLS handshakes and proxy replies from counting as answers.
 * Everything else is Netty's, unchanged. The fields are used on the channel's event loop only.
 */
final class ReuseAwareSocketChannel extends NioSocketChannel {

    /** How soon after the request was written a failure can be a connection closed before it was read: 250 ms. */
    static final long STALE_WINDOW_NANOS = 250_000_000L;

    private static final Pattern COUNTS = Pattern.compile("requestCount=(\\d+), responseCount=(\\d+)");

    private long lastWriteNanos;

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        lastWriteNanos = System.nanoTime();
        try {
            super.doWrite(in);
        } catch (IOException e) {
            throw stale(e);
        }
    }

    @Override
    protected int doReadBytes(ByteBuf buf) throws Exception {
        int read;
        try {
            read = super.doReadBytes(buf);
        } catch (IOException e) {
            throw stale(e);
        }
        if (read < 0 && isStale()) {
            throw new StaleConnectionException(new IOException("Connection closed by the server"));
        }
        return read;
    }

    private IOException stale(IOException e) {
        return !(e instanceof StaleConnectionException) && isStale() ? new StaleConnectionException(e) : e;
    }

    /** Only on a failure: reads the SDK's counts (from the text it prints; ChannelDiagnostics has no getter for both). */
    private boolean isStale() {
        if (System.nanoTime() - lastWriteNanos > STALE_WINDOW_NANOS) {
            return false;
        }
        ChannelDiagnostics diagnostics =
                attr(ChannelAttributeKey.CHANNEL_DIAGNOSTICS).get();
        if (diagnostics == null) {
            return false;
        }
        Matcher m = COUNTS.matcher(diagnostics.toString());
        if (!m.find()) {
            return false;
        }
        long requests = Long.parseLong(m.group(1));
        long answers = Long.parseLong(m.group(2));
        return requests >= 2 && answers == requests - 1;
    }
}
