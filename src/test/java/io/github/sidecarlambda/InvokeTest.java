package io.github.sidecarlambda;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.CallRecord;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Invocations that succeed, and what a route sees of them: body and every header. */
class InvokeTest extends SidecarLambdaTestSupport {

    private static final String GLOBEX_SESSION =
            "arn:aws:sts::222233334444:assumed-role/Boomi_sidecar_connector_globex/camel-sidecar-lambda";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:seed").to(acme());
                from("direct:echo").to(globex("Echo"));
                from("direct:wrap").to(globex("Wrap"));
                from("direct:alias").to(globex("Echo") + "&qualifier=live");
                from("direct:aliasInName").to(globex("Echo:live"));
                from("direct:event").to(globex("Logger") + "&invocationType=Event");
                from("direct:dryRun").to(globex("Logger") + "&invocationType=DryRun");
                from("direct:tail").to(globex("Logger") + "&logType=Tail");
                from("direct:context").to(globex("Context") + "&clientContext={\"custom\":{\"tenant\":\"globex\"}}");
                from("direct:fullArn").to(globex("arn:aws:lambda:us-east-1:222233334444:function:Echo"));
                from("direct:partialArn").to(globex("222233334444:function:Echo"));
            }
        };
    }

    @Test
    void invokesTheSeedFunctionWithTheAssumedRoleAndReturnsItsResponseAndHeaders() {
        Exchange result = template.request("direct:seed", e -> e.getMessage().setBody("{\"order\":42}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":42},\"function\":\"SideCarJsonResponse\"}");
        Map<String, Object> headers = result.getMessage().getHeaders();
        assertThat(headers)
                .containsEntry(SidecarLambdaConstants.STATUS_CODE, 200)
                .containsEntry(SidecarLambdaConstants.EXECUTED_VERSION, "$LATEST")
                .doesNotContainKey(SidecarLambdaConstants.FUNCTION_ERROR)
                .doesNotContainKey(SidecarLambdaConstants.LOG_RESULT);
        assertThat((String) headers.get(SidecarLambdaConstants.REQUEST_ID)).isNotBlank();

        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .singleElement()
                .satisfies(call -> {
                    assertThat(call.principalArn())
                            .isEqualTo(
                                    "arn:aws:sts::641769673540:assumed-role/Boomi_sidecar_connector_acme/camel-sidecar-lambda");
                    assertThat(call.resource()).isEqualTo(SeedScenario.FUNCTION_ARN);
                    assertThat(call.httpStatus()).isEqualTo(200);
                });
        // the seed's key without a leading slash was read fully qualified
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("GetParameter"))
                .singleElement()
                .satisfies(call -> assertThat(call.resource()).endsWith("/acme/prod/trustKey"));
    }

    @Test
    void payloadBytesRoundTripUnchangedWhateverTheBodyType() {
        String json = "{\"text\":\"h\u00e9llo \u2713 \ud834\udd1e \u65e5\u672c\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        // the function wraps the bytes it got: the answer shows they reached Lambda unchanged (as UTF-8) and came back
        String wrapped = "{\"received\":" + json + "}";

        assertThat(template.requestBody("direct:wrap", bytes, String.class)).isEqualTo(wrapped);
        assertThat(template.requestBody("direct:wrap", json, String.class)).isEqualTo(wrapped);
        assertThat(template.requestBody("direct:wrap", new ByteArrayInputStream(bytes), String.class))
                .isEqualTo(wrapped);
        // no body: an empty payload goes out, and an empty answer is a null body
        assertThat(template.requestBody("direct:wrap", null, String.class)).isEqualTo("{\"received\":}");
        Exchange empty = template.request("direct:echo", e -> e.getMessage().setBody(null));
        assertThat(empty.getException()).isNull();
        assertThat(empty.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(200);
        assertThat(empty.getMessage().getBody()).isNull();
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(5);
    }

    @Test
    void qualifierAsOptionAsHeaderOrInTheNameRunsTheAliasVersion() {
        Exchange option = template.request("direct:alias", e -> e.getMessage().setBody("{}"));
        assertThat(option.getMessage().getBody(String.class)).isEqualTo("{\"version\":1}");
        assertThat(option.getMessage().getHeader(SidecarLambdaConstants.EXECUTED_VERSION))
                .isEqualTo("1");

        Exchange inName =
                template.request("direct:aliasInName", e -> e.getMessage().setBody("{}"));
        assertThat(inName.getMessage().getHeader(SidecarLambdaConstants.EXECUTED_VERSION))
                .isEqualTo("1");

        Exchange header = template.request("direct:echo", e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(SidecarLambdaConstants.QUALIFIER, "1");
        });
        assertThat(header.getMessage().getBody(String.class)).isEqualTo("{\"version\":1}");
        assertThat(header.getMessage().getHeader(SidecarLambdaConstants.EXECUTED_VERSION))
                .isEqualTo("1");
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .extracting(c -> c.resource())
                .contains(
                        "arn:aws:lambda:us-east-1:222233334444:function:Echo:live",
                        "arn:aws:lambda:us-east-1:222233334444:function:Echo:1");
    }

    @Test
    void fullAndPartialArnsArePassedUnchanged() {
        for (String route : new String[] {"direct:fullArn", "direct:partialArn"}) {
            Exchange result = template.request(route, e -> e.getMessage().setBody("{}"));
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                    .isEqualTo(200);
        }
        // Lambda resolved both names to globex's Echo function and ran it
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .extracting(CallRecord::resource, CallRecord::principalArn, CallRecord::httpStatus)
                .containsExactly(
                        tuple("arn:aws:lambda:us-east-1:222233334444:function:Echo", GLOBEX_SESSION, 200),
                        tuple("arn:aws:lambda:us-east-1:222233334444:function:Echo", GLOBEX_SESSION, 200));
    }

    @Test
    void eventInvocationIsAcceptedWith202AndNoBody() {
        Exchange result = template.request("direct:event", e -> e.getMessage().setBody("{\"order\":1}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(202);
        assertThat(result.getMessage().getBody()).isNull();
    }

    @Test
    void dryRunChecksPermissionWith204WithoutRunningTheFunction() {
        Exchange result = template.request("direct:dryRun", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(204);
        assertThat(result.getMessage().getBody()).isNull();
    }

    @Test
    void invocationTypeHeaderOverridesTheOption() {
        Exchange result = template.request("direct:echo", e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(SidecarLambdaConstants.INVOCATION_TYPE, "DryRun");
        });
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(204);
    }

    @Test
    void tailLogsAreDecodedIntoAHeader() {
        Exchange result = template.request("direct:tail", e -> e.getMessage().setBody("{}"));

        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"ok\":true}");
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.LOG_RESULT, String.class))
                .contains("processing order 42")
                .contains("done");
    }

    @Test
    void clientContextReachesTheFunctionFromOptionAndHeader() {
        assertThat(template.requestBody("direct:context", "{}", String.class))
                .isEqualTo("{\"custom\":{\"tenant\":\"globex\"}}");
        assertThat(template.requestBodyAndHeader(
                        "direct:context",
                        "{}",
                        SidecarLambdaConstants.CLIENT_CONTEXT,
                        "{\"custom\":{\"order\":7}}",
                        String.class))
                .isEqualTo("{\"custom\":{\"order\":7}}");
    }
}
