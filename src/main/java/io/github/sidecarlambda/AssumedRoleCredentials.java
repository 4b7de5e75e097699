package io.github.sidecarlambda;

import java.time.Clock;
import java.time.Instant;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.IoUtils;

/**
 * The temporary credentials of one tenant (role + External ID key + platform identity), shared by every endpoint of
 * the CamelContext that needs them. Caching, prefetch and single-flight refresh are the AWS SDK's
 * {@link StsAssumeRoleCredentialsProvider}; its {@code refreshRequest} supplier reads the External ID, so Parameter
 * Store and STS are called once per credential lifetime, never per message. On top of it this class adds what the
 * seed needs:
 * <ul>
 * <li>rotation: when STS denies AssumeRole the External ID is re-read, bypassing its cache, and if it changed the
 * call is retried once, so a customer can rotate without a restart;</li>
 * <li>a short fail-fast window after a confirmed denial, so a misconfigured tenant does not cost an STS call per
 * message;</li>
 * <li>{@link #invalidate(long)}: when AWS says credentials the SDK still thinks valid have expired (clock skew, early
 * revocation), the provider is replaced and the next caller assumes the role again;</li>
 * <li>typed exceptions ({@link AssumeRoleDeniedException}, {@link CredentialsUnavailableException},
 * {@link ExternalIdUnavailableException}) that never contain a secret.</li>
 * </ul>
 * Owns its STS and SSM clients, and the default credential chain when no platform provider was given; {@link #close()}
 * releases them.
 */
final class AssumedRoleCredentials implements AwsCredentialsProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AssumedRoleCredentials.class);

    /**
     * After a failure to obtain credentials, later callers fail fast with the same answer for this long, without
     * calling AWS: a misconfigured tenant (denied, parameter missing) costs one call per window, not one per message.
     */
    static final Duration FAIL_FAST = Duration.ofSeconds(2);
    /** The same for transient failures (throttling, 5xx, no answer): just long enough to collapse a burst. */
    static final Duration TRANSIENT_FAIL_FAST = Duration.ofMillis(250);
    /** Control-plane calls (SSM, STS) are short; a hung one must not hold a tenant's refresh forever. */
    static final Duration CONTROL_PLANE_TIMEOUT = Duration.ofSeconds(20);

    private final TenantKey key;
    private final Clock clock;
    private final AwsCredentialsProvider ownedBase;
    private final StsClient sts;
    private final SsmClient ssm;
    private final ExternalIdSource externalIds;

    private final Object lock = new Object();
    private volatile Generation current;
    private volatile Failure lastFailure;
    private boolean closed;

    private record Generation(long number, StsAssumeRoleCredentialsProvider provider) {
    }

    private record Failure(SidecarLambdaException error, Duration window, Instant until) {
    }

    AssumedRoleCredentials(TenantKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
        AwsCredentialsProvider base = key.baseCredentials();
        this.ownedBase = base == null ? DefaultCredentialsProvider.builder().build() : null;
        AwsCredentialsProvider platform = base != null ? base : ownedBase;

        StsClientBuilder stsBuilder = StsClient.builder()
                .region(Region.of(key.stsRegion()))
                .credentialsProvider(platform)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(CONTROL_PLANE_TIMEOUT));
        if (key.stsEndpoint() != null) {
            stsBuilder.endpointOverride(key.stsEndpoint());
        }
        this.sts = stsBuilder.build();
        SsmClientBuilder ssmBuilder = SsmClient.builder()
                .region(Region.of(key.parameterStoreRegion()))
                .credentialsProvider(platform)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(CONTROL_PLANE_TIMEOUT));
        if (key.ssmEndpoint() != null) {
            ssmBuilder.endpointOverride(key.ssmEndpoint());
        }
        this.ssm = ssmBuilder.build();
        this.externalIds = new ExternalIdSource(ssm, key.parameterName(), key.externalIdCacheTtl(), clock);
        this.current = new Generation(0, newProvider());
    }

    private StsAssumeRoleCredentialsProvider newProvider() {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(this::assumeRoleRequest)
                .staleTime(key.staleTime())
                .prefetchTime(key.prefetchTime())
                .asyncCredentialUpdateEnabled(key.asyncRefresh())
                .build();
    }

    /** Called by the SDK provider on every refresh: the natural place to read the (cached) External ID. */
    private AssumeRoleRequest assumeRoleRequest() {
        // callers queued behind a refresh that just failed get its answer instead of calling STS again
        throwIfRemembered();
        return AssumeRoleRequest.builder()
                .roleArn(key.roleArn().toString())
                .roleSessionName(key.roleSessionName())
                .durationSeconds((int) key.sessionDuration().toSeconds())
                .externalId(externalIds.get().reveal())
                .build();
    }

    @Override
    public AwsCredentials resolveCredentials() {
        throwIfRemembered();
        StsAssumeRoleCredentialsProvider provider = current.provider();
        long seenVersion = externalIds.version();
        try {
            AwsCredentials credentials = provider.resolveCredentials();
            if (lastFailure != null) {
                lastFailure = null;
            }
            return credentials;
        } catch (RuntimeException e) {
            if (isAccessDenied(e) && externalIds.reloadAfterDenial(seenVersion, clock.instant())) {
                LOG.info("AssumeRole on {} was denied and the External ID in {} has changed: retrying once",
                        key.roleArn(), key.parameterName());
                try {
                    AwsCredentials credentials = provider.resolveCredentials();
                    lastFailure = null;
                    return credentials;
                } catch (RuntimeException retry) {
                    throw remember(translate(retry));
                }
            }
            throw remember(translate(e));
        }
    }

    private SidecarLambdaException remember(SidecarLambdaException error) {
        Duration window = error.isRetryable() ? TRANSIENT_FAIL_FAST : FAIL_FAST;
        lastFailure = new Failure(error, window, clock.instant().plus(window));
        return error;
    }

    /**
     * Within the fail-fast window, throws the remembered answer: a fresh exception per caller (never one shared
     * instance), in the same words, with the original as its cause.
     */
    private void throwIfRemembered() {
        Failure failure = lastFailure;
        if (failure == null || !clock.instant().isBefore(failure.until())) {
            return;
        }
        SidecarLambdaException error = failure.error();
        String note = " (answer remembered for " + failure.window().toMillis() + " ms; AWS not called)";
        if (error instanceof AssumeRoleDeniedException denied) {
            throw new AssumeRoleDeniedException(denied.getRoleArn(), denied.getExternalIdKey(),
                    denied.getAwsMessage() + note, error);
        }
        if (error instanceof ExternalIdUnavailableException unavailable) {
            throw new ExternalIdUnavailableException(unavailable.getParameterName(), unavailable.getReason(),
                    unavailable.getMessage() + note, error);
        }
        if (error instanceof CredentialsUnavailableException unavailable) {
            throw new CredentialsUnavailableException(unavailable.getRoleArn(), unavailable.getAwsErrorCode(),
                    unavailable.isRetryable(), unavailable.getMessage() + note, error);
        }
        if (error instanceof SidecarLambdaConfigurationException config) {
            throw new SidecarLambdaConfigurationException(config.getOption(),
                    config.getMessage().substring(config.getOption().length() + 2) + note, error);
        }
        throw error;
    }

    /** The generation of the provider now in use; pass it to {@link #invalidate(long)}. */
    long generation() {
        return current.number();
    }

    /**
     * Replaces the provider if it is still the given generation: AWS rejected its credentials as expired although
     * the SDK's clock said they were valid. Concurrent callers that saw the same generation replace it only once.
     */
    void invalidate(long generation) {
        StsAssumeRoleCredentialsProvider old = null;
        synchronized (lock) {
            Generation g = current;
            if (!closed && g.number() == generation) {
                current = new Generation(generation + 1, newProvider());
                old = g.provider();
            }
        }
        if (old != null) {
            LOG.info("Credentials for {} were rejected as expired by AWS; assuming the role again", key.roleArn());
            old.close();
        }
    }

    private static boolean isAccessDenied(Throwable e) {
        return AwsErrors.cause(e, StsException.class) != null && AwsErrors.hasCode(e, "AccessDenied");
    }

    private SidecarLambdaException translate(RuntimeException e) {
        SidecarLambdaException own = AwsErrors.cause(e, SidecarLambdaException.class);
        if (own != null) {
            return own;
        }
        String role = key.roleArn().toString();
        AwsServiceException aws = AwsErrors.cause(e, AwsServiceException.class);
        if (aws != null) {
            String code = AwsErrors.code(aws);
            String awsMessage = AwsErrors.message(aws);
            if ("AccessDenied".equals(code)) {
                return new AssumeRoleDeniedException(role, key.parameterName().value(), awsMessage, e);
            }
            if ("ValidationError".equals(code) && awsMessage != null && awsMessage.contains("chaining")) {
                return new SidecarLambdaConfigurationException("sessionDuration",
                        "the platform identity is itself an assumed role, and AWS limits role chaining to 1 hour: set "
                                                                  + "sessionDuration to at most 3600 s; was "
                                                                  + key.sessionDuration().toSeconds() + " s",
                        e);
            }
            if ("ValidationError".equals(code) && awsMessage != null && awsMessage.contains("DurationSeconds")) {
                return new SidecarLambdaConfigurationException("sessionDuration",
                        "STS rejected " + key.sessionDuration().toSeconds()
                                                                  + " s: it exceeds the role's maximum session duration "
                                                                  + "(raise it on the role or lower sessionDuration). AWS said: "
                                                                  + awsMessage,
                        e);
            }
            boolean retryable = AwsErrors.isTransient(aws);
            String hint = switch (code == null ? "" : code) {
                case "RegionDisabledException" -> " (STS is not activated in region " + key.stsRegion()
                                                  + " of the customer's account; activate it or set another region)";
                case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken" ->
                    " (the platform identity's own credentials were rejected: check the default credential chain "
                                                                                        + "or baseCredentialsProvider)";
                default -> "";
            };
            return new CredentialsUnavailableException(role, code, retryable,
                    "Could not assume " + role + ": STS answered " + code + " (HTTP " + aws.statusCode() + ")" + hint
                                                                              + ": " + awsMessage,
                    e);
        }
        SdkClientException client = AwsErrors.cause(e, SdkClientException.class);
        return new CredentialsUnavailableException(role, null, true,
                "Could not assume " + role + ": no answer from STS ("
                                                                     + (client != null ? client.getMessage() : e.getClass().getSimpleName())
                                                                     + ")",
                e);
    }

    TenantKey key() {
        return key;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        current.provider().close();
        IoUtils.closeQuietly(sts, null);
        IoUtils.closeQuietly(ssm, null);
        if (ownedBase instanceof AutoCloseable closeable) {
            IoUtils.closeQuietly(closeable, null);
        }
    }

    @Override
    public String toString() {
        return "AssumedRoleCredentials(" + key + ")";
    }
}
