package io.github.sidecarlambda.examples.quarkus;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Camel's readiness checks (the context, the routes and, with {@code camel.health.producers-enabled=true}, the
 * component's producer checks: can each endpoint's tenant get credentials?) on Quarkus' {@code /q/health/ready}.
 * camel-quarkus-microprofile-health does this by itself; it is not served in this build's Maven repository at
 * Camel Quarkus 3.33.1, so the application bridges the checks here with SmallRye Health (quarkus-smallrye-health).
 */
@Readiness
@ApplicationScoped
public class CamelHealthChecks implements org.eclipse.microprofile.health.HealthCheck {

    @Inject
    CamelContext context;

    @Override
    public HealthCheckResponse call() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("camel").up();
        for (HealthCheck.Result result : results) {
            String id = result.getCheck().getId();
            response.withData(
                    id,
                    result.getState().name()
                            + result.getMessage().map(m -> ": " + m).orElse(""));
            if (result.getState() == HealthCheck.State.DOWN) {
                response.down();
            }
        }
        return response.build();
    }
}
