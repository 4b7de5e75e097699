package io.github.sidecarlambda;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Parameter Store and STS are called once per credential lifetime per tenant, never per message. */
class CachingTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:seed").routeId("seed").to(acme());
                from("direct:seedTail").routeId("seedTail").to(acme() + "&logType=Tail");
            }
        };
    }

    @Test
    void fiveHundredExchangesCostOneGetParameterAndOneAssumeRole() {
        for (int i = 0; i < 500; i++) {
            Exchange result =
                    template.request("direct:seed", e -> e.getMessage().setBody("{\"n\":1}"));
            assertThat(result.getException()).isNull();
        }
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(500);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void twoHundredParallelExchangesOnAColdStartStillCostOneOfEach() throws Exception {
        for (Exchange result : concurrently(200, "direct:seed", "{\"n\":2}")) {
            assertThat(result.getException()).isNull();
        }
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(200);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void endpointsOfTheSameTenantShareCredentials() {
        template.requestBody("direct:seed", "{}");
        template.requestBody("direct:seedTail", "{}");

        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(2);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        assertThat(context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                        .tenants()
                        .size())
                .isEqualTo(1);
    }

    @Test
    void stoppingOneEndpointLeavesTheSharedCredentialsToTheOthersAndTheLastClosesThem() throws Exception {
        template.requestBody("direct:seed", "{}");
        template.requestBody("direct:seedTail", "{}");
        SidecarLambdaComponent component = context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
        assertThat(component.tenants().size()).isEqualTo(1);

        // stopping one route stops (and closes the Lambda client of) one endpoint of the tenant
        context.getRouteController().stopRoute("seed");
        context.removeRoute("seed");
        context.removeEndpoints(acme());

        Exchange after = template.request("direct:seedTail", e -> e.getMessage().setBody("{\"still\":1}"));
        assertThat(after.getException()).isNull();
        assertThat(after.getMessage().getBody(String.class)).contains("\"still\":1");
        assertThat(component.tenants().size()).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        // and can still renew them: an hour passes at AWS, the survivor must assume the role again
        emulator.clock().advance(java.time.Duration.ofMinutes(61));
        Exchange renewed =
                template.request("direct:seedTail", e -> e.getMessage().setBody("{\"renewed\":1}"));
        assertThat(renewed.getException()).isNull();
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);

        context.stop();

        // the component's shared threads (scheduler, completions, event loops) end with it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !ourThreads().isEmpty()) {
            Thread.sleep(50);
        }
        assertThat(ourThreads()).isEmpty();
    }

    static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.contains("SidecarLambda")
                        || n.contains("aws-java-sdk-NettyEventLoop")
                        || n.startsWith("sdk-async-response")
                        || n.startsWith("sdk-ScheduledExecutor"))
                .toList();
    }
}
