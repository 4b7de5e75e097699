package io.github.sidecarlambda.springboot;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties class is written by hand, so this test keeps it in step with the component it configures: every
 * option in the component's catalog JSON (read from the component jar) has a property with the same default, and
 * Spring's configuration metadata documents each one.
 */
class SidecarLambdaComponentConfigurationTest {

    @Test
    void everyComponentOptionIsAPropertyWithTheCatalogDefault() throws Exception {
        JsonObject catalog = read("/META-INF/io/github/sidecarlambda/sidecar-lambda.json");
        Map<String, Object> options = catalog.getMap("componentProperties");
        SidecarLambdaComponentConfiguration defaults = new SidecarLambdaComponentConfiguration();
        List<String> problems = new ArrayList<>();

        for (Map.Entry<String, Object> option : options.entrySet()) {
            String name = option.getKey();
            Method getter;
            try {
                getter = SidecarLambdaComponentConfiguration.class
                        .getMethod("get" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
            } catch (NoSuchMethodException e) {
                problems.add(name + ": no property");
                continue;
            }
            Object expected = ((Map<?, ?>) option.getValue()).get("defaultValue");
            Object actual = getter.invoke(defaults);
            if (actual instanceof Duration duration) {
                actual = duration.toMillis();
            }
            if (!String.valueOf(expected).equals(String.valueOf(actual))) {
                problems.add(name + ": default " + actual + ", catalog says " + expected);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void springMetadataDescribesEveryProperty() throws Exception {
        JsonObject metadata = read("/META-INF/spring-configuration-metadata.json");
        List<String> undocumented = new ArrayList<>();
        for (Object p : (JsonArray) metadata.get("properties")) {
            JsonObject property = (JsonObject) p;
            String name = property.getString("name");
            boolean inherited = name.endsWith(".enabled"); // Camel's own switches, documented by camel-spring-boot
            if (!inherited && (property.getString("description") == null || property.getString("description").isBlank())) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).isEmpty();
        assertThat((JsonArray) metadata.get("properties")).hasSizeGreaterThan(
                read("/META-INF/io/github/sidecarlambda/sidecar-lambda.json").getMap("componentProperties").size());
    }

    private static JsonObject read(String resource) throws Exception {
        try (InputStream in = SidecarLambdaComponentConfigurationTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }
}
