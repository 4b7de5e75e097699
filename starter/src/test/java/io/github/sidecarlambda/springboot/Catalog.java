package io.github.sidecarlambda.springboot;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

import static org.assertj.core.api.Assertions.assertThat;

/** The component's catalog JSON, read from the camel-sidecar-lambda jar the starter is built against. */
final class Catalog {

    static final String RESOURCE = "/META-INF/io/github/sidecarlambda/sidecar-lambda.json";
    static final String PREFIX = "camel.component.sidecar-lambda.";

    private Catalog() {}

    /** The component options, by name, in the catalog's order. */
    static Map<String, JsonObject> options() throws Exception {
        Map<String, JsonObject> options = new LinkedHashMap<>();
        Map<?, ?> all = read(RESOURCE).getMap("componentProperties");
        all.forEach((name, option) -> options.put((String) name, (JsonObject) option));
        return options;
    }

    static JsonObject read(String resource) throws Exception {
        try (InputStream in = Catalog.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /** The property name Spring Boot documents for an option: maxCachedTenants is max-cached-tenants. */
    static String property(String option) {
        StringBuilder b = new StringBuilder(PREFIX);
        for (char c : option.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
