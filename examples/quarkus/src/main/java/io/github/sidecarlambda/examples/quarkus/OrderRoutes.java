package io.github.sidecarlambda.examples.quarkus;

import org.apache.camel.builder.RouteBuilder;

/**
 * The Java DSL routes of the application (Camel Quarkus finds a {@link RouteBuilder} on its own). The third way in,
 * {@code direct:orders}, is the YAML route {@code routes/orders.camel.yaml} of the yaml-dsl example, loaded through
 * {@code camel.main.routes-include-pattern}.
 */
public class OrderRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // the seed's route: the tenant (role + External ID key) is configuration, the function the URI's path
        from("direct:orders-java")
                .routeId("orders-java")
                .to(
                        "sidecar-lambda:{{orders.function}}?roleArn={{orders.role-arn}}&externalIdKey={{orders.external-id-key}}");

        // the same call through the Kamelet of the kamelet example (kamelets/sidecar-lambda-sink.kamelet.yaml)
        from("direct:orders-kamelet")
                .routeId("orders-kamelet")
                .to("kamelet:sidecar-lambda-sink?function={{orders.function}}&roleArn={{orders.role-arn}}"
                        + "&externalIdKey={{orders.external-id-key}}");
    }
}
