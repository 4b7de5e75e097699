package io.github.sidecarlambda.invoke;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

import io.github.sidecarlambda.SidecarLambdaConstants;

/** Byte and text forms of message bodies, shared by the plain producer and the sidecar mode. */
public final class Bodies {

    private Bodies() {}

    /**
     * The bytes of a body that has an obvious byte form: null as empty, byte[] as is, text as UTF-8 (never the platform
     * charset), a ByteBuffer's remaining bytes (the buffer untouched); null for anything else (streams, objects).
     */
    public static byte[] direct(Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return null;
    }

    /**
     * Reads a stream body up to {@code max} bytes and leaves a body that has every byte: the bytes when the stream
     * ended within {@code max} (the stream is closed), else the read bytes in front of the unread rest. Camel's own
     * redelivery restores the message from a copy taken before the first attempt, so with stream caching off the body
     * is then the very stream already read: what was read from it is kept on the exchange (exchange property
     * {@link SidecarLambdaConstants#READ_STREAM}) and comes first again, so a redelivery sends the whole body, never the
     * empty or truncated rest.
     */
    public static byte[] readStream(Exchange exchange, InputStream stream, int max) throws IOException {
        InputStream source = stream;
        if (exchange.getProperty(SidecarLambdaConstants.READ_STREAM) instanceof ReadStream read
                && read.stream == stream) {
            if (read.whole) {
                exchange.getMessage().setBody(read.bytes);
                return read.bytes;
            }
            source = new SequenceInputStream(new ByteArrayInputStream(read.bytes), stream);
        }
        byte[] bytes = source.readNBytes(max);
        boolean whole = bytes.length < max;
        exchange.setProperty(SidecarLambdaConstants.READ_STREAM, new ReadStream(stream, bytes, whole));
        if (whole) {
            source.close();
            exchange.getMessage().setBody(bytes);
        } else {
            exchange.getMessage().setBody(new SequenceInputStream(new ByteArrayInputStream(bytes), source));
        }
        return bytes;
    }

    /** A stream body read (the very object), the bytes read from it, whether that was all. Its text shows no payload. */
    private static final class ReadStream {
        private final InputStream stream;
        private final byte[] bytes;
        private final boolean whole;

        private ReadStream(InputStream stream, byte[] bytes, boolean whole) {
            this.stream = stream;
            this.bytes = bytes;
            this.whole = whole;
        }

        @Override
        public String toString() {
            return "stream body read by sidecar-lambda (" + bytes.length
                    + (whole ? " bytes, whole)" : " bytes, more unread)");
        }
    }

    /** The bytes as text when they are valid UTF-8 (JSON always is), else null: never a corrupted string. */
    public static String utf8OrNull(byte[] bytes) {
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII: every byte one char, no decoder needed
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
