package io.github.sidecarlambda.examples.javadsl;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.testing.EmulatedAwsTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

class OrderRoutesTest extends EmulatedAwsTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new OrderRoutes();
    }

    @Test
    void theCustomersFunctionAnswersTheOrder() {
        Exchange result = template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":42}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":42},\"function\":\"SideCarJsonResponse\"}");
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(200);
    }
}
