package io.github.sidecarlambda.springboot;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.sidecarlambda.SidecarLambdaConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Binds the object-typed properties from a bean reference, as Camel's starters do:
 * {@code camel.component.sidecar-lambda.base-credentials-provider=#bean:platformCredentials} (or {@code #platformCredentials})
 * resolves to the Spring bean of that name. Any other text fails the binding, with the property's name, instead of
 * binding {@code null} and leaving the platform identity silently on the default chain.
 */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesBinding
@Component
public class SidecarLambdaComponentConverter implements GenericConverter {

    @Autowired
    private ApplicationContext applicationContext;

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        Set<ConvertiblePair> answer = new LinkedHashSet<>();
        answer.add(new ConvertiblePair(String.class, SidecarLambdaConfiguration.class));
        answer.add(new ConvertiblePair(String.class, AwsCredentialsProvider.class));
        return answer;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString();
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("expects a bean reference, #bean:name or #name, of type "
                    + targetType.getType().getName());
        }
        ref = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        return applicationContext.getBean(ref, targetType.getType());
    }
}
