package io.github.sidecarlambda;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.spi.EndpointServiceLocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees without reading logs: Micrometer meters equal to what AWS (the emulator) counted, the JMX
 * attributes and operations, the dev console, the endpoint's service location and the health-check id.
 */
class OperationsTest extends ManyTenantsTestSupport {

    @BindToRegistry("metricsRegistry")
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Override
    void configure(SidecarLambdaComponent component) {
        component.setCredentialsRefreshTimeout(10_000);
    }

    @Override
    public boolean useJmx() {
        return true;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        RouteBuilder tenants = super.createRouteBuilder();
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                tenants.addRoutesToCamelContext(getContext());
                from("direct:fail").to(globex("Fail") + "&throwOnFunctionError=false");
            }
        };
    }

    private double count(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counters().stream().mapToDouble(c -> c.count()).sum()
                + search.timers().stream().mapToDouble(t -> t.count()).sum();
    }

    @Test
    void metricsEqualWhatAwsCounted() {
        for (int i = 0; i < 5; i++) {
            assertThat(template.requestBody("direct:t11", "{}", String.class)).isEqualTo("{}");
        }
        template.request("direct:fail", e -> e.getMessage().setBody("{}"));
        Exchange denied = template.request("direct:denied", e -> e.getMessage().setBody("{}"));
        assertThat(denied.getException()).isInstanceOf(AssumeRoleDeniedException.class);
        // within the 2 s a failure is remembered, the same denial again, without an AWS call
        assertThat(template.request("direct:denied", e -> e.getMessage().setBody("{}"))
                        .getException())
                .isInstanceOf(AssumeRoleDeniedException.class);
        assertThat(registry.find("sidecar.lambda.credentials.failfast")
                        .counter()
                        .count())
                .isEqualTo(1);
        // a refresh: our clock passes the prefetch point, the next exchange refreshes in the background
        clock.advance(Duration.ofMinutes(58));
        template.requestBody("direct:t11", "{}", String.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count("sidecar.lambda.credentials", "outcome", "refreshed") < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the background refresh completes after the exchange that started it
        }

        assertThat(count("sidecar.lambda.invoke", "outcome", "ok"))
                .isEqualTo(emulator.count("lambda", "Invoke", true) - 1); // the function error is 200 too
        assertThat(count("sidecar.lambda.invoke", "outcome", "functionError")).isEqualTo(1);
        // every Invoke's request payload is measured: 2 bytes ("{}") each
        var requests = registry.find("sidecar.lambda.payload")
                .tag("direction", "request")
                .summary();
        assertThat(requests.count()).isEqualTo(emulator.count("lambda", "Invoke", true));
        assertThat(requests.totalAmount()).isEqualTo(2.0 * requests.count());
        assertThat(count("sidecar.lambda.aws.calls", "service", "sts", "operation", "AssumeRole"))
                .isEqualTo(emulator.count("sts", "AssumeRole"));
        assertThat(count(
                        "sidecar.lambda.aws.calls",
                        "service",
                        "sts",
                        "operation",
                        "AssumeRole",
                        "outcome",
                        "AccessDenied"))
                .isEqualTo(1);
        assertThat(count("sidecar.lambda.aws.calls", "service", "ssm"))
                .isEqualTo(emulator.count("ssm", "GetParameter") + emulator.count("ssm", "GetParameters"));
        assertThat(count("sidecar.lambda.credentials", "outcome", "refreshed"))
                .isEqualTo(emulator.count("sts", "AssumeRole", true));
        assertThat(count(
                        "sidecar.lambda.credentials",
                        "outcome",
                        "failed",
                        "code",
                        "AccessDenied",
                        "role_account",
                        "641769673540"))
                .isEqualTo(1);
        assertThat(registry.find("sidecar.lambda.tenants.cached").gauge().value())
                .isEqualTo(3);
        assertThat(registry.find("sidecar.lambda.credentials.expiry")
                        .tag("role_name", "Boomi_sidecar_connector_t11")
                        .gauge()
                        .value())
                .isPositive();
        // no meter, tag or value names a secret
        registry.getMeters().forEach(m -> assertNoSecretIn(m.getId().toString()));
    }

    @Test
    void jmxShowsTenantsAndItsOperationsForceAFreshAssume() throws Exception {
        template.requestBody("direct:t12", "{}", String.class);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName component = server.queryNames(
                        new ObjectName("org.apache.camel:type=components,name=\"sidecar-lambda\",*"), null)
                .iterator()
                .next();

        assertThat(server.getAttribute(component, "CachedTenants")).isEqualTo(1L);
        String[] tenants = (String[]) server.getAttribute(component, "Tenants");
        assertThat(tenants)
                .singleElement()
                .asString()
                .contains(TestScenario.manyRole(12))
                .contains("/t12/prod/trustKey")
                .contains("expires=20");
        assertNoSecretIn(String.join("\n", tenants));

        assertThat(server.invoke(
                        component, "invalidateCredentials", new Object[] {TestScenario.manyRole(12)}, new String[] {
                            "java.lang.String"
                        }))
                .isEqualTo(1);
        template.requestBody("direct:t12", "{}", String.class);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);

        assertThat(server.invoke(component, "reloadExternalId", new Object[] {"t12/prod/trustKey"}, new String[] {
                    "java.lang.String"
                }))
                .isEqualTo(1);
        template.requestBody("direct:t12", "{}", String.class);
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(2);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(3);
    }

    @Test
    void theDevConsoleListsTenantsWithoutSecrets() {
        template.requestBody("direct:t13", "{}", String.class);
        // discovered by Camel's dev console registry (camel-console) through this service file
        assertThat(getClass().getResource("/META-INF/services/org/apache/camel/dev-console/sidecar-lambda"))
                .isNotNull();
        SidecarLambdaDevConsole console = new SidecarLambdaDevConsole();
        console.setCamelContext(context);
        console.start();
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertThat(text).contains(TestScenario.manyRole(13)).contains("1 tenants cached");
        Object json = console.call(DevConsole.MediaType.JSON);
        assertThat(json.toString()).contains("Boomi_sidecar_connector_t13");
        assertNoSecretIn(text);
        assertNoSecretIn(json.toString());
    }

    @Test
    void theEndpointTellsCamelWhereItsServiceIsAndItsHealthCheckIsNamedByEndpointId() {
        SidecarLambdaEndpoint endpoint = context.getEndpoint(TestScenario.many(1), SidecarLambdaEndpoint.class);
        EndpointServiceLocation location = endpoint;
        assertThat(location.getServiceUrl()).isEqualTo(emulator.endpoint().toString());
        assertThat(location.getServiceProtocol()).isEqualTo("https");
        assertThat(location.getServiceMetadata())
                .containsEntry("roleArn", TestScenario.manyRole(1))
                .containsEntry("externalIdKey", "/" + TestScenario.manyKey(1));
        assertThat(new SidecarLambdaProducerHealthCheck(endpoint, endpoint.getId()).getId())
                .isEqualTo("producer:sidecar-lambda-" + endpoint.getId());
    }
}
