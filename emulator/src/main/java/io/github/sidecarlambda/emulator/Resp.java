package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to send, plus optional work to run after it has been sent. */
final class Resp {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    String errorCode;
    Runnable after;

    Resp(int status, String contentType, byte[] body) {
        this.status = status;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        this.body = body == null ? new byte[0] : body;
    }

    static Resp json(int status, String contentType, String body) {
        return new Resp(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    Resp header(String k, String v) {
        headers.put(k, v);
        return this;
    }
}
