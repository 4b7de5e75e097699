package io.github.sidecarlambda;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.credentials.TenantCredentials;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transient control-plane trouble is retried inside the tenant's refresh; what outlasts its deadline (or, for Lambda,
 * the SDK's own retries) reaches the route as a typed, retryable exception; a
 * timeout does not claim to be safely retryable; and no header can redirect an endpoint to another role or function.
 */
class TransientFailureTest extends SidecarLambdaTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // a short refresh deadline, so that trouble outlasting it shows within the test
        context.getComponent("sidecar-lambda", SidecarLambdaComponent.class).setCredentialsRefreshTimeout(2_000);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:echo").to(globex("Echo"));
                from("direct:slow").to(globex("Slow") + "&apiCallTimeout=1s");
            }
        };
    }

    @Test
    void lambdaThrottlingBeyondTheSdkRetriesIsARetryableLambdaServiceException() {
        emulator.faults().failNext("lambda", "Invoke", 4, "TooManyRequestsException", 429);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("TooManyRequestsException");
        assertThat(error.getStatusCode()).isEqualTo(429);
        assertThat(error.isRetryable()).isTrue();
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(4); // the SDK: 1 attempt + 3 retries

        assertThat(template.requestBody("direct:echo", "{\"after\":1}", String.class))
                .isEqualTo("{\"after\":1}");
    }

    @Test
    void lambdaServiceErrorMayHaveRunSoItIsNeitherResentNorClaimedRetryable() {
        emulator.faults().failNext("lambda", "Invoke", 4, "ServiceException", 500);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("ServiceException");
        assertThat(error.getStatusCode()).isEqualTo(500);
        // Lambda's ServiceException does not say whether the function ran: the route decides, not the SDK
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.mayHaveRun()).isTrue();
        assertThat(emulator.count("lambda", "Invoke")).isEqualTo(1);
    }

    @Test
    void briefParameterStoreThrottlingIsRetriedInsideTheRefreshAndNeverReachesTheRoute() {
        emulator.faults().failNext("ssm", "GetParameter", 3, "ThrottlingException", 400);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{\"n\":1}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"n\":1}");
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(4);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void parameterStoreThrottlingBeyondTheRefreshDeadlineIsAThrottledRetryableExternalIdError()
            throws InterruptedException {
        emulator.faults().failNext("ssm", "GetParameter", 1_000, "ThrottlingException", 400);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(ExternalIdUnavailableException.class);
        ExternalIdUnavailableException error = (ExternalIdUnavailableException) result.getException();
        assertThat(error.getReason()).isEqualTo(ExternalIdUnavailableException.Reason.THROTTLED);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.getMessage()).contains("/globex/prod/trustKey").contains("ThrottlingException");
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
        assertThat(emulator.count("ssm", "GetParameter")).isGreaterThan(1); // retried with back-off meanwhile

        // once Parameter Store answers again, the next message goes through
        emulator.faults().clear();
        Thread.sleep(TenantCredentials.TRANSIENT_FAIL_FAST.toMillis() + 50); // the failure is remembered that long
        assertThat(template.requestBody("direct:echo", "{\"after\":2}", String.class))
                .isEqualTo("{\"after\":2}");
    }

    @Test
    void stsThrottlingBeyondTheRefreshDeadlineIsARetryableCredentialsError() throws InterruptedException {
        emulator.faults().failNext("sts", "AssumeRole", 1_000, "Throttling", 400);

        Exchange result = template.request("direct:echo", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(CredentialsUnavailableException.class);
        CredentialsUnavailableException error = (CredentialsUnavailableException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("Throttling");
        assertThat(error.isRetryable()).isTrue();
        emulator.faults().clear();
        Thread.sleep(TenantCredentials.TRANSIENT_FAIL_FAST.toMillis() + 50); // the failure is remembered that long
        assertThat(template.requestBody("direct:echo", "{\"after\":3}", String.class))
                .isEqualTo("{\"after\":3}");
    }

    @Test
    void briefStsThrottlingIsRetriedInsideTheRefresh() {
        emulator.faults().failNext("sts", "AssumeRole", 3, "Throttling", 400);

        assertThat(template.requestBody("direct:echo", "{\"n\":4}", String.class))
                .isEqualTo("{\"n\":4}");
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(4);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
    }

    @Test
    void aTimeoutIsNotClaimedSafeToRetryBecauseTheFunctionMayHaveRun() throws InterruptedException {
        Exchange result = template.request("direct:slow", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException())
                .isInstanceOf(LambdaServiceException.class)
                .hasMessageContaining("apiCallTimeout");
        assertThat(((LambdaServiceException) result.getException()).isRetryable())
                .isFalse();
        // the function runs on after the client gave up, and the emulator logs the call when it ends: wait for that,
        // so the call is not counted by whichever test runs next
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (emulator.calls().stream()
                        .noneMatch(c -> String.valueOf(c.resource()).endsWith(":function:Slow"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void headersCannotRedirectTheEndpointToAnotherRoleKeyOrFunction() {
        Exchange result = template.request("direct:echo", e -> {
            e.getMessage().setBody("{\"x\":1}");
            e.getMessage().setHeader("roleArn", TestScenario.ACME_ROLE);
            e.getMessage().setHeader("externalIdKey", TestScenario.ACME_KEY);
            e.getMessage().setHeader("CamelSidecarLambdaFunction", "SideCarJsonResponse");
            e.getMessage().setHeader("CamelSidecarLambdaRoleArn", TestScenario.ACME_ROLE);
            e.getMessage().setHeader("CamelAwsLambdaFunctionName", "SideCarJsonResponse");
        });

        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"x\":1}");
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("AssumeRole"))
                .singleElement()
                .satisfies(c -> assertThat(c.resource()).isEqualTo(TestScenario.GLOBEX_ROLE));
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .singleElement()
                .satisfies(
                        c -> assertThat(c.resource()).isEqualTo("arn:aws:lambda:us-east-1:222233334444:function:Echo"));
    }
}
