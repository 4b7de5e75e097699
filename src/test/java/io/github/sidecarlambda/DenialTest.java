package io.github.sidecarlambda;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/** Each way AWS says no reaches the route as the right typed exception with a message that helps. */
class DenialTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String fn = "sidecar-lambda:" + SeedScenario.FUNCTION_NAME;
                from("direct:wrongExternalId")
                        .to(fn + "?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_WRONG_KEY);
                from("direct:missingParameter")
                        .to(fn + "?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_MISSING_KEY);
                from("direct:untrusting")
                        .to(fn + "?roleArn=" + TestScenario.ACME_UNTRUSTING_ROLE + "&externalIdKey="
                                + TestScenario.ACME_KEY);
                from("direct:notPermitted")
                        .to("sidecar-lambda:" + TestScenario.ACME_RESTRICTED_FUNCTION + "?roleArn="
                                + TestScenario.ACME_ROLE + "&externalIdKey=" + TestScenario.ACME_KEY);
                from("direct:qualifierNotCovered").to(acme() + "&qualifier=$LATEST");
                from("direct:unknownFunction").to(globex("NoSuchFunction"));
            }
        };
    }

    @Test
    void wrongExternalIdIsAnAssumeRoleDenialThatListsWhatToCheckWithoutTheValue() {
        Exchange result =
                template.request("direct:wrongExternalId", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(AssumeRoleDeniedException.class);
        AssumeRoleDeniedException error = (AssumeRoleDeniedException) result.getException();
        assertThat(error.getRoleArn()).isEqualTo(TestScenario.ACME_ROLE);
        assertThat(error.getExternalIdKey()).isEqualTo("/acme/staging/trustKey");
        assertThat(error.getMessage())
                .contains(TestScenario.ACME_ROLE)
                .contains("/acme/staging/trustKey")
                .contains("trust policy")
                .contains("sts:ExternalId")
                .contains("Principal")
                .doesNotContain(TestScenario.ACME_WRONG_EXTERNAL_ID)
                .doesNotContain(SeedScenario.EXTERNAL_ID);
        assertThat(error.isRetryable()).isFalse();
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void aRoleThatDoesNotTrustThePlatformGivesTheSameDenialWords() {
        Exchange wrongId =
                template.request("direct:wrongExternalId", e -> e.getMessage().setBody("{}"));
        Exchange untrusting =
                template.request("direct:untrusting", e -> e.getMessage().setBody("{}"));

        assertThat(untrusting.getException()).isInstanceOf(AssumeRoleDeniedException.class);
        // AWS does not say which check failed, so neither do we: the hint is the same
        String hint = wrongId.getException().getMessage();
        assertThat(untrusting
                        .getException()
                        .getMessage()
                        .substring(untrusting.getException().getMessage().indexOf("AWS does not say")))
                .isEqualTo(hint.substring(hint.indexOf("AWS does not say"))
                        .replace(TestScenario.ACME_ROLE, TestScenario.ACME_UNTRUSTING_ROLE)
                        .replace("/acme/staging/trustKey", "/acme/prod/trustKey"));
    }

    @Test
    void missingParameterIsExternalIdUnavailableNamingTheKey() {
        Exchange result =
                template.request("direct:missingParameter", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(ExternalIdUnavailableException.class);
        ExternalIdUnavailableException error = (ExternalIdUnavailableException) result.getException();
        assertThat(error.getReason()).isEqualTo(ExternalIdUnavailableException.Reason.NOT_FOUND);
        assertThat(error.getParameterName()).isEqualTo("/acme/dev/trustKey");
        assertThat(error.getMessage()).contains("/acme/dev/trustKey").contains("not found");
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
        assertThat(emulator.count("lambda", "Invoke")).isZero();
    }

    @Test
    void invokeWithoutPermissionIsALambdaServiceAccessDenial() {
        Exchange result =
                template.request("direct:notPermitted", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("AccessDeniedException");
        assertThat(error.getStatusCode()).isEqualTo(403);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).contains("lambda:InvokeFunction").contains("Restricted");
    }

    @Test
    void aQualifierThePolicyDoesNotCoverIsDenied() {
        Exchange result = template.request(
                "direct:qualifierNotCovered", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("AccessDeniedException");
        assertThat(error.getMessage()).contains("qualifier $LATEST");
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .singleElement()
                .satisfies(c -> assertThat(c.resource()).isEqualTo(SeedScenario.FUNCTION_ARN + ":$LATEST"));
    }

    @Test
    void unknownFunctionIsResourceNotFound() {
        Exchange result =
                template.request("direct:unknownFunction", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(LambdaServiceException.class);
        LambdaServiceException error = (LambdaServiceException) result.getException();
        assertThat(error.getAwsErrorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(error.getStatusCode()).isEqualTo(404);
    }

    @Test
    void aConfirmedDenialFailsFastWithoutAnStsCallPerMessage() {
        for (int i = 0; i < 10; i++) {
            Exchange result = template.request(
                    "direct:wrongExternalId", e -> e.getMessage().setBody("{}"));
            assertThat(result.getException()).isInstanceOf(AssumeRoleDeniedException.class);
        }
        // one denied AssumeRole; the External ID had just been read, so no re-read either
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
    }
}
