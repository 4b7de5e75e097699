package io.github.sidecarlambda.springboot;

import java.time.Duration;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's auto-configuration, as Spring Boot loads it from AutoConfiguration.imports: properties reach the
 * component Camel creates, with the component's own meaning (flat options of the nested configuration, durations,
 * bean references), and the enabled flags switch it off. The whole route against the emulator is proved by
 * examples/spring-boot.
 */
class SidecarLambdaComponentAutoConfigurationTest {

    private static final AwsCredentialsProvider PLATFORM =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-real-secret"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    SidecarLambdaComponentConverter.class, SidecarLambdaComponentAutoConfiguration.class))
            .withBean("platformCredentials", AwsCredentialsProvider.class, () -> PLATFORM);

    @Test
    void propertiesConfigureTheComponentCamelCreates() {
        runner.withPropertyValues(
                "camel.component.sidecar-lambda.region=eu-west-1",
                "camel.component.sidecar-lambda.parameter-store-region=eu-central-1",
                "camel.component.sidecar-lambda.sts-endpoint-override=http://127.0.0.1:4566",
                "camel.component.sidecar-lambda.role-name-prefix=tibco_sidecar_connector",
                "camel.component.sidecar-lambda.session-duration=15m",
                "camel.component.sidecar-lambda.api-call-timeout=60000",
                "camel.component.sidecar-lambda.max-retries=1",
                "camel.component.sidecar-lambda.max-cached-tenants=500",
                "camel.component.sidecar-lambda.credentials-idle-timeout=PT30M",
                "camel.component.sidecar-lambda.base-credentials-provider=#bean:platformCredentials")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SidecarLambdaComponent component = context.getBean(CamelContext.class)
                            .getComponent("sidecar-lambda", SidecarLambdaComponent.class);
                    SidecarLambdaConfiguration config = component.getConfiguration();
                    assertThat(config.getRegion()).isEqualTo("eu-west-1");
                    assertThat(config.getParameterStoreRegion()).isEqualTo("eu-central-1");
                    assertThat(config.getStsEndpointOverride()).isEqualTo("http://127.0.0.1:4566");
                    assertThat(config.getRoleNamePrefix()).isEqualTo("tibco_sidecar_connector");
                    assertThat(config.getSessionDuration()).isEqualTo(Duration.ofMinutes(15).toMillis());
                    assertThat(config.getApiCallTimeout()).isEqualTo(60_000L);
                    assertThat(config.getMaxRetries()).isEqualTo(1);
                    assertThat(config.getBaseCredentialsProvider()).isSameAs(PLATFORM);
                    assertThat(component.getMaxCachedTenants()).isEqualTo(500L);
                    assertThat(component.getCredentialsIdleTimeout()).isEqualTo(Duration.ofMinutes(30).toMillis());
                });
    }

    @Test
    void theShortBeanReferenceFormWorksToo() {
        runner.withPropertyValues("camel.component.sidecar-lambda.base-credentials-provider=#platformCredentials")
                .run(context -> assertThat(context.getBean(CamelContext.class)
                        .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                        .getConfiguration().getBaseCredentialsProvider()).isSameAs(PLATFORM));
    }

    @Test
    void unsetPropertiesKeepTheComponentDefaults() {
        runner.run(context -> {
            SidecarLambdaConfiguration config = context.getBean(CamelContext.class)
                    .getComponent("sidecar-lambda", SidecarLambdaComponent.class).getConfiguration();
            SidecarLambdaConfiguration defaults = new SidecarLambdaConfiguration();
            assertThat(config.getRegion()).isNull();
            assertThat(config.getBaseCredentialsProvider()).isNull();
            assertThat(config.getRoleNamePrefix()).isEqualTo(defaults.getRoleNamePrefix());
            assertThat(config.getSessionDuration()).isEqualTo(defaults.getSessionDuration());
            assertThat(config.getPrefetchTime()).isEqualTo(defaults.getPrefetchTime());
            assertThat(config.getStaleTime()).isEqualTo(defaults.getStaleTime());
            assertThat(config.getApiCallTimeout()).isEqualTo(defaults.getApiCallTimeout());
            assertThat(config.getMaxConcurrency()).isEqualTo(defaults.getMaxConcurrency());
            assertThat(config.getInvocationType()).isEqualTo(defaults.getInvocationType());
        });
    }

    @Test
    void aCredentialsValueThatIsNotABeanReferenceFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("camel.component.sidecar-lambda.base-credentials-provider=platformCredentials")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("camel.component.sidecar-lambda.base-credentials-provider")
                            .rootCause().hasMessageContaining("expects a bean reference, #bean:name or #name");
                });
    }

    @Test
    void theComponentEnabledFlagSwitchesTheStarterOff() {
        runner.withPropertyValues("camel.component.sidecar-lambda.enabled=false",
                        "camel.component.sidecar-lambda.region=eu-west-1")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SidecarLambdaComponentAutoConfiguration.class);
                    assertThat(context.getBean(CamelContext.class)
                            .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                            .getConfiguration().getRegion()).isNull();
                });
    }

    @Test
    void theCustomizerFlagSwitchesThePropertiesOff() {
        runner.withPropertyValues("camel.component.sidecar-lambda.customizer.enabled=false",
                        "camel.component.sidecar-lambda.region=eu-west-1")
                .run(context -> assertThat(context.getBean(CamelContext.class)
                        .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                        .getConfiguration().getRegion()).isNull());
    }
}
