package io.github.sidecarlambda;

import java.util.Collection;
import java.util.function.Predicate;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code preflight=true}: the producer checks External ID, AssumeRole and a Lambda {@code DryRun} when it starts; a
 * broken link fails the route's start with {@link PreflightFailedException} carrying the step-by-step report.
 */
class PreflightOptionTest extends SidecarLambdaTestSupport {

    private void addRoute(String id, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + id).routeId(id).to(uri);
            }
        });
    }

    private static PreflightFailedException preflightFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PreflightFailedException p) {
                return p;
            }
        }
        throw new AssertionError("no PreflightFailedException in", t);
    }

    @Test
    void aGoodChainStartsAndTrafficReusesTheCredentialsThePreflightObtained() throws Exception {
        addRoute("good", acme() + "&preflight=true");
        assertThat(context.getRouteController().getRouteStatus("good").isStarted())
                .isTrue();
        // DryRun: one Invoke that ran nothing
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);

        assertThat(template.requestBody("direct:good", "{\"n\":1}", String.class))
                .contains("\"n\":1");
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);

        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        producers.setEnabled(true);
        producers.stream().forEach(check -> check.setEnabled(true));
        HealthCheckRegistry.get(context).setExposureLevel("full");
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(
                context, (Predicate<HealthCheck>) check -> !check.getId().startsWith("producer:sidecar-lambda"));
        assertThat(results)
                .filteredOn(r -> r.getCheck().getId().startsWith("producer:sidecar-lambda"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
                    assertThat(r.getDetails()).containsEntry("preflight", "passed");
                });
    }

    @Test
    void aWrongExternalIdFailsTheStartAtAssumeRole() throws Exception {
        assertThatThrownBy(() -> addRoute(
                        "wrongId",
                        "sidecar-lambda:SideCarJsonResponse?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_WRONG_KEY + "&preflight=true"))
                .satisfies(t -> {
                    PreflightFailedException p = preflightFailure(t);
                    assertThat(p.getReport().firstFailure().name()).isEqualTo("assume role");
                    assertThat(p.getMessage())
                            .contains("✓ External ID")
                            .contains("✗ assume role")
                            .contains("- invoke permission")
                            .contains("/acme/staging/trustKey");
                    assertNoSecretIn(p.getMessage());
                });
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void aMissingParameterFailsTheStartAtTheExternalId() {
        assertThatThrownBy(() -> addRoute(
                        "missing",
                        "sidecar-lambda:SideCarJsonResponse?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_MISSING_KEY + "&preflight=true"))
                .satisfies(t -> {
                    PreflightFailedException p = preflightFailure(t);
                    assertThat(p.getMessage())
                            .contains("✗ External ID")
                            .contains("NOT_FOUND")
                            .contains("external-id create /acme/dev/trustKey")
                            .contains("- assume role");
                });
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
    }

    @Test
    void aDeniedFunctionFailsTheStartAtTheDryRun() {
        assertThatThrownBy(() -> addRoute(
                        "denied",
                        "sidecar-lambda:" + TestScenario.ACME_RESTRICTED_FUNCTION + "?roleArn="
                                + TestScenario.ACME_ROLE + "&externalIdKey=" + TestScenario.ACME_KEY
                                + "&preflight=true"))
                .satisfies(t -> {
                    PreflightFailedException p = preflightFailure(t);
                    assertThat(p.getMessage())
                            .contains("✓ assume role")
                            .contains("✗ invoke permission")
                            .contains("AccessDeniedException")
                            .contains("policy invoke");
                });
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke", true)).isZero();
    }

    @Test
    void withoutTheOptionNothingIsCalledAtStart() throws Exception {
        addRoute("lazy", acme());
        assertThat(emulator.calls()).isEmpty();
    }
}
