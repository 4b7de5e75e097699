package io.github.sidecarlambda.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import io.github.sidecarlambda.AssumeRoleDeniedException;
import io.github.sidecarlambda.CredentialsUnavailableException;
import io.github.sidecarlambda.ExternalIdUnavailableException;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.SidecarLambdaException;
import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.metrics.SidecarLambdaMetrics;

/**
 * One tenant's assumed-role credentials and their refresh. Pure data plus one in-flight future: no thread, socket or
 * client of its own (the STS client and the Parameter Store reader are the component's, shared).
 * <ul>
 * <li><b>Single flight, whatever STS does.</b> At most one refresh runs per tenant; every caller that needs it joins
 * the same future, however long STS or Parameter Store take (bounded by a deadline). No caller thread waits: a cold
 * tenant's exchanges continue as callbacks when the refresh completes.</li>
 * <li><b>Refresh ahead, serve while it runs.</b> From {@code prefetchTime} before expiry (with jitter) the first caller
 * starts a refresh in the background and keeps using the current credentials; so do all others.</li>
 * <li><b>Stale if error.</b> If a refresh fails, the current credentials keep serving until {@code staleTime} before
 * they really expire; only then do exchanges fail.</li>
 * <li><b>Failure remembered once, as itself.</b> A failed refresh is remembered for a short window (2 s, 250 ms if
 * transient): callers in it get a copy of that answer without any AWS call; the window is never re-armed by them.</li>
 * <li><b>Rotation.</b> When STS denies a cached External ID, the parameter is re-read once (not if it was just read)
 * and, if it changed, the role assumed again with the new value.</li>
 * <li><b>Transient failures</b> (throttling, 5xx, no answer) are retried with jittered back-off inside the refresh
 * while its deadline allows, never surfaced to a route before.</li>
 * </ul>
 */
public final class TenantCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(TenantCredentials.class);

    /** After a failure, callers get the same answer for this long without an AWS call (a misconfigured tenant). */
    static final Duration FAIL_FAST = Duration.ofSeconds(2);
    /** The same for transient failures: just long enough to collapse a burst. */
    public static final Duration TRANSIENT_FAIL_FAST = Duration.ofMillis(250);

    static final long BACKOFF_BASE_MILLIS = 100;
    static final long BACKOFF_CAP_MILLIS = 2_000;

    /**
     * A set of credentials, the future that hands them out (shared, already complete) and the request override that
     * carries them on each Invoke, both made once per refresh rather than once per message.
     */
    public record Generation(
            long number,
            AwsSessionCredentials credentials,
            long prefetchAtMillis,
            long unusableAtMillis,
            AwsRequestOverrideConfiguration override,
            CompletableFuture<Generation> future) {
        public Instant expiration() {
            return credentials.expirationTime().orElse(null);
        }

        @Override
        public String toString() {
            return "Generation(" + number + ", expires " + expiration() + ")"; // never the keys or token
        }
    }

    private record Failure(SidecarLambdaException error, Duration window, long untilMillis) {}

    private final TenantKey key;
    private final Clock clock;
    private final StsAsyncClient sts;
    private final ExternalIdSource externalIds;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;

    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Generation>> refreshing = new AtomicReference<>();
    private final AtomicLong generations = new AtomicLong();
    private volatile Failure failure;
    private volatile Instant lastRefresh;
    private volatile String lastFailureCode;
    // what the running refresh (at most one at a time) waits for: STS once AssumeRole is sent, else the External ID
    private volatile boolean assuming;

    private final SidecarLambdaMetrics metrics;

    public TenantCredentials(
            TenantKey key,
            Clock clock,
            StsAsyncClient sts,
            ExternalIdSource externalIds,
            ScheduledExecutorService scheduler,
            Duration timeout,
            SidecarLambdaMetrics metrics) {
        this.metrics = metrics;
        this.key = key;
        this.clock = clock;
        this.sts = sts;
        this.externalIds = externalIds;
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /**
     * Credentials for one exchange. While they are fresh this is one clock read and a field read, returning a future
     * that is already complete. Otherwise the caller joins (or starts) the tenant's one refresh.
     */
    public CompletableFuture<Generation> credentials() {
        long now = clock.millis();
        Generation g = current.get();
        if (g != null && now < g.prefetchAtMillis()) {
            metrics.credentialsCached();
            return g.future();
        }
        Failure f = failure;
        boolean remembered = f != null && now < f.untilMillis();
        if (g != null && now < g.unusableAtMillis()) {
            if (!remembered) {
                refresh(); // in the background: this caller and all others keep the current credentials meanwhile
            }
            metrics.credentialsCached();
            return g.future();
        }
        if (remembered) {
            metrics.failFast();
            return CompletableFuture.failedFuture(
                    f.error().replay(" (answer remembered for " + f.window().toMillis() + " ms; AWS not called)"));
        }
        // each caller gets its own exception instance: exchanges must not share (and mutate) one
        return refresh().exceptionallyCompose(e -> CompletableFuture.failedFuture(copy(AwsErrors.unwrap(e))));
    }

    /**
     * AWS rejected these credentials as expired although our clock said they were valid (clock skew, revoked
     * session): forget them, so the next caller assumes the role again. Concurrent callers that used the same
     * generation drop it only once.
     */
    public void invalidate(Generation used) {
        if (current.compareAndSet(used, null)) {
            LOG.info("Credentials for {} were rejected as expired by AWS; assuming the role again", key.roleArn());
        }
    }

    /** Forget the current credentials (JMX): the next exchange assumes the role again. */
    public void invalidateAll() {
        Generation g = current.get();
        if (g != null) {
            invalidate(g);
        }
        failure = null;
    }

    /** Forget the cached External ID and the credentials (JMX, after a rotation): the next exchange reads and assumes. */
    public void reloadExternalId() {
        externalIds.forget();
        invalidateAll();
    }

    /** Names, times and the last failure's code: what an operator may see (JMX, dev console). Never a secret. */
    public String describe() {
        Generation g = current.get();
        Failure f = failure;
        return key.roleArn() + " " + key.parameterName() + " expires=" + (g == null ? "none" : g.expiration())
                + " refreshed=" + (lastRefresh == null ? "never" : lastRefresh)
                + " lastFailure=" + (lastFailureCode == null ? "none" : lastFailureCode)
                + (f != null && clock.millis() < f.untilMillis() ? " (remembered)" : "");
    }

    /** The credentials in use now, if any (no AWS call). */
    /** When the current credentials expire; null when there are none. */
    public Instant expiration() {
        Generation g = current();
        return g == null ? null : g.expiration();
    }

    public Generation current() {
        return current.get();
    }

    private CompletableFuture<Generation> refresh() {
        for (; ; ) {
            CompletableFuture<Generation> running = refreshing.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Generation> mine = new CompletableFuture<>();
            if (refreshing.compareAndSet(null, mine)) {
                start(mine);
                return mine;
            }
        }
    }

    private void start(CompletableFuture<Generation> mine) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Generation> attempt;
        try {
            attempt = fetch(deadline);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        // the deadline is a promise to the waiting exchanges: whatever is still queued or in flight, they get their
        // answer when it passes (a read queued behind others, or a call the SDK has not timed out yet)
        CompletableFuture<Generation> bounded = attempt;
        ScheduledFuture<?> timer = bounded.isDone()
                ? null
                : scheduler.schedule(
                        () -> bounded.completeExceptionally(deadlinePassed()),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        attempt.whenComplete((generation, error) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (error == null) {
                metrics.credentialsRefreshed(key.roleArn());
                lastRefresh = clock.instant();
                current.set(generation);
                failure = null;
                refreshing.set(null);
                mine.complete(generation);
                return;
            }
            SidecarLambdaException translated = translate(AwsErrors.unwrap(error));
            lastFailureCode = AwsErrors.codeOrType(translated.getCause() != null ? translated.getCause() : translated);
            metrics.credentialsFailed(key.roleArn(), lastFailureCode);
            Duration window = translated.isRetryable() ? TRANSIENT_FAIL_FAST : FAIL_FAST;
            failure = new Failure(translated, window, clock.millis() + window.toMillis());
            Generation g = current.get();
            if (g != null && clock.millis() < g.unusableAtMillis()) {
                LOG.warn(
                        "Refreshing the credentials of {} failed ({}); the current ones stay in use until {}",
                        key.roleArn(),
                        translated.getClass().getSimpleName(),
                        Instant.ofEpochMilli(g.unusableAtMillis()));
            }
            refreshing.set(null);
            mine.completeExceptionally(translated);
        });
    }

    /**
     * The refresh deadline passed: says which call it was waiting for (the External ID read or STS), so an operator
     * looks at the right service.
     */
    private SidecarLambdaException deadlinePassed() {
        String role = key.roleArn().toString();
        String waitingFor = assuming
                ? "STS had not answered AssumeRole"
                : "the External ID read of " + key.parameterName().value() + " had not finished";
        String message = "no credentials within " + timeout.toMillis() + " ms (credentialsRefreshTimeout)";
        return new CredentialsUnavailableException(
                role,
                null,
                true,
                "Could not assume " + role + ": " + message + ": " + waitingFor,
                SdkClientException.create(message));
    }

    private CompletableFuture<Generation> fetch(long deadline) {
        assuming = false;
        return externalIds
                .get(deadline)
                .thenCompose(read -> assume(read.value(), deadline, 0).exceptionallyCompose(error -> {
                    if (!isAccessDenied(error)) {
                        return CompletableFuture.failedFuture(error);
                    }
                    if (read.fresh()) {
                        return previous(read.value(), error, deadline);
                    }
                    // denied with a cached value: the customer may have rotated it; read it again, once
                    assuming = false;
                    return externalIds
                            .read(deadline)
                            .handle((again, rereadError) -> {
                                if (rereadError != null) {
                                    return CompletableFuture.<Generation>failedFuture(
                                            deniedAfterFailedReread(error, AwsErrors.unwrap(rereadError)));
                                }
                                if (again.value().equals(read.value())) {
                                    return previous(read.value(), error, deadline);
                                }
                                LOG.info(
                                        "AssumeRole on {} was denied and the External ID in {} has changed: retrying once",
                                        key.roleArn(),
                                        key.parameterName());
                                return assume(again.value(), deadline, 0)
                                        .exceptionallyCompose(e -> isAccessDenied(e)
                                                ? previous(again.value(), e, deadline)
                                                : CompletableFuture.failedFuture(e));
                            })
                            .thenCompose(f -> f);
                }));
    }

    /**
     * STS denied the current External ID: with a store that keeps the previous value (Secrets Manager's AWSPREVIOUS),
     * the customer may not trust a just-rotated value yet, so the previous one is tried once; otherwise the denial
     * stands.
     */
    private CompletableFuture<Generation> previous(ExternalId denied, Throwable denial, long deadline) {
        assuming = false;
        CompletableFuture<ExternalIdSource.Read> previous = externalIds.readPrevious(deadline);
        if (previous == null) {
            return CompletableFuture.failedFuture(denial);
        }
        return previous.handle((read, error) -> {
                    if (error != null || read.value().equals(denied)) {
                        return CompletableFuture.<Generation>failedFuture(denial);
                    }
                    LOG.info(
                            "AssumeRole on {} was denied with the current External ID of {}: trying the previous one (AWSPREVIOUS)",
                            key.roleArn(),
                            key.parameterName());
                    return assume(read.value(), deadline, 0);
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<Generation> assume(ExternalId externalId, long deadline, int attempt) {
        assuming = true;
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMillis <= 0) {
            return CompletableFuture.failedFuture(
                    SdkClientException.create("STS did not answer within " + timeout.toMillis() + " ms"));
        }
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(key.roleArn().toString())
                .roleSessionName(key.roleSessionName())
                .durationSeconds((int) key.sessionDuration().toSeconds())
                .externalId(externalId.reveal())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(remainingMillis)))
                .build();
        CompletableFuture<AssumeRoleResponse> call;
        long started = System.nanoTime();
        try {
            call = sts.assumeRole(request);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call = call.whenComplete((r, e) -> metrics.awsCall(
                "sts", "AssumeRole", e == null ? "ok" : AwsErrors.codeOrType(e), System.nanoTime() - started));
        return call.thenApply(this::generation).exceptionallyCompose(error -> {
            long delay = AwsErrors.backoffMillis(attempt, BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
            if (AwsErrors.isTransient(error) && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadline) {
                LOG.debug(
                        "AssumeRole on {} failed transiently (attempt {}); retrying in {} ms",
                        key.roleArn(),
                        attempt + 1,
                        delay);
                return later(delay, () -> assume(externalId, deadline, attempt + 1));
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    private <T> CompletableFuture<T> later(long delayMillis, Supplier<CompletableFuture<T>> next) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.schedule(
                () -> next.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                }),
                delayMillis,
                TimeUnit.MILLISECONDS);
        return result;
    }

    private Generation generation(AssumeRoleResponse response) {
        Credentials c = response.credentials();
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                .accessKeyId(c.accessKeyId())
                .secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken())
                .expirationTime(c.expiration())
                .build();
        long now = clock.millis();
        long expires = c.expiration().toEpochMilli();
        long prefetch = key.prefetchTime().toMillis();
        // jitter spreads the refreshes of tenants that were assumed together (a cold start of thousands)
        long prefetchAt = expires - prefetch - ThreadLocalRandom.current().nextLong(prefetch / 4 + 1);
        prefetchAt = Math.max(prefetchAt, now + (expires - now) / 2);
        long unusableAt = expires - key.staleTime().toMillis();
        AwsRequestOverrideConfiguration override = AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .build();
        CompletableFuture<Generation> future = new CompletableFuture<>();
        Generation g =
                new Generation(generations.incrementAndGet(), credentials, prefetchAt, unusableAt, override, future);
        future.complete(g);
        return g;
    }

    private static boolean isAccessDenied(Throwable e) {
        return AwsErrors.cause(e, StsException.class) != null && AwsErrors.hasCode(e, "AccessDenied");
    }

    private static SidecarLambdaException copy(Throwable e) {
        if (e instanceof SidecarLambdaException own) {
            return own.replay("");
        }
        return new CredentialsUnavailableException(null, null, false, String.valueOf(e), e);
    }

    private SidecarLambdaException deniedAfterFailedReread(Throwable denial, Throwable reread) {
        AwsServiceException aws = AwsErrors.cause(denial, AwsServiceException.class);
        String why = reread instanceof ExternalIdUnavailableException u
                ? u.getReason().toString()
                : reread.toString();
        return new AssumeRoleDeniedException(
                key.roleArn().toString(),
                key.parameterName().value(),
                (aws != null ? AwsErrors.message(aws) : String.valueOf(denial))
                        + " (re-reading the External ID after the denial failed: " + why + ")",
                aws != null ? aws : denial);
    }

    private SidecarLambdaException translate(Throwable e) {
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
                return new AssumeRoleDeniedException(role, key.parameterName().value(), awsMessage, aws);
            }
            if ("ValidationError".equals(code) && awsMessage != null && awsMessage.contains("chaining")) {
                return new SidecarLambdaConfigurationException(
                        "sessionDuration",
                        "the platform identity is itself an assumed role, and AWS limits role chaining to 1 hour: set "
                                + "sessionDuration to at most 3600 s; was "
                                + key.sessionDuration().toSeconds() + " s",
                        aws);
            }
            if ("ValidationError".equals(code) && awsMessage != null && awsMessage.contains("DurationSeconds")) {
                return new SidecarLambdaConfigurationException(
                        "sessionDuration",
                        "STS rejected " + key.sessionDuration().toSeconds()
                                + " s: it exceeds the role's maximum session duration "
                                + "(raise it on the role or lower sessionDuration). AWS said: " + awsMessage,
                        aws);
            }
            boolean retryable = AwsErrors.isTransient(aws);
            String hint = switch (code == null ? "" : code) {
                case "RegionDisabledException" ->
                    " (STS is not activated in region " + key.stsRegion()
                            + " of the customer's account; activate it or set another region)";
                case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken" ->
                    " (the platform identity's own credentials were rejected: check the default credential chain "
                            + "or baseCredentialsProvider)";
                default -> "";
            };
            return new CredentialsUnavailableException(
                    role,
                    code,
                    retryable,
                    "Could not assume " + role + ": STS answered " + code + " (HTTP " + aws.statusCode() + ")" + hint
                            + ": " + awsMessage,
                    aws);
        }
        boolean noCredentials = AwsErrors.isMissingCredentials(e);
        return new CredentialsUnavailableException(
                role,
                null,
                !noCredentials,
                "Could not assume " + role + ": "
                        + (noCredentials
                                ? "the platform identity has no credentials (default credential chain or baseCredentialsProvider): "
                                : "no answer from STS (")
                        + e.getMessage() + (noCredentials ? "" : ")"),
                e);
    }

    public TenantKey key() {
        return key;
    }

    @Override
    public String toString() {
        return "TenantCredentials(" + key + ")";
    }
}
