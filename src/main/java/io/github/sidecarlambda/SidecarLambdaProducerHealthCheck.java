package io.github.sidecarlambda;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Reports whether credentials for the endpoint's tenant can be obtained: the External ID is readable and the role can
 * be assumed. Uses the shared, cached credentials (no extra AWS call while they are valid) and needs no right beyond
 * what invoking needs: no Lambda call, no ListFunctions.
 */
public class SidecarLambdaProducerHealthCheck extends AbstractHealthCheck {

    private final SidecarLambdaEndpoint endpoint;

    public SidecarLambdaProducerHealthCheck(SidecarLambdaEndpoint endpoint, String endpointUri) {
        super("camel", "producer:sidecar-lambda-" + endpointUri);
        this.endpoint = endpoint;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        AssumedRoleCredentials credentials = endpoint.credentials();
        builder.detail("roleArn", endpoint.getConfiguration().getRoleArn());
        builder.detail("externalIdKey", endpoint.validated().parameterName().value());
        if (credentials == null) {
            builder.message("endpoint not started").down();
            return;
        }
        try {
            credentials.resolveCredentials();
            builder.up();
        } catch (SidecarLambdaException e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }
}
