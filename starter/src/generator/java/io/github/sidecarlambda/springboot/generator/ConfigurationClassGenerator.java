package io.github.sidecarlambda.springboot.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

import org.apache.camel.util.TimeUtils;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Writes the starter's {@code SidecarLambdaComponentConfiguration} from the component's own Camel catalog JSON
 * ({@value #CATALOG} in the camel-sidecar-lambda jar, read from the classpath), so a new component option becomes a
 * {@code camel.component.sidecar-lambda.*} property without a hand edit. The starter's build compiles this class and
 * runs it in the generate-sources phase (starter/pom.xml) with two output folders: sources (the class) and resources
 * (Spring's additional configuration metadata, which carries the catalog defaults); a file is rewritten only when its
 * text changes. An option whose type this generator does not know fails the build, naming
 * the option, instead of producing a property that cannot bind.
 *
 * <p>Types, as the hand-written class of 0.1.0 had them: boolean, integer and number options are the boxed Java type
 * (so an unset property is {@code null} and not applied); duration options are {@link java.time.Duration} (Spring
 * Boot's {@code 15m}, {@code 1h}, {@code PT1H} or a number of milliseconds), except those in
 * {@link #DURATIONS_AS_LONG_MILLIS}; enum options are their Java enum, or {@code String} where the option is a String
 * with allowed values; object options are their Java type (a map, collection, array or Object bound by Spring, any
 * other type from a bean reference by the starter's SidecarLambdaComponentConverter).
 */
public final class ConfigurationClassGenerator {

    /** Where the component jar keeps its catalog JSON. */
    public static final String CATALOG = "META-INF/io/github/sidecarlambda/sidecar-lambda.json";

    static final String PACKAGE = "io.github.sidecarlambda.springboot";
    static final String CLASS = "SidecarLambdaComponentConfiguration";
    static final String PREFIX = "camel.component.sidecar-lambda";

    /**
     * Duration options whose property is a {@code Long} of milliseconds, not a {@code Duration}: none. The hand-written
     * class had {@code sidecarTimeout} so, and "sidecar-timeout=15m" then failed to bind; every duration option is a
     * {@code Duration}.
     */
    static final Set<String> DURATIONS_AS_LONG_MILLIS = Set.of();

    /** Properties of ComponentConfigurationPropertiesCommon, which an option may not shadow. */
    private static final Set<String> INHERITED = Set.of("enabled", "customizer");

    private static final int WIDTH = 120;

    /** Where Spring's configuration processor reads additional metadata (copied to the class output first). */
    static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

    private ConfigurationClassGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: ConfigurationClassGenerator <generated-sources folder> <generated-resources folder>");
        }
        JsonObject catalog = readCatalog();
        Path file = Path.of(args[0]).resolve(PACKAGE.replace('.', '/')).resolve(CLASS + ".java");
        write(file, render(catalog), catalog);
        write(Path.of(args[1]).resolve(ADDITIONAL_METADATA), renderDefaults(catalog), catalog);
    }

    private static void write(Path file, String text, JsonObject catalog) throws IOException {
        if (Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            System.out.println(file.getFileName() + " is up to date with " + describe(catalog) + ": " + file);
            return;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println(file.getFileName() + " generated from " + describe(catalog) + " ("
                + properties(catalog).size() + " of "
                + catalog.getMap("componentProperties").size() + " options): " + file);
    }

    /**
     * Spring's additional configuration metadata: each property's default, the catalog's. The properties class has no
     * initializers (a property not set is {@code null} and not applied, so the component keeps its own default and a
     * {@code configuration} bean keeps its values); Spring's configuration processor merges these defaults into
     * META-INF/spring-configuration-metadata.json, where IDEs show them.
     */
    static String renderDefaults(JsonObject catalog) {
        JsonArray items = new JsonArray();
        for (Property p : properties(catalog)) {
            if (p.metadataDefault != null) {
                JsonObject item = new JsonObject();
                item.put("name", PREFIX + "." + kebab(p.name));
                item.put("defaultValue", p.metadataDefault);
                items.add(item);
            }
        }
        JsonObject root = new JsonObject();
        root.put("properties", items);
        return Jsoner.prettyPrint(root.toJson()) + "\n";
    }

    /** The property name Spring binds for an option: maxRetries is max-retries. */
    static String kebab(String option) {
        StringBuilder b = new StringBuilder();
        for (char c : option.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The catalog JSON of the camel-sidecar-lambda jar on the classpath. */
    public static JsonObject readCatalog() throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ConfigurationClassGenerator.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException(
                        CATALOG + " is not on the classpath: the camel-sidecar-lambda jar must be");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    static JsonObject parse(Reader json) {
        try {
            return (JsonObject) Jsoner.deserialize(json);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + CATALOG + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonObject catalog) {
        JsonObject component = (JsonObject) catalog.get("component");
        return CATALOG + " of " + component.getString("artifactId") + " " + component.getString("version");
    }

    /** The Java source of the configuration class for the catalog's component options. */
    public static String render(JsonObject catalog) {
        List<Property> properties = properties(catalog);

        boolean durations = properties.stream().anyMatch(p -> p.type.equals("Duration"));
        boolean deprecated = properties.stream().anyMatch(p -> p.deprecated);
        StringBuilder out = new StringBuilder();
        out.append("// Generated from ").append(describe(catalog)).append('\n');
        out.append("// by starter/src/generator/java/")
                .append(ConfigurationClassGenerator.class.getName().replace('.', '/'))
                .append(".java\n");
        out.append(
                "// (starter/pom.xml runs it in generate-sources). Do not edit: a change here is lost at the next build.\n");
        out.append("package ").append(PACKAGE).append(";\n\n");
        if (durations) {
            out.append("import java.time.Duration;\n\n");
        }
        out.append("import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;\n");
        out.append("import org.springframework.boot.context.properties.ConfigurationProperties;\n");
        if (deprecated) {
            out.append("import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;\n");
        }
        out.append('\n');
        javadoc(
                out,
                "",
                "The {@code " + PREFIX + ".*} properties: one per option of the component, with the description "
                        + "and default of the component's catalog JSON (" + CATALOG
                        + "). As in Camel's generated starters, the "
                        + "options of the nested {@code configuration} object are flat ({@code " + PREFIX
                        + ".region}) and the "
                        + "component's generated configurer applies them. Durations bind as {@link java.time.Duration}, so "
                        + "{@code 15m} works as the component's own descriptions promise (Camel's generated starters use "
                        + "{@code Long} milliseconds)" + longMillis(properties)
                        + ". Every property is null until the application sets it, and only set properties are applied: "
                        + "an option not set keeps the component's default (the IDE metadata shows it), and a "
                        + "{@code configuration} bean keeps its values. Generated at build time by the starter's "
                        + "ConfigurationClassGenerator from the catalog of the component jar it is built against, so a new "
                        + "component option is a property without a hand edit.");
        out.append("@ConfigurationProperties(prefix = \"").append(PREFIX).append("\")\n");
        out.append("public class ").append(CLASS).append(" extends ComponentConfigurationPropertiesCommon {\n");

        for (Property p : properties) {
            out.append('\n');
            javadoc(out, "    ", p.javadoc);
            if (p.deprecated) {
                out.append("    @Deprecated\n");
            }
            // no initializer: a property not set stays null and is not applied (see renderDefaults)
            out.append("    private ").append(p.type).append(' ').append(p.name).append(";\n");
        }
        for (Property p : properties) {
            String suffix = Character.toUpperCase(p.name.charAt(0)) + p.name.substring(1);
            out.append('\n');
            if (p.deprecated) {
                out.append("    @Deprecated\n");
                out.append("    @DeprecatedConfigurationProperty");
                if (!p.deprecationNote.isBlank()) {
                    out.append("(reason = ").append(quote(p.deprecationNote)).append(')');
                }
                out.append('\n');
            }
            out.append("    public ")
                    .append(p.type)
                    .append(" get")
                    .append(suffix)
                    .append("() {\n");
            out.append("        return ").append(p.name).append(";\n");
            out.append("    }\n\n");
            if (p.deprecated) {
                out.append("    @Deprecated\n");
            }
            out.append("    public void set")
                    .append(suffix)
                    .append('(')
                    .append(p.type)
                    .append(' ')
                    .append(p.name)
                    .append(") {\n");
            out.append("        this.")
                    .append(p.name)
                    .append(" = ")
                    .append(p.name)
                    .append(";\n");
            out.append("    }\n");
        }
        out.append("}\n");
        return out.toString();
    }

    private static String longMillis(List<Property> properties) {
        List<String> names = properties.stream()
                .map(Property::name)
                .filter(DURATIONS_AS_LONG_MILLIS::contains)
                .toList();
        return names.isEmpty() ? "" : ", except " + String.join(", ", names) + ": Long milliseconds";
    }

    /** The properties of the catalog's component options, in the catalog's order. */
    static List<Property> properties(JsonObject catalog) {
        List<Property> properties = new ArrayList<>();
        Map<String, Object> options = catalog.getMap("componentProperties");
        options.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> ((Number) ((Map<?, ?>) e.getValue()).get("index")).intValue()))
                .forEach(e -> properties.add(property(e.getKey(), (JsonObject) e.getValue())));
        return properties;
    }

    private record Property(
            String name,
            String type,
            Object metadataDefault,
            String javadoc,
            boolean deprecated,
            String deprecationNote) {}

    /** One option as a property: its Java type, default for the IDE metadata (the catalog's) and javadoc. */
    static Property property(String name, JsonObject option) {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || INHERITED.contains(name)) {
            throw unsupported(name, option, "its name cannot be a property of its own");
        }
        String kind = option.getString("type");
        String javaType = option.getString("javaType");
        Object value = option.get("defaultValue");
        String text = value == null ? null : value.toString();
        String description = option.getString("description") == null
                ? ""
                : option.getString("description").trim();
        String type;
        Object initializer = null;
        String note = null;
        switch (kind == null ? "" : kind) {
            case "boolean" -> {
                type = boxed(name, option, javaType, "boolean", "java.lang.Boolean", "Boolean");
                if (text != null) {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw unsupported(name, option, "its default is not true or false");
                    }
                    initializer = Boolean.valueOf(text);
                }
            }
            case "integer" -> {
                if (javaType.equals("long") || javaType.equals("java.lang.Long")) {
                    type = "Long";
                    initializer = text == null ? null : new BigDecimal(text).longValueExact();
                } else {
                    type = boxed(name, option, javaType, "int", "java.lang.Integer", "Integer");
                    initializer = text == null ? null : new BigDecimal(text).intValueExact();
                }
            }
            case "number" -> {
                if (javaType.equals("float") || javaType.equals("java.lang.Float")) {
                    type = "Float";
                    initializer = text == null ? null : Float.parseFloat(text);
                } else {
                    type = boxed(name, option, javaType, "double", "java.lang.Double", "Double");
                    initializer = text == null ? null : Double.parseDouble(text);
                }
            }
            case "duration" -> {
                if (!Set.of("long", "java.lang.Long", "java.time.Duration").contains(javaType)) {
                    throw unsupported(name, option, "a duration of Java type " + javaType);
                }
                Long millis = text == null ? null : TimeUtils.toMilliSeconds(text);
                if (DURATIONS_AS_LONG_MILLIS.contains(name)) {
                    type = "Long";
                    initializer = millis;
                    note = "A number of milliseconds.";
                } else {
                    type = "Duration";
                    initializer = millis == null ? null : millis + "ms";
                    note =
                            "A number is milliseconds; 15m, 1h or PT1H work too. The option is a java.time.Duration type.";
                }
            }
            case "string" -> {
                type = boxed(name, option, javaType, "java.lang.String", "java.lang.String", "String");
                initializer = text;
            }
            case "enum" -> {
                List<String> allowed = enumValues(option);
                if (text != null && !allowed.contains(text)) {
                    throw unsupported(name, option, "its default " + text + " is not one of its values " + allowed);
                }
                if (javaType.equals("java.lang.String")) {
                    type = "String";
                    initializer = text;
                } else {
                    type = javaType;
                    Class<?> enumType = load(name, option, javaType);
                    if (!enumType.isEnum()) {
                        throw unsupported(name, option, "an enum option whose Java type is not an enum");
                    }
                    List<String> constants = Arrays.stream(enumType.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .toList();
                    if (!constants.containsAll(allowed)) {
                        throw unsupported(
                                name, option, "its values " + allowed + " are not all constants of " + javaType);
                    }
                    initializer = text;
                }
            }
            case "object" -> {
                if (text != null) {
                    throw unsupported(name, option, "an object option with a default");
                }
                type = javaType.replace("java.lang.", "");
                String raw = javaType.replaceAll("<.*", "");
                boolean boundBySpring = raw.endsWith("[]")
                        || raw.equals("java.lang.Object")
                        || Map.class.isAssignableFrom(load(name, option, raw))
                        || Collection.class.isAssignableFrom(load(name, option, raw));
                if (!boundBySpring) {
                    // SidecarLambdaComponentConverter binds it from a bean reference
                    note = "The option is a " + javaType + " type, set as a bean reference: #bean:name or #name.";
                }
            }
            default -> throw unsupported(name, option, "type " + kind);
        }
        String javadoc = note == null
                ? description
                : description + (description.isEmpty() || description.endsWith(".") ? " " : ". ") + note;
        boolean deprecated = Boolean.TRUE.equals(option.get("deprecated"));
        String deprecationNote = option.getString("deprecationNote") == null ? "" : option.getString("deprecationNote");
        return new Property(name, type, initializer, javadoc.trim(), deprecated, deprecationNote);
    }

    private static String boxed(
            String name, JsonObject option, String javaType, String primitive, String wrapper, String type) {
        if (!javaType.equals(primitive) && !javaType.equals(wrapper)) {
            throw unsupported(name, option, "a " + option.getString("type") + " option of Java type " + javaType);
        }
        return type;
    }

    private static List<String> enumValues(JsonObject option) {
        Object values = option.get("enum");
        if (!(values instanceof List<?> list) || list.isEmpty()) {
            throw unsupported("?", option, "an enum option without values");
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static Class<?> load(String name, JsonObject option, String className) {
        try {
            return Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw unsupported(name, option, "its Java type " + className + " is not on the classpath");
        }
    }

    private static IllegalStateException unsupported(String name, JsonObject option, String what) {
        return new IllegalStateException("component option " + name + " (type " + option.getString("type")
                + ", javaType " + option.getString("javaType") + "): " + what
                + "; extend starter/src/generator/java/"
                + ConfigurationClassGenerator.class.getName().replace('.', '/')
                + ".java for it");
    }

    /** A Java string literal. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A javadoc comment of the text, wrapped at {@value #WIDTH} columns. The text is kept as it is, so Spring's
     * configuration processor copies the catalog's description to the IDE metadata unchanged, except what would break
     * the comment or the compiler: {@code * /} and backslashes (javac reads unicode escapes in comments) become HTML
     * character references, and a line never starts with {@code @} (a block tag).
     */
    static void javadoc(StringBuilder out, String indent, String text) {
        String safe = text.replace("*/", "*&#47;").replace("\\", "&#92;");
        String first = indent + "/**";
        out.append(first).append('\n');
        StringBuilder line = new StringBuilder();
        for (String word : safe.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            boolean fits = indent.length() + 3 + line.length() + 1 + word.length() <= WIDTH;
            if (line.length() > 0 && !fits && !word.startsWith("@")) {
                out.append(indent).append(" * ").append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.append(indent).append(" * ").append(line).append('\n');
        }
        out.append(indent).append(" */\n");
    }
}
