package io.github.sidecarlambda;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Everything that makes two endpoints need the same assumed-role credentials. Endpoints with equal keys share one
 * credentials provider; any difference (another role, another External ID key, another platform identity) gives
 * separate credentials, so two tenants never share them.
 *
 * @param baseCredentials the platform identity's provider bean, compared by identity; null for the SDK default chain
 */
record TenantKey(AwsCredentialsProvider baseCredentials, RoleArn roleArn, ParameterName parameterName,
        String stsRegion, String parameterStoreRegion, URI stsEndpoint, URI ssmEndpoint, String roleSessionName,
        Duration sessionDuration, Duration externalIdCacheTtl, Duration staleTime, Duration prefetchTime,
        boolean asyncRefresh) {

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantKey k && baseCredentials == k.baseCredentials && roleArn.equals(k.roleArn)
                && parameterName.equals(k.parameterName) && stsRegion.equals(k.stsRegion)
                && parameterStoreRegion.equals(k.parameterStoreRegion)
                && java.util.Objects.equals(stsEndpoint, k.stsEndpoint)
                && java.util.Objects.equals(ssmEndpoint, k.ssmEndpoint) && roleSessionName.equals(k.roleSessionName)
                && sessionDuration.equals(k.sessionDuration) && externalIdCacheTtl.equals(k.externalIdCacheTtl)
                && staleTime.equals(k.staleTime) && prefetchTime.equals(k.prefetchTime) && asyncRefresh == k.asyncRefresh;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(System.identityHashCode(baseCredentials), roleArn, parameterName, stsRegion,
                parameterStoreRegion, stsEndpoint, ssmEndpoint, roleSessionName, sessionDuration);
    }

    @Override
    public String toString() {
        return "Tenant(" + roleArn + ", " + parameterName + ", " + stsRegion + ")";
    }
}
