package io.github.sidecarlambda.testing;

import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas of the sidecar contract (shipped in the component jar under io/github/sidecarlambda/sidecar/ and
 * shown in docs/sidecar-contract.md), for tests: {@link #input}, {@link #preAnswer}, {@link #postAnswer}. Published in
 * the tests jar (a user of it adds com.networknt:json-schema-validator in test scope).
 */
public final class SidecarSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema INPUT = load("sidecar-input.schema.json");
    private static final JsonSchema PRE = load("sidecar-pre-answer.schema.json");
    private static final JsonSchema POST = load("sidecar-post-answer.schema.json");

    private SidecarSchemas() {}

    /** Violations of the input schema; empty when valid. */
    public static Set<ValidationMessage> input(String json) {
        return validate(INPUT, json);
    }

    /** Violations of the pre-processor answer schema; empty when valid. */
    public static Set<ValidationMessage> preAnswer(String json) {
        return validate(PRE, json);
    }

    /** Violations of the post-processor answer schema; empty when valid. */
    public static Set<ValidationMessage> postAnswer(String json) {
        return validate(POST, json);
    }

    private static Set<ValidationMessage> validate(JsonSchema schema, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (Exception notJson) {
            return Set.of(ValidationMessage.builder()
                    .message("not JSON: " + notJson.getMessage())
                    .build());
        }
        return schema.validate(node);
    }

    private static JsonSchema load(String name) {
        try (InputStream in = SidecarSchemas.class.getResourceAsStream("/io/github/sidecarlambda/sidecar/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema not on the classpath: " + name);
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
