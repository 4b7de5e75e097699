package io.github.sidecarlambda;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A function that fails is never mistaken for a success. */
class FunctionErrorTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:throw").to(globex("Fail")).to("mock:after");
                from("direct:headersOnly")
                        .to(globex("Fail") + "&throwOnFunctionError=false")
                        .to("mock:headersOnly");
                from("direct:handled")
                        .onException(FunctionErrorException.class)
                        .handled(true)
                        .setBody(simple("${exception.errorType}: ${exception.errorMessage}"))
                        .to("mock:handled")
                        .end()
                        .to(globex("Fail"));
            }
        };
    }

    @Test
    void functionErrorFailsTheExchangeWithTypeMessageAndPayload() throws Exception {
        MockEndpoint after = getMockEndpoint("mock:after");
        after.expectedMessageCount(0);

        Exchange result = template.request("direct:throw", e -> e.getMessage().setBody("{\"order\":42}"));

        assertThat(result.getException()).isInstanceOf(FunctionErrorException.class);
        FunctionErrorException error = (FunctionErrorException) result.getException();
        assertThat(error.getFunctionError()).isEqualTo("Unhandled");
        assertThat(error.getErrorType()).isEqualTo("IllegalStateException");
        assertThat(error.getErrorMessage()).isEqualTo("order 42 rejected");
        assertThat(error.getPayload()).contains("\"errorMessage\"").contains("order 42 rejected");
        assertThat(error.getMessage())
                .contains("Fail")
                .contains("IllegalStateException")
                .contains("order 42 rejected");
        assertThat(error.isRetryable()).isFalse();
        assertThat(result.getMessage().getHeader(SidecarLambdaConstants.FUNCTION_ERROR))
                .isEqualTo("Unhandled");
        after.assertIsSatisfied();
    }

    @Test
    void withThrowOnFunctionErrorFalseTheErrorPayloadIsTheBodyAndTheHeaderIsSet() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:headersOnly");
        mock.expectedMessageCount(1);
        mock.expectedHeaderReceived(SidecarLambdaConstants.FUNCTION_ERROR, "Unhandled");
        mock.expectedHeaderReceived(SidecarLambdaConstants.STATUS_CODE, 200);

        template.sendBody("direct:headersOnly", "{}");

        mock.assertIsSatisfied();
        assertThat(mock.getExchanges().get(0).getMessage().getBody(String.class))
                .contains("\"errorType\":\"IllegalStateException\"");
    }

    @Test
    void onExceptionCanReadTheTypedError() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:handled");
        mock.expectedBodiesReceived("IllegalStateException: order 42 rejected");

        template.sendBody("direct:handled", "{}");

        mock.assertIsSatisfied();
    }
}
