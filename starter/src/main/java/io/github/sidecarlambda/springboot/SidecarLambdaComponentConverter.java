package io.github.sidecarlambda.springboot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.stereotype.Component;

/**
 * Binds the object-typed properties from a bean reference, as Camel's starters do:
 * {@code camel.component.sidecar-lambda.base-credentials-provider=#bean:platformCredentials} (or {@code #platformCredentials})
 * resolves to the Spring bean of that name. Any other text fails the binding, with the property's name, instead of
 * binding {@code null} and leaving the platform identity silently on the default chain. The types are those of the
 * generated {@link SidecarLambdaComponentConfiguration}'s object properties (today {@code configuration} and
 * {@code base-credentials-provider}), so a new object option of the component binds without an edit here.
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
        for (Class<?> type : beanReferenceTypes()) {
            answer.add(new ConvertiblePair(String.class, type));
        }
        return answer;
    }

    /**
     * The types of the properties that bind from a bean reference: every property type of
     * {@link SidecarLambdaComponentConfiguration} but text, numbers, booleans, durations, enums, maps, collections,
     * arrays and {@code Object}, which Spring Boot binds itself (a converter from text to {@code Object} would take
     * over every such binding of the application).
     */
    static Set<Class<?>> beanReferenceTypes() {
        Set<Class<?>> types = new LinkedHashSet<>();
        Arrays.stream(SidecarLambdaComponentConfiguration.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())
                        && m.getName().startsWith("set")
                        && m.getParameterCount() == 1)
                .sorted(Comparator.comparing(Method::getName))
                .map(m -> m.getParameterTypes()[0])
                .filter(t -> !t.isPrimitive()
                        && !t.isEnum()
                        && !t.isArray()
                        && t != Object.class
                        && t != String.class
                        && t != Boolean.class
                        && t != Character.class
                        && !Number.class.isAssignableFrom(t)
                        && t != Duration.class
                        && !Map.class.isAssignableFrom(t)
                        && !Collection.class.isAssignableFrom(t))
                .forEach(types::add);
        return types;
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
