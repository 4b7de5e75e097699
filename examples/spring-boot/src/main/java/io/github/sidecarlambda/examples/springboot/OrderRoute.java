package io.github.sidecarlambda.examples.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * POST /orders goes to the acme customer's function, invoked with the role the customer created for the platform and
 * the External ID stored under acme/prod/trustKey. Region, Parameter Store region and the platform identity are the
 * component's, from application.yaml.
 */
@Component
public class OrderRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/orders?httpMethodRestrict=POST")
                .routeId("orders")
                .to("sidecar-lambda:SideCarJsonResponse"
                        + "?roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                        + "&externalIdKey=acme/prod/trustKey")
                .log(
                        "acme answered ${header.CamelSidecarLambdaStatusCode} from version ${header.CamelSidecarLambdaExecutedVersion}");
    }
}
