package io.github.sidecarlambda.springboot;

import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;

/**
 * Applies the {@code camel.component.sidecar-lambda.*} properties to the {@code sidecar-lambda} component when Camel
 * creates it, through a {@link ComponentCustomizer} that hands every set property to the component's generated
 * configurer (so a property means exactly what the same option means in a URI or in Camel Main). Switched off, as in
 * every Camel starter, by {@code camel.component.enabled=false} or {@code camel.component.sidecar-lambda.enabled=false}
 * (the component then keeps its defaults), and the customizer alone by {@code ...customizer.enabled=false}. Only
 * the properties the application sets are applied (the generated properties class presets none), so an option not
 * set keeps the component's default, and a {@code configuration} bean keeps its values under the properties that are
 * set.
 */
@AutoConfiguration(after = {CamelAutoConfiguration.class, SidecarLambdaComponentConverter.class})
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ComponentConfigurationProperties.class, SidecarLambdaComponentConfiguration.class})
@ConditionalOnHierarchicalProperties({"camel.component", "camel.component.sidecar-lambda"})
public class SidecarLambdaComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final SidecarLambdaComponentConfiguration configuration;

    public SidecarLambdaComponentAutoConfiguration(
            ApplicationContext applicationContext, SidecarLambdaComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.configuration = configuration;
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureSidecarLambdaComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                // a configuration bean first, so the flat properties that are set (only those: the properties
                // class presets nothing) apply on top of it, whatever order the copy below takes
                SidecarLambdaConfiguration bean = configuration.getConfiguration();
                if (bean != null) {
                    ((SidecarLambdaComponent) target).setConfiguration(bean);
                }
                CamelPropertiesHelper.copyProperties(target.getCamelContext(), configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(
                                applicationContext,
                                "camel.component.customizer",
                                "camel.component.sidecar-lambda.customizer")
                        && target instanceof SidecarLambdaComponent;
            }
        };
    }
}
