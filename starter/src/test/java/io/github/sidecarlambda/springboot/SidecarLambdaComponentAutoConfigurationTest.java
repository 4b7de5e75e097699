package io.github.sidecarlambda.springboot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import io.github.sidecarlambda.InvocationType;
import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;
import io.github.sidecarlambda.SidecarPoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's auto-configuration, as Spring Boot loads it from AutoConfiguration.imports: properties reach the
 * component Camel creates, with the component's own meaning (flat options of the nested configuration, durations,
 * bean references), an option of each kind and every option of the catalog reach it, and the enabled flags switch it
 * off. The whole route against the emulator is proved by examples/spring-boot.
 */
class SidecarLambdaComponentAutoConfigurationTest {

    private static final AwsCredentialsProvider PLATFORM =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-real-secret"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    CamelAutoConfiguration.class,
                    SidecarLambdaComponentConverter.class,
                    SidecarLambdaComponentAutoConfiguration.class))
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
                    assertThat(config.getSessionDuration())
                            .isEqualTo(Duration.ofMinutes(15).toMillis());
                    assertThat(config.getApiCallTimeout()).isEqualTo(60_000L);
                    assertThat(config.getMaxRetries()).isEqualTo(1);
                    assertThat(config.getBaseCredentialsProvider()).isSameAs(PLATFORM);
                    assertThat(component.getMaxCachedTenants()).isEqualTo(500L);
                    assertThat(component.getCredentialsIdleTimeout())
                            .isEqualTo(Duration.ofMinutes(30).toMillis());
                });
    }

    @Test
    void aPropertyOfEachKindReachesTheComponent() {
        runner.withPropertyValues(
                        // enums: a String option with allowed values, and Java enums (Spring binds them
                        // case-insensitively)
                        "camel.component.sidecar-lambda.invocation-type=Event",
                        "camel.component.sidecar-lambda.sidecar=PreProcessor",
                        "camel.component.sidecar-lambda.synchronicity=event",
                        // booleans
                        "camel.component.sidecar-lambda.fail-safe=true",
                        "camel.component.sidecar-lambda.throw-on-function-error=false",
                        // numbers: an int of the nested configuration, an int of the component
                        "camel.component.sidecar-lambda.max-payload-size=64",
                        "camel.component.sidecar-lambda.completion-threads=3",
                        // strings
                        "camel.component.sidecar-lambda.qualifier=live",
                        "camel.component.sidecar-lambda.expand-input=requestPayload,operation",
                        // durations, in Spring's text (sidecarTimeout too: it was a Long, so 15m failed to bind)
                        "camel.component.sidecar-lambda.external-id-cache-ttl=2m",
                        "camel.component.sidecar-lambda.sidecar-timeout=15m",
                        // the multi-value option, one property per parameter
                        "camel.component.sidecar-lambda.sidecar-params.tier=gold")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SidecarLambdaComponent component = context.getBean(CamelContext.class)
                            .getComponent("sidecar-lambda", SidecarLambdaComponent.class);
                    SidecarLambdaConfiguration config = component.getConfiguration();
                    assertThat(config.getInvocationType()).isEqualTo("Event");
                    assertThat(config.getSidecar()).isEqualTo(SidecarPoint.PreProcessor);
                    assertThat(config.getSynchronicity()).isEqualTo(InvocationType.Event);
                    assertThat(config.isFailSafe()).isTrue();
                    assertThat(config.isThrowOnFunctionError()).isFalse();
                    assertThat(config.getMaxPayloadSize()).isEqualTo(64);
                    assertThat(component.getCompletionThreads()).isEqualTo(3);
                    assertThat(config.getQualifier()).isEqualTo("live");
                    assertThat(config.getExpandInput()).isEqualTo("requestPayload,operation");
                    assertThat(config.getExternalIdCacheTtl())
                            .isEqualTo(Duration.ofMinutes(2).toMillis());
                    assertThat(config.getSidecarTimeout()).isEqualTo(900_000L);
                    assertThat(config.getSidecarParams()).containsEntry("tier", "gold");
                });
    }

    /**
     * A {@code configuration} bean keeps its values: properties the application did not set must not overwrite them
     * with the catalog defaults (the generated properties class once carried every default, and the customizer copied
     * them over the bean's values), while a property that is set still applies on top of the bean.
     */
    @Test
    void aConfigurationBeanKeepsItsValuesAndSetPropertiesApplyOnTop() {
        SidecarLambdaConfiguration bean = new SidecarLambdaConfiguration();
        bean.setMaxRetries(0);
        bean.setRoleNamePrefix("acme_");
        bean.setThrowOnFunctionError(false);
        bean.setSessionDuration(900_000L);
        bean.setMaxConcurrency(5);
        bean.setRegion("eu-central-1");
        runner.withBean("cfg", SidecarLambdaConfiguration.class, () -> bean)
                .withPropertyValues(
                        "camel.component.sidecar-lambda.configuration=#bean:cfg",
                        "camel.component.sidecar-lambda.region=eu-west-1",
                        "camel.component.sidecar-lambda.max-payload-size=64",
                        "camel.component.sidecar-lambda.completion-threads=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SidecarLambdaComponent component = context.getBean(CamelContext.class)
                            .getComponent("sidecar-lambda", SidecarLambdaComponent.class);
                    SidecarLambdaConfiguration config = component.getConfiguration();
                    assertThat(config.getMaxRetries()).isZero();
                    assertThat(config.getRoleNamePrefix()).isEqualTo("acme_");
                    assertThat(config.isThrowOnFunctionError()).isFalse();
                    assertThat(config.getSessionDuration()).isEqualTo(900_000L);
                    assertThat(config.getMaxConcurrency()).isEqualTo(5);
                    // set properties apply on top of the bean
                    assertThat(config.getRegion()).isEqualTo("eu-west-1");
                    assertThat(config.getMaxPayloadSize()).isEqualTo(64);
                    assertThat(component.getCompletionThreads()).isEqualTo(3);
                });
    }

    /** Without any property the component keeps its own defaults (the properties class sets nothing by itself). */
    @Test
    void withoutPropertiesTheComponentKeepsItsOwnDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SidecarLambdaComponent component =
                    context.getBean(CamelContext.class).getComponent("sidecar-lambda", SidecarLambdaComponent.class);
            SidecarLambdaConfiguration defaults = new SidecarLambdaConfiguration();
            SidecarLambdaConfiguration config = component.getConfiguration();
            assertThat(config.getMaxRetries()).isEqualTo(defaults.getMaxRetries());
            assertThat(config.getRoleNamePrefix()).isEqualTo(defaults.getRoleNamePrefix());
            assertThat(config.getSessionDuration()).isEqualTo(defaults.getSessionDuration());
            assertThat(config.getMaxConcurrency()).isEqualTo(defaults.getMaxConcurrency());
        });
    }

    /**
     * Every option of the catalog but the object ones (bean references, above), set to a value other than its default,
     * reaches the component Camel creates, read back through the component's generated configurer: what the
     * completeness check of the properties class promises is what the component gets.
     */
    @Test
    void everyOptionOfTheCatalogSetInPropertiesReachesTheComponent() throws Exception {
        List<String> properties = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Map.Entry<String, JsonObject> entry : Catalog.options().entrySet()) {
            String name = entry.getKey();
            JsonObject option = entry.getValue();
            Object defaultValue = option.get("defaultValue");
            String value;
            String reaches;
            switch (option.getString("type")) {
                case "boolean" -> {
                    value = String.valueOf(!Boolean.parseBoolean(String.valueOf(defaultValue)));
                    reaches = value;
                }
                case "integer" -> {
                    value = String.valueOf(defaultValue == null ? 1 : Long.parseLong(defaultValue.toString()) + 1);
                    reaches = value;
                }
                case "duration" -> {
                    long millis = defaultValue == null ? 2000 : Long.parseLong(defaultValue.toString()) + 1000;
                    // Spring's text for a Duration (seconds), a number for the Long-millisecond property
                    value = SidecarLambdaComponentConfiguration.class
                                            .getMethod(
                                                    "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1))
                                            .getReturnType()
                                    == Duration.class
                            ? millis / 1000 + "s"
                            : String.valueOf(millis);
                    reaches = String.valueOf(millis);
                }
                case "enum" -> {
                    value = ((List<?>) option.get("enum"))
                            .stream()
                                    .map(String::valueOf)
                                    .filter(v -> !v.equals(String.valueOf(defaultValue)))
                                    .findFirst()
                                    .orElseThrow();
                    reaches = value;
                }
                case "string" -> {
                    value = name + "-value";
                    reaches = value;
                }
                case "object" -> {
                    if (!Boolean.TRUE.equals(option.get("multiValue"))) {
                        continue; // bean references: propertiesConfigureTheComponentCamelCreates
                    }
                    properties.add(Catalog.property(name) + ".p1=v1");
                    expected.put(name, "{p1=v1}");
                    continue;
                }
                default -> throw new AssertionError(name + ": no test value for type " + option.getString("type"));
            }
            properties.add(Catalog.property(name) + "=" + value);
            expected.put(name, reaches);
        }
        assertThat(expected).hasSizeGreaterThan(40);

        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasNotFailed();
            SidecarLambdaComponent component =
                    context.getBean(CamelContext.class).getComponent("sidecar-lambda", SidecarLambdaComponent.class);
            PropertyConfigurerGetter configurer = (PropertyConfigurerGetter) component.getComponentPropertyConfigurer();
            List<String> notApplied = new ArrayList<>();
            expected.forEach((name, value) -> {
                String actual = String.valueOf(configurer.getOptionValue(component, name, false));
                if (!actual.equals(value)) {
                    notApplied.add(name + ": " + actual + ", set to " + value);
                }
            });
            assertThat(notApplied).isEmpty();
        });
    }

    @Test
    void theShortBeanReferenceFormWorksToo() {
        runner.withPropertyValues("camel.component.sidecar-lambda.base-credentials-provider=#platformCredentials")
                .run(context -> assertThat(context.getBean(CamelContext.class)
                                .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                                .getConfiguration()
                                .getBaseCredentialsProvider())
                        .isSameAs(PLATFORM));
    }

    @Test
    void unsetPropertiesKeepTheComponentDefaults() {
        runner.run(context -> {
            SidecarLambdaConfiguration config = context.getBean(CamelContext.class)
                    .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                    .getConfiguration();
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
                            .rootCause()
                            .hasMessageContaining("expects a bean reference, #bean:name or #name");
                });
    }

    @Test
    void theComponentEnabledFlagSwitchesTheStarterOff() {
        runner.withPropertyValues(
                        "camel.component.sidecar-lambda.enabled=false",
                        "camel.component.sidecar-lambda.region=eu-west-1")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SidecarLambdaComponentAutoConfiguration.class);
                    assertThat(context.getBean(CamelContext.class)
                                    .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                                    .getConfiguration()
                                    .getRegion())
                            .isNull();
                });
    }

    @Test
    void theCustomizerFlagSwitchesThePropertiesOff() {
        runner.withPropertyValues(
                        "camel.component.sidecar-lambda.customizer.enabled=false",
                        "camel.component.sidecar-lambda.region=eu-west-1")
                .run(context -> assertThat(context.getBean(CamelContext.class)
                                .getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                                .getConfiguration()
                                .getRegion())
                        .isNull());
    }
}
