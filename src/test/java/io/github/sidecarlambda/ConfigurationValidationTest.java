package io.github.sidecarlambda;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.sidecarlambda.aws.AwsErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad options are rejected when the endpoint is created, before any AWS call, with a message that names the option,
 * the rule and the rejected value.
 */
class ConfigurationValidationTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dynamic")
                        .onException(SidecarLambdaConfigurationException.class)
                        .handled(true)
                        .setBody(simple("handled: ${exception.class.simpleName}"))
                        .end()
                        .toD("sidecar-lambda:f?externalIdKey=" + KEY + "&roleArn=${header.role}");
            }
        };
    }

    private static final String ROLE = TestScenario.ACME_ROLE;
    private static final String KEY = TestScenario.ACME_KEY;

    private SidecarLambdaConfigurationException rejected(String uri) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context.getEndpoint(uri));
        assertThat(thrown).isNotNull();
        SidecarLambdaConfigurationException error = AwsErrors.cause(thrown, SidecarLambdaConfigurationException.class);
        assertThat(error).as("cause of %s", thrown).isNotNull();
        assertThat(emulator.calls()).as("AWS calls before the error").isEmpty();
        return error;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "roleArn=arn:aws:iam::64176967354:role/Boomi_sidecar_connector_acme | roleArn | 12-digit account",
                "roleArn=arn:aws:iam::641769673540:user/Boomi_sidecar_connector_acme | roleArn | :role/",
                "roleArn=arn:aws-eu:iam::641769673540:role/Boomi_sidecar_connector_acme | roleArn | aws-us-gov",
                "roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme!x | roleArn | 1-64 characters",
                "roleArn=arn:aws:iam::641769673540:role/tibco_sidecar_connector_acme | roleArn | prefix 'Boomi_sidecar_connector'",
                "roleSessionName=a | roleSessionName | 2-64 characters",
                "roleSessionName=has space | roleSessionName | 2-64 characters",
                "sessionDuration=600000 | sessionDuration | 900 s",
                "sessionDuration=13h | sessionDuration | 43200 s",
                "region=US_EAST_1 | region | like us-east-1",
                "parameterStoreRegion=mars | parameterStoreRegion | like us-east-1",
                "qualifier=bad:qualifier | qualifier | 1-128 characters",
                "invocationType=Async | invocationType | must be RequestResponse, Event or DryRun; was 'Async'",
                "logType=tail | logType | must be None or Tail; was 'tail'",
                "maxRetries=11 | maxRetries | 0 to 10",
                "region=xx-fake-9 | region | not an AWS region",
                "region=cn-north-1 | region | partition aws-cn",
                "parameterStoreRegion=zz-nowhere-1 | parameterStoreRegion | not an AWS region",
                "clientContext=not-json | clientContext | JSON object",
                "prefetchTime=5s | prefetchTime | greater than staleTime",
                "maxConcurrency=0 | maxConcurrency | at least 1",
                "lambdaEndpointOverride=ftp://x | lambdaEndpointOverride | http(s) URI",
                // text Camel's conversion took as 0, as another value, or failed on without naming the option
                "maxRetries=two | maxRetries | must be a whole number; was 'two'",
                "maxConcurrency=abc | maxConcurrency | must be a whole number; was 'abc'",
                "maxRetries=99999999999 | maxRetries | within an int; was '99999999999'",
                "staleTime=abc | staleTime | must be a duration: milliseconds (60000), Camel's text (1h30m, 15m, 10s, 500ms) or ISO-8601 (PT1H30M); was 'abc'",
                "externalIdCacheTtl=ten | externalIdCacheTtl | or ISO-8601 (PT1H30M); was 'ten'",
                "apiCallTimeout=1x | apiCallTimeout | or ISO-8601 (PT1H30M); was '1x'",
                "sessionDuration=1h30 | sessionDuration | or ISO-8601 (PT1H30M); was '1h30'",
                "staleTime=10 s | staleTime | or ISO-8601 (PT1H30M); was '10 s'",
                "sessionDuration=PT1X | sessionDuration | or ISO-8601 (PT1H30M); was 'PT1X'",
                "throwOnFunctionError=yes | throwOnFunctionError | must be true or false; was 'yes'",
                "sidecar=Pre | sidecar | must be PreProcessor or PostProcessor; was 'Pre'",
                "sidecar=PreProcessor&synchronicity=Async | synchronicity | must be RequestResponse or Event; was 'Async'",
                // sidecar-mode options on an endpoint that is not in sidecar mode were silently ignored
                "synchronicity=Event | synchronicity | not in sidecar mode: set sidecar=PreProcessor",
                "sidecarTimeout=5s | sidecarTimeout | not in sidecar mode",
                "failSafe=true | failSafe | not in sidecar mode",
                "sidecarParam.tier=gold | sidecarParam.tier | not in sidecar mode",
            })
    void rejectsABadOptionNamingItTheRuleAndTheValue(String option, String name, String rule) {
        String uri = "sidecar-lambda:SideCarJsonResponse?externalIdKey=" + KEY + "&" + option
                + (option.startsWith("roleArn=") ? "" : "&roleArn=" + ROLE);
        SidecarLambdaConfigurationException error = rejected(uri);
        // the component's own typed error, naming the option: not a substring of a URI that Camel echoed
        assertThat(error.getOption()).isEqualTo(name);
        assertThat(error.getMessage()).startsWith(name + ": ").contains(rule);
    }

    /** The forms the duration, number, boolean and enum checks accept still configure what they say. */
    @Test
    void everyDocumentedFormOfANumberDurationBooleanOrEnumIsAccepted() {
        String base = "sidecar-lambda:SideCarJsonResponse?externalIdKey=" + KEY + "&roleArn=" + ROLE;
        SidecarLambdaEndpoint endpoint = context.getEndpoint(
                base + "&sessionDuration=1h30m&staleTime=PT15S&prefetchTime=120000&externalIdCacheTtl=1m30s"
                        + "&apiCallTimeout=500s&maxRetries=2&throwOnFunctionError=FALSE",
                SidecarLambdaEndpoint.class);
        SidecarLambdaConfiguration config = endpoint.getConfiguration();
        assertThat(config.getSessionDuration()).isEqualTo(5_400_000L);
        assertThat(config.getStaleTime()).isEqualTo(15_000L);
        assertThat(config.getPrefetchTime()).isEqualTo(120_000L);
        assertThat(config.getExternalIdCacheTtl()).isEqualTo(90_000L);
        assertThat(config.getApiCallTimeout()).isEqualTo(500_000L);
        assertThat(config.getMaxRetries()).isEqualTo(2);
        assertThat(config.isThrowOnFunctionError()).isFalse();
        SidecarLambdaEndpoint sidecar = context.getEndpoint(
                base + "&sidecar=preprocessor&synchronicity=Event&sidecarTimeout=1day&sidecarParam.tier=gold",
                SidecarLambdaEndpoint.class);
        assertThat(sidecar.getConfiguration().getSidecar()).isEqualTo(SidecarPoint.PreProcessor);
        assertThat(sidecar.getConfiguration().getSynchronicity()).isEqualTo(InvocationType.Event);
        assertThat(sidecar.getConfiguration().getSidecarTimeout()).isEqualTo(86_400_000L);
        assertThat(sidecar.getConfiguration().getSidecarParams()).containsEntry("tier", "gold");
        // a sidecar-mode option is fine where the component puts every endpoint in sidecar mode
        context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                .getConfiguration()
                .setSidecar(SidecarPoint.PostProcessor);
        try {
            SidecarLambdaEndpoint viaComponent =
                    context.getEndpoint(base + "&failSafe=true&qualifier=x", SidecarLambdaEndpoint.class);
            assertThat(viaComponent.getConfiguration().isFailSafe()).isTrue();
        } finally {
            context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                    .getConfiguration()
                    .setSidecar(null);
        }
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void aHugeRoleArnIsAConfigurationErrorNotAStackOverflow() {
        String path = "/" + "p/".repeat(2_500);
        SidecarLambdaConfigurationException error = rejected("sidecar-lambda:f?externalIdKey=" + KEY
                + "&roleArn=arn:aws:iam::641769673540:role" + path + "Boomi_sidecar_connector_x");
        assertThat(error.getOption()).isEqualTo("roleArn");
        assertThat(error.getMessage()).contains("at most 2048 characters");
        // through toD the error reaches the route's onException (a StackOverflowError would have escaped it)
        Exchange result = template.request(
                "direct:dynamic",
                e -> e.getMessage()
                        .setHeader("role", "arn:aws:iam::641769673540:role" + path + "Boomi_sidecar_connector_x"));
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).startsWith("handled: ");
    }

    @Test
    void aFunctionInAnotherAccountThanTheRoleMustBeAllowedExplicitly() {
        String fn = "sidecar-lambda:arn:aws:lambda:us-east-1:222233334444:function:Echo?roleArn=" + ROLE
                + "&externalIdKey=" + KEY;
        SidecarLambdaConfigurationException error = rejected(fn);
        assertThat(error.getOption()).isEqualTo("function");
        assertThat(error.getMessage())
                .contains("222233334444")
                .contains("641769673540")
                .contains("allowCrossAccountFunction=true");
        assertThat(context.getEndpoint(fn + "&allowCrossAccountFunction=true")).isNotNull();
        assertThat(rejected("sidecar-lambda:222233334444:function:Echo?roleArn=" + ROLE + "&externalIdKey=" + KEY)
                        .getOption())
                .isEqualTo("function");
    }

    @ParameterizedTest
    @CsvSource({"my.function", "has.dot:live", "0123456789012345678901234567890123456789012345678901234567890123x"})
    void functionNamesLambdaRejectsAreRefusedAtCreation(String function) {
        assertThat(rejected("sidecar-lambda:" + function + "?roleArn=" + ROLE + "&externalIdKey=" + KEY)
                        .getOption())
                .isEqualTo("function");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "acme/prodtrustKey | <customer>/<environment>/<key>",
                "trustKey | <customer>/<environment>/<key>",
                "acme//trustKey | empty level",
                "acme/prod/trustKey/ | empty level",
                "aws/prod/trustKey | 'aws' or 'ssm'",
                "/ssm-acme/prod/trustKey | 'aws' or 'ssm'",
                "acme/prod/trust Key | a-z A-Z 0-9",
                "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p | at most 15 levels",
            })
    void rejectsAnExternalIdKeyOutsideTheSeedsHierarchyOrSsmRules(String key, String rule) {
        SidecarLambdaConfigurationException error =
                rejected("sidecar-lambda:SideCarJsonResponse?roleArn=" + ROLE + "&externalIdKey=" + key);
        assertThat(error.getOption()).isEqualTo("externalIdKey");
        assertThat(error.getMessage()).contains(rule);
    }

    @Test
    void roleNamePrefixMismatchIsRejectedBeforeAnyAwsCallEvenWhenARouteStarts() {
        String uri =
                "sidecar-lambda:SideCarJsonResponse?roleArn=arn:aws:iam::641769673540:role/tibco_sidecar_connector_acme"
                        + "&externalIdKey=" + KEY;
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:tibco").to(uri);
            }
        }));
        SidecarLambdaConfigurationException error = AwsErrors.cause(thrown, SidecarLambdaConfigurationException.class);
        assertThat(error).as("cause of %s", thrown).isNotNull();
        assertThat(error.getOption()).isEqualTo("roleArn");
        assertThat(error.getMessage())
                .contains("tibco_sidecar_connector_acme")
                .contains("Boomi_sidecar_connector")
                .contains("case-insensitively");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void roleNamePrefixIsCaseInsensitiveAndCanBeChangedOrDisabled() {
        assertThat(context.getEndpoint(
                        "sidecar-lambda:f?roleArn=arn:aws:iam::641769673540:role/BOOMI_SIDECAR_CONNECTOR_x&externalIdKey="
                                + KEY))
                .isNotNull();
        assertThat(context.getEndpoint(
                        "sidecar-lambda:f?roleArn=arn:aws:iam::641769673540:role/tibco_sidecar_connector_x&externalIdKey="
                                + KEY + "&roleNamePrefix=tibco_sidecar_connector"))
                .isNotNull();
        assertThat(context.getEndpoint("sidecar-lambda:f?roleArn=arn:aws:iam::641769673540:role/anything&externalIdKey="
                        + KEY + "&roleNamePrefix="))
                .isNotNull();
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void requiredOptionsAreNamedWhenMissing() {
        assertThat(rejected("sidecar-lambda:f?externalIdKey=" + KEY).getOption())
                .isEqualTo("roleArn");
        assertThat(rejected("sidecar-lambda:f?roleArn=" + ROLE).getOption()).isEqualTo("externalIdKey");
    }

    @Test
    void functionNamesFollowLambdasPattern() {
        assertThat(rejected("sidecar-lambda:bad name!?roleArn=" + ROLE + "&externalIdKey=" + KEY)
                        .getOption())
                .isEqualTo("function");
        SidecarLambdaConfigurationException conflict =
                rejected("sidecar-lambda:arn:aws:lambda:eu-west-1:641769673540:function:F?roleArn=" + ROLE
                        + "&externalIdKey=" + KEY + "&region=us-east-1");
        assertThat(conflict.getOption()).isEqualTo("region");
        assertThat(conflict.getMessage()).contains("eu-west-1").contains("us-east-1");
        SidecarLambdaConfigurationException twoQualifiers =
                rejected("sidecar-lambda:F:live?roleArn=" + ROLE + "&externalIdKey=" + KEY + "&qualifier=1");
        assertThat(twoQualifiers.getOption()).isEqualTo("qualifier");
    }

    @Test
    void aHierarchicalKeyIsSentFullyQualifiedAndAFlatOneCanBeAllowed() {
        SidecarLambdaEndpoint endpoint = (SidecarLambdaEndpoint)
                context.getEndpoint("sidecar-lambda:f?roleArn=" + ROLE + "&externalIdKey=acme/prod/trustKey");
        assertThat(endpoint.validated().parameterName().value()).isEqualTo("/acme/prod/trustKey");
        SidecarLambdaEndpoint flat = (SidecarLambdaEndpoint) context.getEndpoint(
                "sidecar-lambda:f?roleArn=" + ROLE + "&externalIdKey=trustKey&requireKeyHierarchy=false");
        assertThat(flat.validated().parameterName().value()).isEqualTo("trustKey");
    }

    @ParameterizedTest
    @CsvSource({
        "externalId",
        "ExternalID",
        "accessKey",
        "secretKey",
        "sessionToken",
        "token",
        "password",
        "EXTERNAL_ID",
        "external-id",
        "access_key_id",
        "pass_word",
        "Secret-Access-Key"
    })
    void aSecretInTheUriIsRefusedWithoutEchoingIt(String name) {
        SECRETS.add("secret-value-123"); // and the TRACE log is checked for it after this test
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> context.getEndpoint(
                "sidecar-lambda:f?roleArn=" + ROLE + "&externalIdKey=" + KEY + "&" + name + "=secret-value-123"));
        SidecarLambdaConfigurationException error = AwsErrors.cause(thrown, SidecarLambdaConfigurationException.class);
        assertThat(error).as("cause of %s", thrown).isNotNull();
        assertThat(error.getOption()).isEqualTo(name);
        assertThat(error.getMessage()).contains("externalIdKey");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(t.getMessage()).doesNotContain("secret-value-123");
        }
        assertThat(emulator.calls()).isEmpty();
    }
}
