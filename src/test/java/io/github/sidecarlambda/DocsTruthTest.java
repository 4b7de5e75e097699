package io.github.sidecarlambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation names only what exists: every header {@code CamelSidecarLambda*}, every option in a
 * {@code sidecar-lambda:} URI or a {@code camel.component.sidecar-lambda.*} property, every benchmark or drill system
 * property ({@code -Dbench.*}, {@code -Ddrill.*}), every fully qualified class of ours and every test, benchmark, peer
 * or drill class named in README.md, CHANGELOG.md, docs/ and examples/README.md. A rename or a removal that leaves a
 * document behind fails here, with the document and the name.
 */
class DocsTruthTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyNameTheDocsUseExists() throws IOException {
        // the Camel 4.14 run (.ci/camel-4.14.sh) works in a copy with only pom.xml, src, docs and README.md: the
        // documents and the code of the other projects are checked in the main build
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(ROOT.resolve("examples")), "not in the repository's own directory");
        List<Path> docs = new ArrayList<>(
                List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"), ROOT.resolve("examples/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        String catalog = Files.readString(
                ROOT.resolve("src/generated/resources/META-INF/io/github/sidecarlambda/sidecar-lambda.json"));
        Set<String> options = names(catalog, "\"(\\w+)\": \\{ \"index\"");
        String constants =
                Files.readString(ROOT.resolve("src/main/java/io/github/sidecarlambda/SidecarLambdaConstants.java"));
        Set<String> headers = names(constants, "\"(CamelSidecarLambda\\w+)\"");
        String sources = allJavaSources();
        Set<String> classes = javaClassNames();

        List<String> missing = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            String where = ROOT.relativize(doc).toString();
            for (String header : names(text, "(CamelSidecarLambda[A-Za-z]+)")) {
                if (!headers.contains(header)) {
                    missing.add(where + ": header " + header);
                }
            }
            Matcher uri = Pattern.compile("sidecar-lambda:[^\\s`\"')]*\\?([^\\s`\"')]+)")
                    .matcher(text);
            while (uri.find()) {
                for (String param : uri.group(1).split("&")) {
                    String name = param.split("=", 2)[0];
                    if (name.matches("[a-z][A-Za-z]+") && !options.contains(name)
                            || name.startsWith("sidecarParam.") && !options.contains("sidecarParam")) {
                        missing.add(where + ": URI option " + name);
                    }
                }
            }
            // Spring Boot's relaxed binding: max-cached-tenants is maxCachedTenants; enabled, customizer.* are Camel's
            for (String property : names(text, "camel\\.component\\.sidecar-lambda\\.([a-z][A-Za-z-]+)")) {
                if (!Set.of("customizer", "enabled").contains(property) && !options.contains(camelCase(property))) {
                    missing.add(where + ": component property " + property);
                }
            }
            for (String property : names(text, "(?:(?<=-D)|\\b)((?:bench|drill)\\.[a-z][A-Za-z0-9.]*[A-Za-z0-9])")) {
                if (!sources.contains("\"" + property + "\"")) {
                    missing.add(where + ": system property " + property);
                }
            }
            for (String fqcn : names(text, "\\b(io\\.github\\.sidecarlambda(?:\\.[a-z]+)*\\.[A-Z][A-Za-z0-9]+)")) {
                String simple = fqcn.substring(fqcn.lastIndexOf('.') + 1);
                if (!classes.contains(simple)) {
                    missing.add(where + ": class " + fqcn);
                }
            }
            for (String name : names(text, "`([A-Z][A-Za-z0-9]*(?:Test|IT|Benchmark|Peer|Drill))(?:#\\w+)?`")) {
                if (!classes.contains(name)) {
                    missing.add(where + ": class " + name);
                }
            }
        }
        assertThat(missing).as("names in the docs that the code no longer has").isEmpty();
    }

    /** The check itself finds what is gone (the names below exist nowhere in the code). */
    @Test
    void theCheckFindsAGoneName() throws IOException {
        String constants =
                Files.readString(ROOT.resolve("src/main/java/io/github/sidecarlambda/SidecarLambdaConstants.java"));
        assertThat(names(constants, "\"(CamelSidecarLambda\\w+)\""))
                .contains("CamelSidecarLambdaRoleArn")
                .doesNotContain("CamelSidecarLambdaNoSuchHeader");
        assertThat(allJavaSources()).contains("\"bench.loads\"").doesNotContain("\"bench.function\"");
    }

    private static String camelCase(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static Set<String> names(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<Path> javaFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src", "emulator/src", "cli/src", "starter/src", "examples")) {
            Path d = ROOT.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    // this test's own text names gone things on purpose
                    s.filter(p -> p.toString().endsWith(".java")
                                    && !p.toString().contains("/target/")
                                    && !p.endsWith("DocsTruthTest.java"))
                            .forEach(files::add);
                }
            }
        }
        return files;
    }

    private static Set<String> javaClassNames() throws IOException {
        return javaFiles().stream()
                .map(p -> p.getFileName().toString().replace(".java", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String allJavaSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : javaFiles()) {
            all.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
        }
        return all.toString();
    }
}
