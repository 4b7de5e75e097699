package io.github.sidecarlambda.aws;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.nio.NioEventLoopGroup;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.utils.IoUtils;
import software.amazon.awssdk.utils.ThreadFactoryBuilder;

import io.github.sidecarlambda.metrics.SidecarLambdaMetrics;

/**
 * The AWS machinery of one component, shared by all its endpoints and tenants, so that the cost of a tenant is data,
 * never threads or sockets: one set of Netty event loops, one scheduler and one completion executor (both from Camel's
 * {@link ExecutorServiceManager}, so they are named, counted and stopped with the context), one Lambda client per
 * Lambda region and HTTP settings (the tenant's credentials travel with each request), one STS client per STS region,
 * one Parameter Store reader per Parameter Store region, and one default platform identity. Closed when the component
 * stops: whoever creates a thing closes it, and only that.
 */
public final class SharedAwsClients implements AutoCloseable {

    /** Lambda clients are keyed by what changes the HTTP client or the endpoint; never by tenant. */
    public record LambdaClientKey(
            String region, URI endpoint, int maxConcurrency, Duration apiCallTimeout, int maxRetries) {}

    /** STS and SSM clients: by region, endpoint and platform identity (a handful per application). */
    public record ControlPlaneKey(String region, URI endpoint, AwsCredentialsProvider platform) {}

    private static final class Shared<T> {
        final T client;
        final SdkAsyncHttpClient http;
        int users;
        /** Lambda only: the same client on connections used once (see {@link #newConnectionLambda}); created on need. */
        T onNewConnections;

        SdkAsyncHttpClient onNewConnectionsHttp;

        public Shared(T client, SdkAsyncHttpClient http) {
            this.client = client;
            this.http = http;
        }
    }

    /** Every Lambda request carries its tenant's credentials; one without them must fail, never go unsigned. */
    private static final AwsCredentialsProvider NO_TENANT = () -> {
        throw new IllegalStateException("sidecar-lambda: a Lambda request without tenant credentials");
    };

    private final CamelContext camelContext;
    private final Object owner;
    private final Duration controlPlaneTimeout;

    private SdkEventLoopGroup eventLoops;
    private ScheduledExecutorService scheduler;
    private TimeoutWheel sdkTimer;
    private ExecutorService completions;
    private AwsCredentialsProvider defaultPlatform;
    private final Map<LambdaClientKey, Shared<LambdaAsyncClient>> lambdas = new HashMap<>();
    private final Map<ControlPlaneKey, Shared<StsAsyncClient>> stsClients = new HashMap<>();
    private final Map<ControlPlaneKey, Shared<SsmAsyncClient>> ssmClients = new HashMap<>();
    private final Map<ControlPlaneKey, Shared<SecretsManagerAsyncClient>> secretsClients = new HashMap<>();
    private boolean closed;

    private final SidecarLambdaMetrics metrics;

    /** 0: one per processor. */
    private final int completionThreads;

    private final int ioThreads;

    public SharedAwsClients(
            CamelContext camelContext,
            Object owner,
            Duration controlPlaneTimeout,
            SidecarLambdaMetrics metrics,
            int completionThreads,
            int ioThreads) {
        this.completionThreads = completionThreads;
        this.ioThreads = ioThreads;
        this.camelContext = camelContext;
        this.owner = owner;
        this.controlPlaneTimeout = controlPlaneTimeout;
        this.metrics = metrics;
    }

    public SidecarLambdaMetrics metrics() {
        return metrics;
    }

    /**
     * One timer thread for the tenants' refresh deadlines and prefetches and the Parameter Store reader's batching and
     * back-offs (the SDK's per-call timeouts go to {@link #sdkTimer()}); cancelled timers leave its queue at once (Camel
     * sets remove-on-cancel on its scheduled pools). Unbounded: with Camel's default profile (1,000 tasks) it could
     * refuse a timer under load.
     */
    public synchronized ScheduledExecutorService scheduler() {
        checkOpen();
        if (scheduler == null) {
            ThreadPoolProfile profile = new ThreadPoolProfileBuilder("SidecarLambdaScheduler")
                    .poolSize(1)
                    .maxPoolSize(1)
                    .maxQueueSize(-1)
                    .build();
            scheduler = camelContext
                    .getExecutorServiceManager()
                    .newScheduledThreadPool(owner, "SidecarLambdaScheduler", profile);
            if (scheduler instanceof ScheduledThreadPoolExecutor pool) {
                pool.setRemoveOnCancelPolicy(true);
            }
        }
        return scheduler;
    }

    /**
     * Where the SDK completes its futures (and so where an exchange continues after Invoke): by default not a Netty
     * event loop, so a route that blocks cannot stall the I/O of every tenant. One thread per processor by default:
     * on a saturated machine each extra parked thread is woken (futex, context switch) for a share of the answers, so
     * fewer threads cost less CPU per call (docs/benchmark.md). Bounded; a full queue runs the task on the caller.
     * Completing on the event loop itself was measured too, and was not cheaper (docs/benchmark.md).
     */
    public synchronized Executor completions() {
        checkOpen();
        if (completions == null) {
            int threads = completionThreads > 0
                    ? completionThreads
                    : Math.max(1, Runtime.getRuntime().availableProcessors());
            ThreadPoolProfile profile = new ThreadPoolProfileBuilder("SidecarLambdaCompletion")
                    .poolSize(threads)
                    .maxPoolSize(threads)
                    .maxQueueSize(10_000)
                    .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                    .build();
            completions =
                    camelContext.getExecutorServiceManager().newThreadPool(owner, "SidecarLambdaCompletion", profile);
        }
        return completions;
    }

    /**
     * The AWS SDK clients' timer (each call's apiCallTimeout, retry back-offs): a timing wheel, so that scheduling and
     * cancelling a timeout on every Invoke takes no lock and wakes no thread. Its one thread comes from Camel.
     */
    public synchronized ScheduledExecutorService sdkTimer() {
        checkOpen();
        if (sdkTimer == null) {
            ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
            sdkTimer = new TimeoutWheel(r -> executors.newThread("SidecarLambdaTimeouts", r));
        }
        return sdkTimer;
    }

    private synchronized SdkEventLoopGroup eventLoops() {
        if (eventLoops == null) {
            // one per processor by default (Netty's own default is two): these threads only do I/O, never the route;
            // the channels tell a reset of a reused connection from other failures (ReuseAwareSocketChannel)
            int threads =
                    ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
            eventLoops = SdkEventLoopGroup.create(
                    new NioEventLoopGroup(
                            threads,
                            new ThreadFactoryBuilder()
                                    .threadNamePrefix("aws-java-sdk-NettyEventLoop")
                                    .daemonThreads(true)
                                    .build()),
                    ReuseAwareSocketChannel::new);
        }
        return eventLoops;
    }

    /** The SDK default credential chain, created once and shared by every tenant that names no platform identity. */
    public synchronized AwsCredentialsProvider platform(AwsCredentialsProvider configured) {
        if (configured != null) {
            return configured;
        }
        if (defaultPlatform == null) {
            defaultPlatform = DefaultCredentialsProvider.builder().build();
        }
        return defaultPlatform;
    }

    /** The Lambda client for these settings; release it with {@link #releaseLambda(LambdaClientKey)}. */
    public synchronized LambdaAsyncClient acquireLambda(LambdaClientKey key) {
        checkOpen();
        Shared<LambdaAsyncClient> shared = lambdas.computeIfAbsent(key, k -> {
            SdkAsyncHttpClient http = lambdaHttp(k).build();
            return new Shared<>(lambdaClient(k, http), http);
        });
        shared.users++;
        return shared.client;
    }

    /**
     * The Lambda client of {@code key} whose every request goes out on a new connection, used at most once: for the
     * one re-send after a pooled connection was closed under a request (resendOnStaleConnection). A pooled connection
     * could be the next one the server is closing; a new one cannot have been closed before its first request. Each
     * connection lives at most 1 ms, so it is closed when its answer is in, not pooled. Created on first need, closed
     * with the pooled client.
     */
    public synchronized LambdaAsyncClient newConnectionLambda(LambdaClientKey key) {
        checkOpen();
        Shared<LambdaAsyncClient> shared = lambdas.get(key);
        if (shared == null) {
            throw new IllegalStateException("sidecar-lambda: no Lambda client for " + key);
        }
        if (shared.onNewConnections == null) {
            shared.onNewConnectionsHttp =
                    lambdaHttp(key).connectionTimeToLive(Duration.ofMillis(1)).build();
            shared.onNewConnections = lambdaClient(key, shared.onNewConnectionsHttp);
        }
        return shared.onNewConnections;
    }

    private NettyNioAsyncHttpClient.Builder lambdaHttp(LambdaClientKey k) {
        return NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(eventLoops())
                .maxConcurrency(k.maxConcurrency())
                // a function may run up to apiCallTimeout without a byte on the wire; the read timeout must not end
                // the call first (the API call timeout does, on the timer wheel, up to one tick late)
                .readTimeout(k.apiCallTimeout().plusSeconds(1))
                .writeTimeout(Duration.ofSeconds(60));
    }

    private LambdaAsyncClient lambdaClient(LambdaClientKey k, SdkAsyncHttpClient http) {
        return configure(
                        LambdaAsyncClient.builder(),
                        k.region(),
                        k.endpoint(),
                        NO_TENANT,
                        http,
                        k.apiCallTimeout(),
                        RetrySafety.invokeRetryStrategy(k.maxRetries()))
                .build();
    }

    public synchronized void releaseLambda(LambdaClientKey key) {
        Shared<LambdaAsyncClient> shared = lambdas.get(key);
        if (shared != null && --shared.users <= 0) {
            lambdas.remove(key);
            closeLambda(shared);
        }
    }

    private static void closeLambda(Shared<LambdaAsyncClient> shared) {
        IoUtils.closeQuietly(shared.client, null);
        IoUtils.closeQuietly(shared.http, null);
        IoUtils.closeQuietly(shared.onNewConnections, null);
        IoUtils.closeQuietly(shared.onNewConnectionsHttp, null);
    }

    /** The STS client of a region and platform identity; lives as long as the component. */
    public synchronized StsAsyncClient sts(ControlPlaneKey key) {
        checkOpen();
        return stsClients.computeIfAbsent(key, k -> {
                    SdkAsyncHttpClient http = controlPlaneHttp();
                    StsAsyncClient sts = configure(
                                    StsAsyncClient.builder(),
                                    k.region(),
                                    k.endpoint(),
                                    k.platform(),
                                    http,
                                    controlPlaneTimeout,
                                    AwsRetryStrategy.doNotRetry())
                            .build();
                    return new Shared<>(sts, http);
                })
                .client;
    }

    /**
     * The SSM client of a region and platform identity; lives as long as the component. It does not retry: the
     * Parameter Store reader batches and retries within the refresh deadline.
     */
    public synchronized SsmAsyncClient ssm(ControlPlaneKey key) {
        checkOpen();
        return ssmClients.computeIfAbsent(key, k -> {
                    SdkAsyncHttpClient http = controlPlaneHttp();
                    SsmAsyncClient ssm = configure(
                                    SsmAsyncClient.builder(),
                                    k.region(),
                                    k.endpoint(),
                                    k.platform(),
                                    http,
                                    controlPlaneTimeout,
                                    AwsRetryStrategy.doNotRetry())
                            .build();
                    return new Shared<>(ssm, http);
                })
                .client;
    }

    /** The Secrets Manager client of a region and platform identity (externalIdStore=secretsManager). */
    public synchronized SecretsManagerAsyncClient secretsManager(ControlPlaneKey key) {
        checkOpen();
        return secretsClients.computeIfAbsent(key, k -> {
                    SdkAsyncHttpClient http = controlPlaneHttp();
                    // the Secrets Manager reader does not retry by itself: the SDK's standard retries cover throttling
                    // there
                    SecretsManagerAsyncClient client = configure(
                                    SecretsManagerAsyncClient.builder(),
                                    k.region(),
                                    k.endpoint(),
                                    k.platform(),
                                    http,
                                    controlPlaneTimeout,
                                    AwsRetryStrategy.standardRetryStrategy())
                            .build();
                    return new Shared<>(client, http);
                })
                .client;
    }

    private SdkAsyncHttpClient controlPlaneHttp() {
        return NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(eventLoops())
                .maxConcurrency(16)
                .readTimeout(controlPlaneTimeout)
                .build();
    }

    private <B extends AwsAsyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> B configure(
            B builder,
            String region,
            URI endpoint,
            AwsCredentialsProvider credentials,
            SdkAsyncHttpClient http,
            Duration apiCallTimeout,
            RetryStrategy retryStrategy) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                // STS and SSM do not retry in the SDK: the tenant's refresh retries with jittered back-off until its
                // deadline (one retry policy, not two stacked). Invoke retries only what cannot have run the function.
                .overrideConfiguration(o -> o.apiCallTimeout(apiCallTimeout)
                        .scheduledExecutorService(sdkTimer())
                        .retryStrategy(retryStrategy))
                .asyncConfiguration(
                        a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, completions()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /** How many Lambda clients (connection pools) are open: one per Lambda region and HTTP settings. */
    public synchronized int lambdaClients() {
        return lambdas.size();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("sidecar-lambda component is stopped");
        }
    }

    @Override
    public void close() {
        Map<LambdaClientKey, Shared<LambdaAsyncClient>> l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = new HashMap<>(lambdas);
            lambdas.clear();
        }
        l.values().forEach(SharedAwsClients::closeLambda);
        stsClients.values().forEach(s -> {
            IoUtils.closeQuietly(s.client, null);
            IoUtils.closeQuietly(s.http, null);
        });
        stsClients.clear();
        ssmClients.values().forEach(s -> {
            IoUtils.closeQuietly(s.client, null);
            IoUtils.closeQuietly(s.http, null);
        });
        ssmClients.clear();
        secretsClients.values().forEach(s -> {
            IoUtils.closeQuietly(s.client, null);
            IoUtils.closeQuietly(s.http, null);
        });
        secretsClients.clear();
        if (defaultPlatform instanceof AutoCloseable c) {
            IoUtils.closeQuietly(c, null);
        }
        ExecutorServiceManager executors = camelContext.getExecutorServiceManager();
        if (scheduler != null) {
            executors.shutdownNow(scheduler);
        }
        if (sdkTimer != null) {
            sdkTimer.shutdownNow();
        }
        if (completions != null) {
            executors.shutdown(completions);
        }
        if (eventLoops != null) {
            eventLoops.eventLoopGroup().shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
