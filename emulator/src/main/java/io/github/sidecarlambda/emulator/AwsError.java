package io.github.sidecarlambda.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An AWS error to be rendered in the protocol shape of the service that raised it. */
final class AwsError extends RuntimeException {
    final int status;
    final String code;
    final boolean sender;
    final Map<String, String> extra = new LinkedHashMap<>();

    AwsError(int status, String code, String message) {
        this(status, code, message, status < 500);
    }

    AwsError(int status, String code, String message, boolean sender) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.sender = sender;
    }

    AwsError with(String field, String value) {
        extra.put(field, value);
        return this;
    }
}
