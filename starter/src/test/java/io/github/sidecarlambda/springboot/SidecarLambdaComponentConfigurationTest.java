package io.github.sidecarlambda.springboot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties class is generated at build time from the component's catalog JSON (starter/pom.xml,
 * ConfigurationClassGenerator); this test checks the generated class against that catalog, read from the component
 * jar, independently of the generator: every option is a property of the type the starter promises for its kind
 * (booleans, numbers, Duration for durations, the enum or String for enums, the Java type of objects), null until set
 * (so an option not set keeps the component's default and a configuration bean keeps its values); no property is left
 * over from a gone option; Spring's configuration metadata lists every option with its description and the catalog
 * default; and every object option binds from a bean reference. The checks themselves are tested to find a missing,
 * mistyped, preset or left-over property and a wrong default in the metadata.
 */
class SidecarLambdaComponentConfigurationTest {

    /** Duration options whose property would be Long milliseconds (none: sidecarTimeout was until it failed to bind "15m"). */
    private static final Set<String> DURATIONS_AS_LONG_MILLIS = Set.of();

    @Test
    void everyComponentOptionIsAPropertyOfItsTypeAndNullUntilSet() throws Exception {
        Map<String, JsonObject> options = Catalog.options();
        assertThat(options).hasSizeGreaterThan(40).containsKeys("region", "sidecar", "maxCachedTenants");
        assertThat(problems(SidecarLambdaComponentConfiguration.class, options)).isEmpty();
    }

    /** The check above fails on a class that does not cover the catalog: it cannot pass by finding nothing. */
    @Test
    void theCheckFindsAMissingMistypedOrLeftOverProperty() throws Exception {
        Map<String, JsonObject> options = new LinkedHashMap<>(Catalog.options());
        JsonObject newOption = new JsonObject();
        newOption.put("type", "string");
        newOption.put("javaType", "java.lang.String");
        options.put("noSuchOption", newOption);
        JsonObject maxRetries = new JsonObject(options.get("maxRetries"));
        maxRetries.put("javaType", "long");
        options.put("maxRetries", maxRetries);
        options.remove("qualifier");

        assertThat(problems(SidecarLambdaComponentConfiguration.class, options))
                .containsExactlyInAnyOrder(
                        "noSuchOption: no property",
                        "maxRetries: type java.lang.Integer, the option needs java.lang.Long",
                        "qualifier: a property that is no component option");
    }

    @Test
    void springMetadataListsEveryOptionWithItsDescriptionAndDefault() throws Exception {
        assertThat(metadataProblems(Catalog.options())).isEmpty();
    }

    /** The metadata check finds a default that is not the catalog's: it cannot pass by finding nothing. */
    @Test
    void theMetadataCheckFindsAWrongDefault() throws Exception {
        Map<String, JsonObject> options = new LinkedHashMap<>(Catalog.options());
        JsonObject roleNamePrefix = new JsonObject(options.get("roleNamePrefix"));
        roleNamePrefix.put("defaultValue", "Other_prefix");
        options.put("roleNamePrefix", roleNamePrefix);
        JsonObject synchronicity = new JsonObject(options.get("synchronicity"));
        synchronicity.put("defaultValue", "Event");
        options.put("synchronicity", synchronicity);
        assertThat(metadataProblems(options))
                .containsExactlyInAnyOrder(
                        "camel.component.sidecar-lambda.role-name-prefix: default Boomi_sidecar_connector, catalog says"
                                + " Other_prefix",
                        "camel.component.sidecar-lambda.synchronicity: default RequestResponse, catalog says Event");
    }

    private static List<String> metadataProblems(Map<String, JsonObject> options) throws Exception {
        JsonObject metadata = Catalog.read("/META-INF/spring-configuration-metadata.json");
        Map<String, JsonObject> properties = new LinkedHashMap<>();
        for (Object p : (JsonArray) metadata.get("properties")) {
            properties.put(((JsonObject) p).getString("name"), (JsonObject) p);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonObject> option : options.entrySet()) {
            String name = Catalog.property(option.getKey());
            JsonObject property = properties.get(name);
            if (property == null) {
                problems.add(name + ": not in the metadata");
                continue;
            }
            String description =
                    option.getValue().getString("description").trim().replaceAll("\\s+", " ");
            String documented = String.valueOf(property.getString("description"));
            if (!documented.startsWith(description)) {
                problems.add(name + ": description '" + documented + "', catalog says '" + description + "'");
            }
            Object expected = option.getValue().get("defaultValue");
            Object actual = property.get("defaultValue");
            if (expected != null && "java.time.Duration".equals(property.getString("type"))) {
                expected = expected + "ms";
            }
            if (!String.valueOf(expected).equals(String.valueOf(actual))) {
                problems.add(name + ": default " + actual + ", catalog says " + expected);
            }
        }
        for (JsonObject property : properties.values()) {
            String name = property.getString("name");
            boolean inherited = name.endsWith(".enabled"); // Camel's own switches, documented by camel-spring-boot
            if (!inherited
                    && (property.getString("description") == null
                            || property.getString("description").isBlank())) {
                problems.add(name + ": no description");
            }
        }
        return problems;
    }

    @Test
    void everyObjectOptionBindsFromABeanReference() throws Exception {
        Set<Class<?>> objects = new LinkedHashSet<>();
        for (JsonObject option : Catalog.options().values()) {
            if ("object".equals(option.getString("type"))) {
                Class<?> type = Class.forName(option.getString("javaType").replaceAll("<.*", ""));
                if (!Map.class.isAssignableFrom(type) && !Collection.class.isAssignableFrom(type)) {
                    objects.add(type);
                }
            }
        }
        assertThat(objects)
                .contains(
                        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class,
                        io.github.sidecarlambda.SidecarLambdaConfiguration.class);
        assertThat(SidecarLambdaComponentConverter.beanReferenceTypes()).containsExactlyInAnyOrderElementsOf(objects);
    }

    /** What is wrong with a properties class for the options: empty when it covers them exactly. */
    static List<String> problems(Class<?> propertiesClass, Map<String, JsonObject> options) throws Exception {
        Object fresh = propertiesClass.getDeclaredConstructor().newInstance();
        List<String> problems = new ArrayList<>();
        Set<String> leftOver = new TreeSet<>();
        Arrays.stream(propertiesClass.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())
                        && m.getName().startsWith("set")
                        && m.getParameterCount() == 1)
                .forEach(m -> leftOver.add(Character.toLowerCase(m.getName().charAt(3))
                        + m.getName().substring(4)));

        for (Map.Entry<String, JsonObject> entry : options.entrySet()) {
            String name = entry.getKey();
            JsonObject option = entry.getValue();
            leftOver.remove(name);
            String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            Method getter;
            Method setter;
            try {
                getter = propertiesClass.getMethod("get" + suffix);
                setter = propertiesClass.getMethod("set" + suffix, getter.getReturnType());
            } catch (NoSuchMethodException e) {
                problems.add(name + ": no property");
                continue;
            }
            Class<?> expectedType = expectedType(name, option);
            if (getter.getReturnType() != expectedType || setter.getParameterTypes()[0] != expectedType) {
                problems.add(name + ": type " + getter.getReturnType().getName() + ", the option needs "
                        + (expectedType == null ? "a type for " + option.getString("type") : expectedType.getName()));
            }
            Object preset = getter.invoke(fresh);
            if (preset != null) {
                problems.add(
                        name + ": " + preset + " before anything is set (it would overwrite a configuration bean)");
            }
            boolean deprecated = Boolean.TRUE.equals(option.get("deprecated"));
            if (deprecated != getter.isAnnotationPresent(Deprecated.class)) {
                problems.add(name + ": deprecated " + !deprecated + ", catalog says " + deprecated);
            }
        }
        leftOver.forEach(name -> problems.add(name + ": a property that is no component option"));
        return problems;
    }

    /** The property type the starter promises for an option of the catalog. */
    private static Class<?> expectedType(String name, JsonObject option) throws ClassNotFoundException {
        String javaType = String.valueOf(option.getString("javaType"));
        return switch (String.valueOf(option.getString("type"))) {
            case "boolean" -> Boolean.class;
            case "integer" -> javaType.equals("long") || javaType.equals("java.lang.Long") ? Long.class : Integer.class;
            case "number" ->
                javaType.equals("float") || javaType.equals("java.lang.Float") ? Float.class : Double.class;
            case "duration" -> DURATIONS_AS_LONG_MILLIS.contains(name) ? Long.class : Duration.class;
            case "string" -> String.class;
            case "enum" -> javaType.equals("java.lang.String") ? String.class : Class.forName(javaType);
            case "object" -> Class.forName(javaType.replaceAll("<.*", ""));
            default -> null;
        };
    }
}
