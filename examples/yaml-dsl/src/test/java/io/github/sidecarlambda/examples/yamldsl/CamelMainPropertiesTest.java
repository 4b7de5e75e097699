package io.github.sidecarlambda.examples.yamldsl;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML route in a Camel Main application whose component is configured only by
 * {@code camel.component.sidecar-lambda.*} properties (camel-main.properties): camel-main binds them through the
 * component's configurer, including a duration as text and the platform identity as a bean reference.
 */
class CamelMainPropertiesTest {

    static AwsEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = SeedScenario.builder().start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void camelMainAppliesTheComponentProperties() throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:camel-main.properties");
        main.addInitialProperty("emulator.endpoint", emulator.endpoint().toString());
        main.bind("emulatedPlatformIdentity", emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN));
        main.start();
        try {
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            Exchange result =
                    template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":9}"));

            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getBody(String.class))
                    .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":9},\"function\":\"SideCarJsonResponse\"}");
            assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
            assertThat(main.getCamelContext()
                            .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                            .getConfiguration()
                            .getApiCallTimeout())
                    .isEqualTo(60_000L);
        } finally {
            main.stop();
        }
    }
}
