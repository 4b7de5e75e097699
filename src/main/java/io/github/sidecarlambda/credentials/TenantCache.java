package io.github.sidecarlambda.credentials;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;

import io.github.sidecarlambda.aws.SharedAwsClients;

/**
 * The component's tenants: one {@link TenantCredentials} per {@link TenantKey}, bounded in number (least recently used
 * dropped first) and in idleness (a tenant without traffic for {@code credentialsIdleTimeout} is dropped, so customers
 * without traffic cost no STS call). A dropped tenant is simply assumed again on its next message. Caffeine does its
 * upkeep on the calling threads: the cache starts no thread.
 */
public final class TenantCache {

    private final Cache<TenantKey, TenantCredentials> tenants;
    // the External ID readers, one per shared SDK client (the clients are the SharedAwsClients'; closed with them)
    private final Map<SsmAsyncClient, ParameterStoreReader> parameterStores = new ConcurrentHashMap<>();
    private final Map<SecretsManagerAsyncClient, SecretsManagerReader> secretsManagers = new ConcurrentHashMap<>();
    private final SharedAwsClients clients;
    private final Clock clock;
    private final Duration refreshTimeout;

    public TenantCache(
            SharedAwsClients clients, Clock clock, long maxTenants, Duration idleTimeout, Duration refreshTimeout) {
        this.clients = clients;
        this.clock = clock;
        this.refreshTimeout = refreshTimeout;
        this.tenants = Caffeine.newBuilder()
                .maximumSize(maxTenants)
                .expireAfterAccess(idleTimeout)
                .executor(Runnable::run)
                .removalListener((TenantKey k, TenantCredentials t, RemovalCause cause) -> {
                    if (t != null) {
                        clients.metrics().tenantEvicted(t);
                    }
                })
                .build();
    }

    public TenantCredentials get(TenantKey key) {
        TenantCredentials tenant = tenants.getIfPresent(key);
        return tenant != null ? tenant : tenants.get(key, this::create);
    }

    private TenantCredentials create(TenantKey key) {
        var platform = clients.platform(key.baseCredentials());
        var sts = clients.sts(new SharedAwsClients.ControlPlaneKey(key.stsRegion(), key.stsEndpoint(), platform));
        ExternalIdReader store = switch (key.externalIdStore()) {
            case secretsManager -> {
                var client = clients.secretsManager(new SharedAwsClients.ControlPlaneKey(
                        key.parameterStoreRegion(), key.secretsManagerEndpoint(), platform));
                yield secretsManagers.computeIfAbsent(client, SecretsManagerReader::new);
            }
            case parameterStore -> {
                var ssm = clients.ssm(
                        new SharedAwsClients.ControlPlaneKey(key.parameterStoreRegion(), key.ssmEndpoint(), platform));
                // one reader per SSM client: the tenants that share it share its batches
                yield parameterStores.computeIfAbsent(
                        ssm,
                        c -> new ParameterStoreReader(
                                c,
                                clients.scheduler(),
                                ParameterStoreReader.DEFAULT_BATCHES_IN_FLIGHT,
                                clients.metrics()));
            }
        };
        TenantCredentials tenant = new TenantCredentials(
                key,
                clock,
                sts,
                new ExternalIdSource(store, key.parameterName(), key.externalIdCacheTtl(), clock),
                clients.scheduler(),
                refreshTimeout,
                clients.metrics());
        clients.metrics().tenantCached(tenant, key.roleArn(), tenant::expiration);
        return tenant;
    }

    /** How many tenants are cached now (after pending evictions are applied). */
    public long size() {
        tenants.cleanUp();
        return tenants.estimatedSize();
    }

    /** Every cached tenant (a snapshot; for JMX and the dev console). */
    public Collection<TenantCredentials> all() {
        return List.copyOf(tenants.asMap().values());
    }

    public void clear() {
        tenants.invalidateAll();
        tenants.cleanUp();
    }

    /**
     * Drops every tenant and fails the External ID reads still queued (the component stops); the SDK clients are
     * closed by their owner, {@link SharedAwsClients}, afterwards.
     */
    public void close() {
        clear();
        parameterStores.values().forEach(ParameterStoreReader::close);
        parameterStores.clear();
        secretsManagers.clear();
    }
}
