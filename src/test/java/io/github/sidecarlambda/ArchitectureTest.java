package io.github.sidecarlambda;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house's parts, read from the sources as a newcomer reads them: the root package is the Camel face (component,
 * endpoint, configuration, producer, constants), the option value types and the exceptions; {@code credentials},
 * {@code aws}, {@code metrics}, {@code sidecar} and {@code invoke} are the parts behind it. A reference is a class's
 * simple name in code (comments and strings removed) that resolves to another main class: same package, imported, or
 * written fully qualified.
 */
class ArchitectureTest {

    private static final Path MAIN = Paths.get(System.getProperty("architecture.sources", "src/main/java"));
    private static final Path CLASSES = Paths.get(System.getProperty("architecture.classes", "target/classes"));
    private static final Path EMULATOR = Paths.get("emulator/src/main/java");
    private static final String ROOT = "io.github.sidecarlambda";
    private static final Set<String> PARTS = Set.of("credentials", "aws", "metrics", "sidecar", "invoke");
    private static final Set<String> FACE = Set.of(
            "SidecarLambdaComponent", "SidecarLambdaEndpoint", "SidecarLambdaProducer", "SidecarLambdaConfiguration");
    /**
     * Camel's own contract makes these two pairs know each other (Component.createEndpoint / Endpoint.getComponent,
     * Endpoint.createProducer / Producer.getEndpoint); every other pair of classes goes one way only.
     */
    private static final Set<Set<String>> CAMEL_CONTRACT = Set.of(
            Set.of(ROOT + ".SidecarLambdaComponent", ROOT + ".SidecarLambdaEndpoint"),
            Set.of(ROOT + ".SidecarLambdaEndpoint", ROOT + ".SidecarLambdaProducer"));

    private static final Pattern COMMENTS_AND_LITERALS =
            Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern FULLY_QUALIFIED =
            Pattern.compile("(?<![\\w.])(?:java|javax|org|software|io|com)\\.(?:[a-z]\\w*\\.)+[A-Z]\\w*");

    private static final Pattern WILDCARD_IMPORT =
            Pattern.compile("^import\\s+(static\\s+)?[\\w.]+\\.\\*\\s*;", Pattern.MULTILINE);

    /** A source file: its class, package, code (comments, literals, imports removed), imports, static imports' owners. */
    record Source(String name, String pkg, String code, Set<String> imports, Set<String> staticImports) {}

    @Test
    void noTwoClassesKnowEachOtherBeyondCamelsContract() {
        Map<String, Set<String>> refs = references(sources(MAIN));
        assertThat(refs).as("main classes read").hasSizeGreaterThan(30);
        assertThat(twoClassCycles(refs)).as("two-file cycles").isEmpty();
    }

    private static List<String> twoClassCycles(Map<String, Set<String>> refs) {
        List<String> cycles = new ArrayList<>();
        refs.forEach((a, targets) -> targets.forEach(b -> {
            if (a.compareTo(b) < 0
                    && refs.getOrDefault(b, Set.of()).contains(a)
                    && !CAMEL_CONTRACT.contains(Set.of(a, b))) {
                cycles.add(a + " <-> " + b);
            }
        }));
        return cycles;
    }

    @Test
    void thePartsNeverReachBackIntoTheCamelFace() {
        Map<String, Set<String>> refs = references(sources(MAIN));
        assertThat(refs.keySet()).anyMatch(c -> partOf(c) != null);
        assertThat(faceReachedFromParts(refs))
                .as("credentials, aws, metrics, sidecar and invoke take values, not the endpoint or its configuration")
                .isEmpty();
    }

    private static List<String> faceReachedFromParts(Map<String, Set<String>> refs) {
        List<String> wrong = new ArrayList<>();
        refs.forEach((from, targets) -> {
            if (partOf(from) != null) {
                targets.stream()
                        .filter(t -> partOf(t) == null && FACE.contains(simple(t)))
                        .forEach(t -> wrong.add(from + " -> " + t));
            }
        });
        return wrong;
    }

    /**
     * The parts form layers: no part depends, directly or through other parts, on a part that depends on it. (The root
     * package is outside this rule: it is the face that assembles the parts, and they use its value types and
     * exceptions.)
     */
    @Test
    void thePartsDependOnEachOtherOneWayOnly() {
        Map<String, Set<String>> refs = references(sources(MAIN));
        assertThat(partUses(refs)).as("parts that use other parts").isNotEmpty();
        assertThat(partCycles(refs)).as("package cycles between parts").isEmpty();
    }

    /**
     * The same three rules read from the compiled classes (the JDK's jdeps, run in-process over target/classes): the
     * bytecode names every type the code uses, also where the source does not spell it (a {@code var}, a chained call,
     * an inherited member), while the source reading above sees what compilation erases (constants, imports used
     * only by javadoc are not counted there either). Nested classes count as their top-level class.
     */
    @Test
    void theCompiledClassesKeepTheSameRules() {
        Map<String, Set<String>> refs = compiledReferences(CLASSES);
        assertThat(refs).as("compiled main classes read from " + CLASSES).hasSizeGreaterThan(30);
        assertThat(twoClassCycles(refs)).as("two-class cycles in the bytecode").isEmpty();
        assertThat(faceReachedFromParts(refs))
                .as("parts reaching the Camel face in the bytecode")
                .isEmpty();
        assertThat(partCycles(refs))
                .as("package cycles between parts in the bytecode")
                .isEmpty();
    }

    private static Map<String, Set<String>> partUses(Map<String, Set<String>> refs) {
        Map<String, Set<String>> uses = new TreeMap<>();
        refs.forEach((from, targets) -> targets.forEach(to -> {
            String a = partOf(from);
            String b = partOf(to);
            if (a != null && b != null && !a.equals(b)) {
                uses.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
            }
        }));
        return uses;
    }

    private static List<String> partCycles(Map<String, Set<String>> refs) {
        Map<String, Set<String>> uses = partUses(refs);
        List<String> cycles = new ArrayList<>();
        for (String part : uses.keySet()) {
            for (String other : reachable(uses, part)) {
                if (part.compareTo(other) < 0 && reachable(uses, other).contains(part)) {
                    cycles.add(part + " <-> " + other + " (" + part + " uses " + uses.get(part) + ", " + other
                            + " uses " + uses.get(other) + ")");
                }
            }
        }
        return cycles;
    }

    /** For each compiled top-level main class, the other main classes its bytecode references (jdeps -verbose:class). */
    private static Map<String, Set<String>> compiledReferences(Path classes) {
        assertThat(classes.resolve("io/github/sidecarlambda"))
                .as("compiled classes at " + classes.toAbsolutePath())
                .isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "-verbose:class",
                "-filter:none",
                "-e",
                Pattern.quote(ROOT) + "\\..*",
                classes.toString());
        assertThat(exit).as("jdeps: " + err).isZero();
        Pattern edge = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s", Pattern.MULTILINE);
        Map<String, Set<String>> refs = new TreeMap<>();
        Matcher m = edge.matcher(out.toString());
        while (m.find()) {
            String from = m.group(1).replaceAll("\\$.*", "");
            String to = m.group(2).replaceAll("\\$.*", "");
            Set<String> targets = refs.computeIfAbsent(from, k -> new TreeSet<>());
            if (!from.equals(to)) {
                targets.add(to);
            }
        }
        return refs;
    }

    /**
     * The parts are internal: a class of a part is public only when main code of another package uses it.
     * Two are public for what lies outside the component's main code: StaleConnectionException is the cause inside a
     * LambdaServiceException a route may see, and the CLI (another module) checks External IDs with ExternalId.
     */
    @Test
    void aPartsClassIsPublicOnlyWhenAnotherPackageUsesIt() {
        List<Source> sources = sources(MAIN);
        Map<String, Set<String>> refs = references(sources);
        Pattern publicType = Pattern.compile(
                "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|record|enum)\\b");
        List<String> needless = new ArrayList<>();
        for (Source s : sources) {
            String name = s.pkg() + "." + s.name();
            if (partOf(name) == null
                    || Set.of("StaleConnectionException", "ExternalId").contains(s.name())) {
                continue;
            }
            if (publicType.matcher(s.code()).find()) {
                boolean usedElsewhere = refs.entrySet().stream()
                        .anyMatch(e -> e.getValue().contains(name)
                                && !e.getKey()
                                        .substring(0, e.getKey().lastIndexOf('.'))
                                        .equals(s.pkg()));
                if (!usedElsewhere) {
                    needless.add(name);
                }
            }
        }
        assertThat(needless)
                .as("public classes of a part that only their own package uses")
                .isEmpty();
    }

    /** The source-level reading resolves names through explicit imports: a wildcard import would hide references. */
    @Test
    void mainCodeHasNoWildcardImports() {
        List<String> wildcards = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    Matcher m = WILDCARD_IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        wildcards.add(MAIN.relativize(f) + ": " + m.group());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(wildcards).isEmpty();
    }

    private static Set<String> reachable(Map<String, Set<String>> uses, String from) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(uses.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    @Test
    void everyPartIsAPackageOfItsOwn() {
        Map<String, Set<String>> refs = references(sources(MAIN));
        Set<String> parts = new HashSet<>();
        Set<String> other = new HashSet<>();
        for (String c : refs.keySet()) {
            String pkg = c.substring(0, c.lastIndexOf('.'));
            if (pkg.equals(ROOT)) {
                continue;
            }
            String part = partOf(c);
            (part != null ? parts : other).add(part != null ? part : pkg);
        }
        assertThat(parts).isEqualTo(PARTS);
        assertThat(other).as("packages that are not one of the named parts").isEmpty();
    }

    @Test
    void theEmulatorNeverReachesTheComponent() {
        List<String> wrong = new ArrayList<>();
        for (Source s : sources(EMULATOR)) {
            for (String i : s.imports()) {
                if (i.startsWith(ROOT + ".") && !i.startsWith(ROOT + ".emulator.")) {
                    wrong.add(s.name() + " imports " + i);
                }
            }
            Matcher m = Pattern.compile("\\bio\\.github\\.sidecarlambda\\.(?!emulator\\.)\\w+")
                    .matcher(s.code());
            while (m.find()) {
                wrong.add(s.name() + " names " + m.group());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void mainCodeImportsWhatItUsesInsteadOfNamingItInline() {
        List<String> inline = new ArrayList<>();
        for (Source s : sources(MAIN)) {
            Matcher m = FULLY_QUALIFIED.matcher(s.code());
            while (m.find()) {
                inline.add(s.name() + ": " + m.group());
            }
        }
        assertThat(inline).as("fully qualified names in code").isEmpty();
    }

    private static String partOf(String className) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        if (!pkg.startsWith(ROOT + ".")) {
            return null;
        }
        String first = pkg.substring(ROOT.length() + 1).split("\\.")[0];
        return PARTS.contains(first) ? first : null;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** For each main class, the other main classes its code names. */
    private static Map<String, Set<String>> references(List<Source> sources) {
        Map<String, Source> byName = new LinkedHashMap<>();
        for (Source s : sources) {
            byName.put(s.pkg() + "." + s.name(), s);
        }
        Map<String, Set<String>> refs = new TreeMap<>();
        byName.forEach((name, s) -> {
            Set<String> targets = new HashSet<>();
            byName.forEach((other, o) -> {
                if (other.equals(name)) {
                    return;
                }
                boolean visible = o.pkg().equals(s.pkg()) || s.imports().contains(other);
                Pattern word = Pattern.compile("(?<![\\w.])" + Pattern.quote(o.name()) + "\\b");
                if ((visible && word.matcher(s.code()).find())
                        || s.code().contains(other)
                        || s.staticImports().contains(other)) {
                    targets.add(other);
                }
            });
            refs.put(name, targets);
        });
        return refs;
    }

    private static List<Source> sources(Path root) {
        assertThat(root).as("sources at " + root.toAbsolutePath()).isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .map(ArchitectureTest::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source read(Path file) {
        try {
            String text = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(text);
            String name = file.getFileName().toString().replace(".java", "");
            Set<String> imports = new HashSet<>();
            Set<String> staticImports = new HashSet<>();
            Matcher i = IMPORT.matcher(text);
            while (i.find()) {
                if (i.group(1) == null) {
                    imports.add(i.group(2));
                } else {
                    // import static a.b.Owner.member: a reference to Owner
                    staticImports.add(i.group(2).substring(0, i.group(2).lastIndexOf('.')));
                }
            }
            String code = COMMENTS_AND_LITERALS.matcher(text).replaceAll(" ");
            code = IMPORT.matcher(code).replaceAll(" ");
            code = PACKAGE.matcher(code).replaceAll(" ");
            return new Source(name, pkg.find() ? pkg.group(1) : "", code, imports, staticImports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
