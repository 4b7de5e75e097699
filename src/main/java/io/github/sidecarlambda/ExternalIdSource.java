package io.github.sidecarlambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Reads a customer's External ID from Parameter Store ({@code GetParameter} with decryption) and keeps it for a time
 * to live. Only called when credentials are (re)fetched, never per message. Thread-safe; reads are single-flight.
 */
final class ExternalIdSource {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalIdSource.class);

    private final SsmClient ssm;
    private final ParameterName name;
    private final Duration ttl;
    private final Clock clock;

    private ExternalId cached;
    private Instant readAt;
    private volatile long version; // read on every invoke's credential lookup: no lock
    private boolean warnedPlainString;

    ExternalIdSource(SsmClient ssm, ParameterName name, Duration ttl, Clock clock) {
        this.ssm = ssm;
        this.name = name;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The External ID, from the cache while it is younger than the time to live. */
    synchronized ExternalId get() {
        if (cached != null && clock.instant().isBefore(readAt.plus(ttl))) {
            return cached;
        }
        try {
            return read();
        } catch (ExternalIdUnavailableException e) {
            if (cached != null && e.isRetryable()) {
                // Parameter Store is throttling or down: the value read before is still the best we have. The next
                // refresh reads again; a denial would re-read at once anyway.
                LOG.warn("Could not re-read External ID parameter {} ({}); keeping the value read at {}", name,
                        e.getReason(), readAt);
                return cached;
            }
            throw e;
        }
    }

    /** Increases each time a read returns a value different from the one cached before. */
    long version() {
        return version;
    }

    /**
     * Called after STS denied AssumeRole: re-reads the parameter, bypassing the cache, unless another caller already
     * did since {@code seenVersion} or since this caller was denied.
     *
     * @return whether the External ID now differs from the one the caller used, so one retry is worth it
     */
    synchronized boolean reloadAfterDenial(long seenVersion, Instant deniedAt) {
        if (version != seenVersion) {
            return true;
        }
        if (readAt != null && readAt.isAfter(deniedAt)) {
            return false; // another caller re-read it after this one was denied, and found the same value
        }
        read();
        return version != seenVersion;
    }

    private ExternalId read() {
        GetParameterResponse response;
        try {
            response = ssm.getParameter(r -> r.name(name.value()).withDecryption(true));
        } catch (ParameterNotFoundException e) {
            throw new ExternalIdUnavailableException(name.value(), ExternalIdUnavailableException.Reason.NOT_FOUND,
                    "External ID parameter " + name + " was not found in Parameter Store (check externalIdKey, "
                                                                                                    + "parameterStoreRegion and the operator account)",
                    e);
        } catch (SsmException e) {
            String code = AwsErrors.code(e);
            ExternalIdUnavailableException.Reason reason = switch (code == null ? "" : code) {
                case "AccessDeniedException" -> ExternalIdUnavailableException.Reason.ACCESS_DENIED;
                case "ThrottlingException" -> ExternalIdUnavailableException.Reason.THROTTLED;
                case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
                        "IncompleteSignature" -> ExternalIdUnavailableException.Reason.PLATFORM_IDENTITY;
                default -> e.statusCode() == 403 ? ExternalIdUnavailableException.Reason.ACCESS_DENIED
                        : ExternalIdUnavailableException.Reason.UNAVAILABLE;
            };
            String hint = switch (reason) {
                case ACCESS_DENIED -> " (the platform identity needs ssm:GetParameter on the parameter, and kms:Decrypt on its key)";
                case PLATFORM_IDENTITY -> " (the platform identity's own credentials were rejected: check the default "
                                          + "credential chain or baseCredentialsProvider)";
                default -> "";
            };
            throw new ExternalIdUnavailableException(name.value(), reason,
                    "External ID parameter " + name + " could not be read: " + code + " (HTTP " + e.statusCode() + ")"
                                                                           + hint,
                    e);
        } catch (SdkException e) {
            // no response: either no platform credentials at all, or no answer from Parameter Store
            boolean noCredentials = e.getMessage() != null && e.getMessage().contains("credentials");
            throw new ExternalIdUnavailableException(name.value(),
                    noCredentials ? ExternalIdUnavailableException.Reason.PLATFORM_IDENTITY
                            : ExternalIdUnavailableException.Reason.UNAVAILABLE,
                    "External ID parameter " + name + " could not be read: " + e.getMessage(), e);
        }
        String raw = response.parameter().value();
        ExternalId value = ExternalId.ofOrNull(raw);
        if (value == null) {
            throw new ExternalIdUnavailableException(name.value(), ExternalIdUnavailableException.Reason.INVALID_VALUE,
                    "External ID parameter " + name + " does not hold a valid External ID: STS requires 2-1224 "
                                                                                                        + "characters of [A-Za-z0-9_+=,.@:/-]; the stored value (not shown) has "
                                                                                                        + (raw == null ? 0 : raw.length()) + " characters",
                    null);
        }
        if (response.parameter().type() != ParameterType.SECURE_STRING && !warnedPlainString) {
            warnedPlainString = true;
            LOG.warn("External ID parameter {} is stored as {}, not SecureString: store it encrypted", name,
                    response.parameter().typeAsString());
        }
        if (cached != null && !cached.equals(value)) {
            version++;
            LOG.info("External ID parameter {} has a new value (version {})", name, response.parameter().version());
        }
        cached = value;
        readAt = clock.instant();
        return value;
    }

    @Override
    public String toString() {
        return "ExternalIdSource(" + name + ")";
    }
}
