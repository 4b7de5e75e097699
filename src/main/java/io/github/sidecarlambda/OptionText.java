package io.github.sidecarlambda;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Checks the text of an endpoint URI's number, duration, boolean and enum options before Camel converts it. Camel's
 * conversion is lenient where a user cannot see it: {@code maxRetries=two} and {@code staleTime=abc} became 0,
 * {@code sessionDuration=1h30} became one hour, {@code staleTime=10 s} a bare NumberFormatException, and an enum
 * constant that does not exist a PropertyBindingException without the allowed values. Each is refused here with a
 * {@link SidecarLambdaConfigurationException} naming the option, the rule and the rejected text (none of these options
 * holds a secret). The kinds come from the component's own catalog JSON, so a new option is covered without an edit.
 * Also refused: a sidecar-mode option (catalog group {@code sidecar}) on an endpoint without {@code sidecar}, where it
 * would be silently ignored.
 */
final class OptionText {

    static final String CATALOG = "/META-INF/io/github/sidecarlambda/sidecar-lambda.json";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final Pattern CAMEL_DURATION = Pattern.compile(
            "(?=\\d)(?:\\d+(?:day|d))?(?:\\d+(?:hour|h))?(?:\\d+(?:minute|min|m))?(?:\\d+(?:sec|s))?(?:\\d+ms)?");
    static final String DURATION_RULE =
            "must be a duration: milliseconds (60000), Camel's text (1h30m, 15m, 10s, 500ms)"
                    + " or ISO-8601 (PT1H30M)";

    private static final String NOT_SIDECAR_MODE =
            "a sidecar-mode option, but the endpoint is not in sidecar mode: set "
                    + "sidecar=PreProcessor or sidecar=PostProcessor, or remove the option";

    /** Option name (lower case) to its catalog entry: name, type, javaType, enum, group. */
    private static final Map<String, JsonObject> OPTIONS = read();

    private OptionText() {}

    /**
     * @param parameters   the endpoint URI's parameters, before Camel binds them
     * @param sidecarMode  whether the endpoint runs in sidecar mode (its own {@code sidecar} or the component's)
     */
    static void check(Map<String, Object> parameters, boolean sidecarMode) {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            JsonObject option = OPTIONS.get(parameter.getKey().toLowerCase(Locale.ROOT));
            if (option == null) {
                continue; // unknown options: Camel's own error names them
            }
            String name = option.getString("name");
            if (!sidecarMode && "sidecar".equals(option.getString("group")) && !name.equals("sidecar")) {
                throw new SidecarLambdaConfigurationException(name, NOT_SIDECAR_MODE);
            }
            if (!(parameter.getValue() instanceof String text) || text.startsWith("#")) {
                continue; // a value object or a bean reference: Camel binds it as it is
            }
            String rule = rule(option, text);
            if (rule != null) {
                throw new SidecarLambdaConfigurationException(name, rule + "; was '" + text + "'");
            }
        }
    }

    /** Sidecar parameters ({@code sidecarParam.<name>}) on an endpoint that is not in sidecar mode. */
    static void checkSidecarParams(Map<String, Object> sidecarParams, boolean sidecarMode) {
        if (!sidecarMode && !sidecarParams.isEmpty()) {
            throw new SidecarLambdaConfigurationException(
                    "sidecarParam." + new TreeMap<>(sidecarParams).firstKey(), NOT_SIDECAR_MODE + " (value not shown)");
        }
    }

    /** Whether the endpoint URI itself sets the {@code sidecar} option (to any text). */
    static boolean setsSidecar(Map<String, Object> parameters) {
        return parameters.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("sidecar"));
    }

    /** The rule the text breaks, or null. */
    private static String rule(JsonObject option, String text) {
        String javaType = option.getString("javaType");
        switch (String.valueOf(option.getString("type"))) {
            case "integer" -> {
                boolean isLong = javaType.equals("long") || javaType.equals("java.lang.Long");
                if (!WHOLE_NUMBER.matcher(text).matches()) {
                    return "must be a whole number";
                }
                try {
                    if (isLong) {
                        Long.parseLong(text);
                    } else {
                        Integer.parseInt(text);
                    }
                } catch (NumberFormatException e) {
                    return "must be a whole number within " + (isLong ? "a long" : "an int");
                }
                return null;
            }
            case "duration" -> {
                return isDuration(text) ? null : DURATION_RULE;
            }
            case "boolean" -> {
                return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? null : "must be true or false";
            }
            case "enum" -> {
                if (javaType.equals("java.lang.String")) {
                    return null; // String options with allowed values: the endpoint's validation names them
                }
                List<String> allowed = ((List<?>) option.get("enum"))
                        .stream().map(String::valueOf).toList();
                return allowed.stream().anyMatch(text::equalsIgnoreCase)
                        ? null
                        : "must be " + String.join(" or ", allowed);
            }
            default -> {
                return null;
            }
        }
    }

    static boolean isDuration(String text) {
        if (WHOLE_NUMBER.matcher(text).matches()) {
            return true;
        }
        if (text.startsWith("P") || text.startsWith("-P") || text.startsWith("p") || text.startsWith("-p")) {
            try {
                Duration.parse(text);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return CAMEL_DURATION.matcher(text).matches();
    }

    private static Map<String, JsonObject> read() {
        try (InputStream in = OptionText.class.getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException(CATALOG + " is missing from the component jar");
            }
            JsonObject catalog = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, JsonObject> options = new TreeMap<>();
            JsonObject properties = (JsonObject) catalog.get("properties");
            properties.forEach((name, value) -> {
                JsonObject option = new JsonObject((JsonObject) value);
                option.put("name", name);
                options.put(name.toLowerCase(Locale.ROOT), option);
            });
            return options;
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + CATALOG + ": " + e.getMessage(), e);
        }
    }
}
