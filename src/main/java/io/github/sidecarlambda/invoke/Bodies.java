package io.github.sidecarlambda.invoke;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
