package io.github.sidecarlambda.credentials;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import io.github.sidecarlambda.ExternalIdStore;
import io.github.sidecarlambda.ParameterName;
import io.github.sidecarlambda.RoleArn;

/**
 * Everything that makes two exchanges need the same assumed-role credentials. Exchanges with equal keys (from one
 * endpoint, several endpoints, or chosen per message) share one {@link TenantCredentials}; any difference (another
 * role, another External ID key, another platform identity) gives separate credentials, so two tenants never share
 * them.
 *
 * @param baseCredentials the platform identity's provider bean (credentials providers do not override equals, so
 *                        it compares by identity); null for the SDK default chain
 */
public record TenantKey(
        AwsCredentialsProvider baseCredentials,
        RoleArn roleArn,
        ParameterName parameterName,
        String stsRegion,
        String parameterStoreRegion,
        URI stsEndpoint,
        URI ssmEndpoint,
        String roleSessionName,
        Duration sessionDuration,
        Duration externalIdCacheTtl,
        Duration staleTime,
        Duration prefetchTime,
        ExternalIdStore externalIdStore,
        URI secretsManagerEndpoint) {

    @Override
    public String toString() {
        return "Tenant(" + roleArn + ", " + parameterName + ", " + stsRegion + ")";
    }
}
