package io.github.sidecarlambda;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.github.sidecarlambda.aws.AwsErrors;

/**
 * Reports whether credentials for the endpoint's tenant can be obtained: the External ID is readable and the role can
 * be assumed. Uses the shared, cached credentials (no extra AWS call while they are valid) and needs no right beyond
 * what invoking needs: no Lambda call, no ListFunctions.
 */
public class SidecarLambdaProducerHealthCheck extends AbstractHealthCheck {

    private final SidecarLambdaEndpoint endpoint;
    private volatile PreflightReport preflight;

    /** The id is {@code producer:sidecar-lambda-<endpoint id>}, as Camel's own AWS components name theirs. */
    public SidecarLambdaProducerHealthCheck(SidecarLambdaEndpoint endpoint, String endpointId) {
        super("camel", "producer:sidecar-lambda-" + endpointId);
        this.endpoint = endpoint;
    }

    /** The report of the start-time preflight ({@code preflight=true}), shown as the detail {@code preflight}. */
    void preflight(PreflightReport report) {
        this.preflight = report;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SidecarLambdaEndpoint.Target target = endpoint.target();
        builder.detail("roleArn", endpoint.getConfiguration().getRoleArn());
        builder.detail("externalIdKey", endpoint.validated().parameterName().value());
        PreflightReport report = preflight;
        if (report != null) {
            PreflightReport.Step failed = report.firstFailure();
            builder.detail(
                    "preflight", failed == null ? "passed" : "failed at " + failed.name() + ": " + failed.cause());
        }
        if (target == null) {
            builder.message("endpoint not started").down();
            return;
        }
        try {
            endpoint.getComponent()
                    .tenants()
                    .get(target.tenant())
                    .credentials()
                    .get(endpoint.getComponent().getCredentialsRefreshTimeout() + 5_000, TimeUnit.MILLISECONDS);
            builder.up();
        } catch (ExecutionException e) {
            Throwable cause = AwsErrors.unwrap(e.getCause());
            builder.message(cause.getMessage()).error(cause).down();
        } catch (TimeoutException e) {
            builder.message("no credentials within the refresh deadline").down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        }
    }
}
