package io.github.sidecarlambda;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.CallRecord;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Two customers never share credentials: each gets its own AssumeRole, with its own External ID. */
class IsolationTest extends SidecarLambdaTestSupport {

    private static final String ACME_SESSION =
            "arn:aws:sts::641769673540:assumed-role/Boomi_sidecar_connector_acme/camel-sidecar-lambda";
    private static final String GLOBEX_SESSION =
            "arn:aws:sts::222233334444:assumed-role/Boomi_sidecar_connector_globex/camel-sidecar-lambda";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:acme").to(acme());
                from("direct:globex").to(globex("Caller"));
            }
        };
    }

    @Test
    void eachTenantAssumesItsOwnRoleAndSignsOnlyItsOwnInvokes() {
        for (int i = 0; i < 5; i++) {
            // acme's function wraps the input: the answer is acme's function's, not the input echoed
            assertThat(template.requestBody("direct:acme", "{\"tenant\":\"acme\"}", String.class))
                    .isEqualTo(
                            "{\"statusCode\":200,\"body\":{\"tenant\":\"acme\"},\"function\":\"SideCarJsonResponse\"}");
            assertThat(template.requestBody("direct:globex", "{}", String.class))
                    .isEqualTo("{\"caller\":\"" + GLOBEX_SESSION + "\"}");
        }

        // two successful AssumeRole calls, one per role: each succeeded only with its own External ID, since each
        // trust policy accepts exactly one
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("AssumeRole"))
                .extracting(CallRecord::resource, CallRecord::httpStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(TestScenario.ACME_ROLE, 200),
                        org.assertj.core.groups.Tuple.tuple(TestScenario.GLOBEX_ROLE, 200));
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("GetParameter"))
                .extracting(CallRecord::resource)
                .hasSize(2)
                .anySatisfy(r -> assertThat(r).endsWith("/acme/prod/trustKey"))
                .anySatisfy(r -> assertThat(r).endsWith("/globex/prod/trustKey"));
        // five Invokes of each function, each signed with its own tenant's session
        String globexCaller = "arn:aws:lambda:us-east-1:222233334444:function:Caller";
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .extracting(CallRecord::resource, CallRecord::principalArn, CallRecord::httpStatus)
                .containsExactlyInAnyOrder(
                        tuple(SeedScenario.FUNCTION_ARN, ACME_SESSION, 200),
                        tuple(SeedScenario.FUNCTION_ARN, ACME_SESSION, 200),
                        tuple(SeedScenario.FUNCTION_ARN, ACME_SESSION, 200),
                        tuple(SeedScenario.FUNCTION_ARN, ACME_SESSION, 200),
                        tuple(SeedScenario.FUNCTION_ARN, ACME_SESSION, 200),
                        tuple(globexCaller, GLOBEX_SESSION, 200),
                        tuple(globexCaller, GLOBEX_SESSION, 200),
                        tuple(globexCaller, GLOBEX_SESSION, 200),
                        tuple(globexCaller, GLOBEX_SESSION, 200),
                        tuple(globexCaller, GLOBEX_SESSION, 200));
        assertThat(context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                        .tenants()
                        .size())
                .isEqualTo(2);
    }
}
