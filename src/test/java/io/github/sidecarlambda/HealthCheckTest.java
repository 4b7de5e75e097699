package io.github.sidecarlambda;

import java.util.Collection;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer health check tells whether the tenant's credentials can be obtained, without calling Lambda. */
class HealthCheckTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:good").routeId("good").to(acme()).id("goodProducer");
                from("direct:bad")
                        .routeId("bad")
                        .to("sidecar-lambda:SideCarJsonResponse?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_WRONG_KEY);
            }
        };
    }

    @Test
    void upForAGoodTenantDownWithTheReasonForADeniedOneAndNoLambdaCall() {
        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        assertThat(producers).isNotNull();
        producers.setEnabled(true);
        producers.stream().forEach(check -> check.setEnabled(true));
        org.apache.camel.health.HealthCheckRegistry.get(context).setExposureLevel("full");

        Collection<HealthCheck.Result> results =
                HealthCheckHelper.invoke(context, (java.util.function.Predicate<HealthCheck>)
                        check -> !check.getId().startsWith("producer:sidecar-lambda"));
        assertThat(results)
                .filteredOn(r -> r.getCheck().getId().startsWith("producer:sidecar-lambda"))
                .hasSize(2);
        assertThat(results)
                .filteredOn(r -> r.getCheck().getId().startsWith("producer:sidecar-lambda"))
                .anySatisfy(r -> assertThat(r.getState()).isEqualTo(HealthCheck.State.UP))
                .anySatisfy(r -> {
                    assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
                    assertThat(r.getMessage())
                            .hasValueSatisfying(m ->
                                    assertThat(m).contains("denied AssumeRole").contains("/acme/staging/trustKey"));
                    assertNoSecretIn(r.getMessage().orElse(""));
                });
        assertThat(emulator.count("lambda", "Invoke")).isZero();
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(2);
    }
}
