package io.github.sidecarlambda.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import io.github.sidecarlambda.ExternalIdUnavailableException;
import io.github.sidecarlambda.ParameterName;
import io.github.sidecarlambda.aws.AwsErrors;

/**
 * One tenant's External ID: read from its store (Parameter Store through the region's shared, batching
 * {@link ParameterStoreReader}, or Secrets Manager through {@link SecretsManagerReader}) and kept for a time to live. Only used inside the tenant's single refresh, never per
 * message, so it needs no lock of its own beyond safe publication. Failures become
 * {@link ExternalIdUnavailableException}, which never contains the value.
 */
final class ExternalIdSource {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalIdSource.class);

    /** A value and whether it came from Parameter Store during this call (rather than from the cache). */
    public record Read(ExternalId value, Instant readAt, boolean fresh) {}

    private final ExternalIdReader reader;
    private final ParameterName parameterName;
    /** The name in the store, for messages: the parameter name, or the secret name. */
    private final String name;

    private final Duration ttl;
    private final Clock clock;

    private volatile Read cached;
    private volatile boolean warnedPlainString;

    public ExternalIdSource(ExternalIdReader reader, ParameterName name, Duration ttl, Clock clock) {
        this.reader = reader;
        this.parameterName = name;
        this.name = reader.nameOf(name);
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The External ID, from the cache while it is younger than the time to live. When Parameter Store cannot be
     * read for a transient reason (throttling, no answer) the value read before is kept: it is still the best we have,
     * and a denial re-reads at once anyway.
     */
    public CompletableFuture<Read> get(long deadlineNanos) {
        Read c = cached;
        if (c != null && clock.instant().isBefore(c.readAt().plus(ttl))) {
            return CompletableFuture.completedFuture(new Read(c.value(), c.readAt(), false));
        }
        return read(deadlineNanos).exceptionallyCompose(error -> {
            ExternalIdUnavailableException e = (ExternalIdUnavailableException) AwsErrors.unwrap(error);
            Read before = cached;
            if (before != null && e.isRetryable()) {
                LOG.warn(
                        "Could not re-read External ID {} {} ({}); keeping the value read at {}",
                        reader.what(),
                        name,
                        e.getReason(),
                        before.readAt());
                return CompletableFuture.completedFuture(new Read(before.value(), before.readAt(), false));
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    /** The next {@link #get} reads Parameter Store. */
    public void forget() {
        cached = null;
    }

    /** Reads the parameter now, bypassing the cache (after STS denied the cached value). */
    public CompletableFuture<Read> read(long deadlineNanos) {
        return reader.read(parameterName.value(), deadlineNanos).handle((parameter, error) -> {
            if (error != null) {
                throw translate(AwsErrors.unwrap(error));
            }
            return accept(parameter);
        });
    }

    /**
     * The store's previous value (Secrets Manager's AWSPREVIOUS), not cached; null when the store keeps none. Tried
     * once after STS denied the current value: the customer may not trust a just-rotated value yet.
     */
    public CompletableFuture<Read> readPrevious(long deadlineNanos) {
        CompletableFuture<Parameter> previous = reader.readPrevious(parameterName.value(), deadlineNanos);
        if (previous == null) {
            return null;
        }
        return previous.handle((parameter, error) -> {
            if (error != null) {
                throw translate(AwsErrors.unwrap(error));
            }
            ExternalId value = ExternalId.ofOrNull(parameter.value());
            if (value == null) {
                throw invalid(parameter.value());
            }
            return new Read(value, clock.instant(), true);
        });
    }

    private ExternalIdUnavailableException invalid(String raw) {
        return new ExternalIdUnavailableException(
                parameterName.value(),
                ExternalIdUnavailableException.Reason.INVALID_VALUE,
                "External ID " + reader.what() + " " + name + " does not hold a valid External ID: STS requires 2-1224 "
                        + "characters of [A-Za-z0-9_+=,.@:/-]; the stored value (not shown) has "
                        + (raw == null ? 0 : raw.length()) + " characters",
                null);
    }

    private Read accept(Parameter parameter) {
        String raw = parameter.value();
        ExternalId value = ExternalId.ofOrNull(raw);
        if (value == null) {
            throw invalid(raw);
        }
        if (parameter.type() != ParameterType.SECURE_STRING && !warnedPlainString) {
            warnedPlainString = true;
            LOG.warn(
                    "External ID parameter {} is stored as {}, not SecureString: store it encrypted",
                    name,
                    parameter.typeAsString());
        }
        Read before = cached;
        if (before != null && !before.value().equals(value)) {
            LOG.info("External ID {} {} has a new value (version {})", reader.what(), name, parameter.version());
        }
        Read read = new Read(value, clock.instant(), true);
        cached = read;
        return read;
    }

    private ExternalIdUnavailableException translate(Throwable e) {
        if (e instanceof ExternalIdUnavailableException own) {
            return own;
        }
        if (reader.isNotFound(e)) {
            return new ExternalIdUnavailableException(
                    parameterName.value(),
                    ExternalIdUnavailableException.Reason.NOT_FOUND,
                    "External ID " + reader.what() + " " + name + " was not found in " + reader.service()
                            + " (check externalIdKey, parameterStoreRegion and the operator account)",
                    e);
        }
        if (e instanceof AwsServiceException aws) {
            String code = AwsErrors.code(aws);
            ExternalIdUnavailableException.Reason reason = switch (code == null ? "" : code) {
                case "AccessDeniedException" -> ExternalIdUnavailableException.Reason.ACCESS_DENIED;
                case "ThrottlingException" -> ExternalIdUnavailableException.Reason.THROTTLED;
                case "UnrecognizedClientException",
                        "InvalidSignatureException",
                        "ExpiredTokenException",
                        "IncompleteSignature",
                        "IncompleteSignatureException" -> ExternalIdUnavailableException.Reason.PLATFORM_IDENTITY;
                default ->
                    aws.statusCode() == 403
                            ? ExternalIdUnavailableException.Reason.ACCESS_DENIED
                            : AwsErrors.isTransient(aws)
                                    ? ExternalIdUnavailableException.Reason.THROTTLED
                                    : ExternalIdUnavailableException.Reason.UNAVAILABLE;
            };
            String hint = switch (reason) {
                case ACCESS_DENIED -> " (" + reader.accessHint() + ")";
                case PLATFORM_IDENTITY ->
                    " (the platform identity's own credentials were rejected: check the default "
                            + "credential chain or baseCredentialsProvider)";
                default -> "";
            };
            return new ExternalIdUnavailableException(
                    parameterName.value(),
                    reason,
                    "External ID " + reader.what() + " " + name + " could not be read: " + code + " (HTTP "
                            + aws.statusCode() + ")" + hint,
                    aws);
        }
        if (e instanceof SdkException sdk) {
            boolean noCredentials = AwsErrors.isMissingCredentials(sdk);
            return new ExternalIdUnavailableException(
                    parameterName.value(),
                    noCredentials
                            ? ExternalIdUnavailableException.Reason.PLATFORM_IDENTITY
                            : ExternalIdUnavailableException.Reason.UNAVAILABLE,
                    "External ID " + reader.what() + " " + name + " could not be read: " + sdk.getMessage(),
                    sdk);
        }
        return new ExternalIdUnavailableException(
                parameterName.value(),
                ExternalIdUnavailableException.Reason.UNAVAILABLE,
                "External ID " + reader.what() + " " + name + " could not be read: " + e,
                e);
    }

    @Override
    public String toString() {
        return "ExternalIdSource(" + name + ")";
    }
}
