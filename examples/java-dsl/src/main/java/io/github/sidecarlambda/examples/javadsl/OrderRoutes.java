package io.github.sidecarlambda.examples.javadsl;

import org.apache.camel.builder.RouteBuilder;

/**
 * The seed's route in the Java DSL: every order goes to the acme customer's function, invoked with the role the
 * customer created for the platform and the External ID stored under acme/prod/trustKey.
 */
public class OrderRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:orders")
                .routeId("orders")
                .to("sidecar-lambda:SideCarJsonResponse"
                        + "?roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                        + "&externalIdKey=acme/prod/trustKey")
                .log(
                        "acme answered ${header.CamelSidecarLambdaStatusCode} from version ${header.CamelSidecarLambdaExecutedVersion}");
    }
}
