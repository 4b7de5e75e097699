package io.github.sidecarlambda.credentials;

import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * An External ID read from Parameter Store. It is a secret: {@link #toString()} masks it and no message ever includes
 * it. Validated against STS's rule: 2-1224 characters of {@code [\w+=,.@:/-]}.
 */
public final class ExternalId {

    private static final Pattern VALID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    private final String value;

    private ExternalId(String value) {
        this.value = value;
    }

    /** Whether STS would accept this value as an External ID (2-1224 characters of {@code [\w+=,.@:/-]}). */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** Returns the External ID, or null if the value breaks STS's rule (the caller reports it without the value). */
    public static ExternalId ofOrNull(String value) {
        return value != null && VALID.matcher(value).matches() ? new ExternalId(value) : null;
    }

    /** The secret itself, only for the {@code AssumeRole} request. */
    String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        // constant-time, since this compares secrets
        return o instanceof ExternalId other && MessageDigest.isEqual(value.getBytes(), other.value.getBytes());
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "ExternalId(****)";
    }
}
