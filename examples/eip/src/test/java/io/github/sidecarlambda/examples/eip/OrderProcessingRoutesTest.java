package io.github.sidecarlambda.examples.eip;

import java.util.List;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatedAwsTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

class OrderProcessingRoutesTest extends EmulatedAwsTestSupport {

    @BeforeAll
    static void untrustedExternalId() {
        // a value the customer's trust policy does not accept
        emulator.putParameter(
                SeedScenario.PLATFORM_ACCOUNT,
                SeedScenario.REGION,
                "/acme/staging/trustKey",
                "not-the-trusted-external-id",
                true);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new OrderProcessingRoutes();
    }

    @Test
    void contentBasedRouterOnTheFunctionsResponse() {
        Exchange high = template.request("direct:order", e -> e.getMessage().setBody("{\"priority\":\"high\"}"));
        Exchange low = template.request("direct:order", e -> e.getMessage().setBody("{\"priority\":\"low\"}"));

        assertThat(high.getMessage().getBody(String.class))
                .isEqualTo(
                        "{\"statusCode\":200,\"body\":{\"priority\":\"high\"},\"function\":\"SideCarJsonResponse\"}");
        assertThat(high.getMessage().getHeader("lane")).isEqualTo("express");
        assertThat(low.getMessage().getHeader("lane")).isEqualTo("standard");
    }

    @Test
    void splitInvokesInParallelWithOneSetOfCredentials() {
        List<String> orders =
                IntStream.range(0, 20).mapToObj(i -> "{\"order\":" + i + "}").toList();

        List<?> responses = template.requestBody("direct:batch", orders, List.class);

        assertThat(responses).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(responses.get(i))
                    .isEqualTo(
                            "{\"statusCode\":200,\"body\":{\"order\":" + i + "},\"function\":\"SideCarJsonResponse\"}");
        }
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(20);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void throttlingBeyondTheSdksOwnRetriesIsRedeliveredByTheRoute() {
        // the SDK makes 4 attempts (1 + 3 retries); the 4th failure reaches the route, whose redelivery then succeeds
        emulator.faults().failNext("lambda", "Invoke", 4, "TooManyRequestsException", 429);

        Exchange result = template.request("direct:order", e -> e.getMessage().setBody("{\"priority\":\"low\"}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).contains("\"priority\":\"low\"");
        assertThat(result.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class))
                .isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(5);
    }

    @Test
    void aBrokenTrustIsAnsweredClearlyWithoutRetrying() {
        Exchange result =
                template.request("direct:untrustedTenant", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader("tenantError")).isEqualTo("AssumeRoleDeniedException");
        assertThat(result.getMessage().getBody(String.class)).contains("not configured correctly");
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }
}
