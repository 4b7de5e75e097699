package io.github.sidecarlambda.examples.kamelet;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.testing.EmulatedAwsTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kamelet, resolved from classpath:kamelets/ by camel-kamelet as Camel K would, used as a sink. */
class SidecarLambdaSinkKameletTest extends EmulatedAwsTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:orders")
                        .to("kamelet:sidecar-lambda-sink?function=SideCarJsonResponse"
                                + "&roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                                + "&externalIdKey=acme/prod/trustKey");
                from("direct:dryRun")
                        .to("kamelet:sidecar-lambda-sink?function=SideCarJsonResponse"
                                + "&roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                                + "&externalIdKey=acme/prod/trustKey&invocationType=DryRun");
            }
        };
    }

    @Test
    void theSinkInvokesTheFunctionAndReturnsItsResponse() {
        Exchange result = template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":3}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":3},\"function\":\"SideCarJsonResponse\"}");
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(200);
    }

    @Test
    void kameletParametersReachTheComponent() {
        Exchange result = template.request("direct:dryRun", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(204);
        assertThat(emulator.count("lambda", "Invoke")).isPositive();
    }
}
