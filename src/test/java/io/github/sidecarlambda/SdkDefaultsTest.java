package io.github.sidecarlambda;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no endpoint, region or credentials option set, the component uses the AWS SDK's normal configuration: the
 * default credential chain, the region chain and {@code aws.endpointUrl*}. Here all three come from the JVM's system
 * properties, as they would from an operator's environment, and point at the emulator.
 */
class SdkDefaultsTest extends CamelTestSupport {

    static AwsEmulator emulator;
    static final Map<String, String> PROPERTIES = new java.util.HashMap<>();

    @BeforeAll
    static void environment() {
        emulator = SeedScenario.builder().start();
        AwsSessionCredentials platform = (AwsSessionCredentials)
                emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN).resolveCredentials();
        PROPERTIES.put("aws.region", SeedScenario.REGION);
        PROPERTIES.put("aws.endpointUrl", emulator.endpoint().toString());
        PROPERTIES.put("aws.accessKeyId", platform.accessKeyId());
        PROPERTIES.put("aws.secretAccessKey", platform.secretAccessKey());
        PROPERTIES.put("aws.sessionToken", platform.sessionToken());
        SidecarLambdaTestSupport.SECRETS.add(platform.secretAccessKey());
        SidecarLambdaTestSupport.SECRETS.add(platform.sessionToken());
        PROPERTIES.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        PROPERTIES.keySet().forEach(System::clearProperty);
        emulator.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // exactly the brief's route: no region, no endpoints, no credentials
                from("direct:orders")
                        .to("sidecar-lambda:SideCarJsonResponse"
                                + "?roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                                + "&externalIdKey=acme/prod/trustKey");
            }
        };
    }

    @Test
    void theSdksDefaultChainsAndEndpointSettingsApply() {
        Exchange result = template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":1}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":1},\"function\":\"SideCarJsonResponse\"}");
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("GetParameter"))
                .singleElement()
                .satisfies(c -> assertThat(c.principalArn())
                        .isEqualTo("arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance"));
    }
}
