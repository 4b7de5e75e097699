package io.github.sidecarlambda.examples.javadsl;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderRoutesTest extends CamelTestSupport {

    static AwsEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = SeedScenario.builder().start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        EmulatorEnvironment.apply(context, emulator);
        return context;
    }

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
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE)).isEqualTo(200);
    }
}
