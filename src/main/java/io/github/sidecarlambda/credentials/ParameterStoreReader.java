package io.github.sidecarlambda.credentials;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.metrics.SidecarLambdaMetrics;

/**
 * Reads SecureString parameters (with decryption) for every tenant of one Parameter Store region, without blocking a
 * thread: reads that arrive while others are in flight are coalesced into {@code GetParameters} calls of up to ten
 * names (a lone read is a plain {@code GetParameter}), at most a few calls at a time, and throttling or a server
 * error is retried with jittered exponential back-off until each read's deadline. So ten thousand tenants starting
 * at once cost about a thousand calls, which Parameter Store's default 40 TPS serves in under 30 s. If the platform
 * identity may call {@code GetParameter} but not {@code GetParameters}, the reader notices the denial and reads one
 * name per call from then on.
 */
final class ParameterStoreReader implements ExternalIdReader, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParameterStoreReader.class);

    /** The most names GetParameters takes. */
    static final int MAX_NAMES = 10;

    public static final int DEFAULT_BATCHES_IN_FLIGHT = 8;
    static final long BACKOFF_BASE_MILLIS = 50;
    static final long BACKOFF_CAP_MILLIS = 1_000;

    private record Pending(String name, long deadlineNanos, CompletableFuture<Parameter> result) {}

    private final SsmAsyncClient ssm;
    private final ScheduledExecutorService scheduler;
    private final int maxInFlight;
    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean batchDenied;

    private final SidecarLambdaMetrics metrics;

    public ParameterStoreReader(
            SsmAsyncClient ssm, ScheduledExecutorService scheduler, int maxInFlight, SidecarLambdaMetrics metrics) {
        this.metrics = metrics;
        this.ssm = ssm;
        this.scheduler = scheduler;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Reads one parameter, decrypted. Completes with the parameter, or exceptionally with the SDK's exception
     * ({@link ParameterNotFoundException} for a name that does not exist).
     */
    @Override
    public CompletableFuture<Parameter> read(String name, long deadlineNanos) {
        Pending pending = new Pending(name, deadlineNanos, new CompletableFuture<>());
        queue.add(pending);
        drain();
        return pending.result();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int n = inFlight.get();
            if (n >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            List<Pending> batch = take(batchDenied ? 1 : MAX_NAMES);
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch, 0);
        }
    }

    private List<Pending> take(int maxNames) {
        List<Pending> batch = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        long now = System.nanoTime();
        for (Pending p; (p = queue.poll()) != null; ) {
            if (now - p.deadlineNanos() >= 0) {
                // its refresh has given up waiting: do not spend a call (and quota) on it
                p.result()
                        .completeExceptionally(SdkClientException.create("Parameter Store read of " + p.name()
                                + " not sent before its deadline (credentialsRefreshTimeout)"));
                continue;
            }
            if (!names.contains(p.name()) && names.size() == maxNames) {
                queue.addFirst(p);
                break;
            }
            names.add(p.name());
            batch.add(p);
        }
        return batch;
    }

    private void send(List<Pending> batch, int attempt) {
        List<String> names = batch.stream().map(Pending::name).distinct().toList();
        long started = System.nanoTime();
        String operation = names.size() == 1 ? "GetParameter" : "GetParameters";
        CompletableFuture<Map<String, Parameter>> call;
        try {
            if (names.size() == 1) {
                call = ssm.getParameter(r -> r.name(names.get(0)).withDecryption(true))
                        .thenApply(r -> Map.of(names.get(0), r.parameter()));
            } else {
                call = ssm.getParameters(r -> r.names(names).withDecryption(true))
                        .thenApply(this::byName);
            }
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((found, error) -> {
            metrics.awsCall(
                    "ssm", operation, error == null ? "ok" : AwsErrors.codeOrType(error), System.nanoTime() - started);
            if (error == null) {
                for (Pending p : batch) {
                    Parameter parameter = found.get(p.name());
                    if (parameter != null) {
                        p.result().complete(parameter);
                    } else {
                        p.result()
                                .completeExceptionally(ParameterNotFoundException.builder()
                                        .message("Parameter " + p.name() + " not found.")
                                        .build());
                    }
                }
                finished();
                return;
            }
            long delay = AwsErrors.backoffMillis(attempt, BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
            long deadline =
                    batch.stream().mapToLong(Pending::deadlineNanos).min().orElse(0);
            if (AwsErrors.isTransient(error) && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadline) {
                LOG.debug(
                        "Parameter Store call for {} name(s) failed transiently (attempt {}); retrying in {} ms",
                        names.size(),
                        attempt + 1,
                        delay);
                scheduler.schedule(() -> send(batch, attempt + 1), delay, TimeUnit.MILLISECONDS);
                return;
            }
            if (names.size() > 1 && AwsErrors.hasCode(error, "AccessDeniedException")) {
                // GetParameters needs every name allowed (and ssm:GetParameters); read them one by one instead
                if (!batchDenied) {
                    batchDenied = true;
                    LOG.info(
                            "Parameter Store denied GetParameters for {} names; reading External IDs one per "
                                    + "GetParameter call from now on",
                            names.size());
                }
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i));
                }
                finished();
                return;
            }
            for (Pending p : batch) {
                p.result().completeExceptionally(error);
            }
            finished();
        });
    }

    private Map<String, Parameter> byName(GetParametersResponse response) {
        Map<String, Parameter> map = new HashMap<>();
        for (Parameter p : response.parameters()) {
            map.put(p.name(), p);
        }
        return map;
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }

    @Override
    public void close() {
        // the SSM client is shared and closed by its owner (SharedAwsClients); the queued reads end here
        for (Pending p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new IllegalStateException("sidecar-lambda component stopped"));
        }
    }
}
