package io.github.sidecarlambda;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reference.md is rendered from the component's generated metadata (sidecar-lambda.json), so it lists exactly
 * the options and headers the component has. Run with {@code -Dreference.write=true} to rewrite it after a change.
 */
class ReferenceDocTest {

    private static final Path REFERENCE = Path.of("docs/reference.md");

    @Test
    void referenceMatchesTheGeneratedMetadata() throws Exception {
        String expected = render();
        if (Boolean.getBoolean("reference.write")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, expected, StandardCharsets.UTF_8);
        }
        assertThat(REFERENCE).exists();
        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
                .as("docs/reference.md is stale: run mvn test -Dtest=ReferenceDocTest -Dreference.write=true")
                .isEqualTo(expected);
    }

    static String render() throws Exception {
        JsonNode json;
        try (InputStream in =
                ReferenceDocTest.class.getResourceAsStream("/META-INF/io/github/sidecarlambda/sidecar-lambda.json")) {
            assertThat(in).as("generated metadata on the classpath").isNotNull();
            json = JsonNode.parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Map<String, JsonNode> component = json.field("component").get().asObject();
        StringBuilder doc = new StringBuilder();
        doc.append("# sidecar-lambda component reference\n\n");
        doc.append(
                "<!-- Rendered from src/generated/resources/META-INF/io/github/sidecarlambda/sidecar-lambda.json by ReferenceDocTest; do not edit by hand. -->\n\n");
        doc.append(component.get("description").asString()).append("\n\n");
        doc.append("URI syntax: `").append(component.get("syntax").asString()).append("`  \n");
        doc.append("Maven: `")
                .append(component.get("groupId").asString())
                .append(':')
                .append(component.get("artifactId").asString())
                .append("`  \n");
        doc.append("Producer only.\n\n");
        doc.append(
                "Every endpoint option can also be set once on the component (`camel.component.sidecar-lambda.<option>`) as a default for all endpoints. Durations accept milliseconds or a duration such as `15m`, `1h`.\n\n");
        table(doc, "Endpoint options", json.field("properties").get().asObject());
        table(doc, "Component options", json.field("componentProperties").get().asObject());
        doc.append("## Message headers\n\n| Header | Type | Description |\n|---|---|---|\n");
        for (Map.Entry<String, JsonNode> header :
                json.field("headers").get().asObject().entrySet()) {
            Map<String, JsonNode> h = header.getValue().asObject();
            doc.append("| `")
                    .append(header.getKey())
                    .append("` | ")
                    .append(shortType(h.get("javaType").asString()))
                    .append(" | ")
                    .append(cell(h.get("description").asString()))
                    .append(" |\n");
        }
        return doc.toString();
    }

    private static void table(StringBuilder doc, String title, Map<String, JsonNode> options) {
        doc.append("## ")
                .append(title)
                .append("\n\n| Option | Type | Default | Required | Description |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> option : options.entrySet()) {
            Map<String, JsonNode> o = option.getValue().asObject();
            JsonNode defaultValue = o.get("defaultValue");
            String type = "duration".equals(o.get("type").asString())
                    ? "Duration"
                    : o.containsKey("javaType") ? shortType(o.get("javaType").asString()) : "";
            if (o.containsKey("enum")) {
                StringBuilder values = new StringBuilder();
                for (JsonNode v : o.get("enum").asArray()) {
                    values.append(values.length() > 0 ? ", " : "").append(v.asString());
                }
                type += " (" + values + ")";
            }
            doc.append("| `")
                    .append(option.getKey())
                    .append("` | ")
                    .append(cell(type))
                    .append(" | ")
                    .append(defaultValue == null ? "" : "`" + defaultValue.text() + "`")
                    .append(" | ")
                    .append(o.containsKey("required") && o.get("required").asBoolean() ? "yes" : "")
                    .append(" | ")
                    .append(cell(o.get("description").asString()))
                    .append(" |\n");
        }
        doc.append('\n');
    }

    private static String shortType(String javaType) {
        return javaType.replace("java.lang.", "").replace("java.time.", "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
