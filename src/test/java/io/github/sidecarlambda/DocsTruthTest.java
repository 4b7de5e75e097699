package io.github.sidecarlambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation names only what exists: every header {@code CamelSidecarLambda*}, every option in a
 * {@code sidecar-lambda:} URI or a {@code camel.component.sidecar-lambda.*} property, every benchmark or drill system
 * property ({@code -Dbench.*}, {@code -Ddrill.*}), every fully qualified class of ours, every test, benchmark, peer or
 * drill class, and every class this repository has had (none may be named once it is gone) named in README.md,
 * CHANGELOG.md, docs/ and the other Markdown files; and every error text docs/troubleshooting.md quotes is one the main
 * code writes. A rename or a removal that leaves a document behind fails here, with the document and the name.
 */
class DocsTruthTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyNameTheDocsUseExists() throws IOException {
        // the Camel 4.14 run (.ci/camel-4.14.sh) works in a copy with only pom.xml, src, docs and README.md: the
        // documents and the code of the other projects are checked in the main build
        Assumptions.assumeTrue(Files.isDirectory(ROOT.resolve("examples")), "not in the repository's own directory");
        List<Path> docs = documents();
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

    /** Classes the build generates from the component's metadata; they exist though no source declares them. */
    private static final Set<String> GENERATED = Set.of("SidecarLambdaComponentConfiguration");

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

    /**
     * No document names a class of ours that is gone. The names this repository's classes have had are the names of
     * the {@code *.java} files in the history of HEAD ({@code git log}); a CamelCase word of a document that is one of
     * them but is declared nowhere in the sources now is a rename or a removal the document missed (as
     * {@code SidecarMode}, now {@code SidecarMapping}, was in docs/sidecar-contract.md). Only CHANGELOG.md may name a
     * gone class, on a line that says so ("renamed", "formerly", "removed", "replaced"). One-word names (a class once
     * called {@code Catalog}) are not checked: they are English words too. Needs the repository's history: skipped
     * outside a git checkout; a shallow clone knows only the names of its own commits.
     */
    @Test
    void noDocumentNamesAClassThatIsGone() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isDirectory(ROOT.resolve("examples")), "not in the repository's own directory");
        Set<String> gone = new TreeSet<>(classNamesInHistory());
        gone.removeAll(declaredTypeNames());
        // generated at build time, so in no source file: the starter's properties class (starter/src/generator)
        gone.removeAll(GENERATED);
        List<String> stale = new ArrayList<>();
        for (Path doc : documents()) {
            stale.addAll(
                    goneNames(ROOT.relativize(doc).toString(), Files.readString(doc, StandardCharsets.UTF_8), gone));
        }
        assertThat(stale)
                .as("classes the documents name that no longer exist (gone from the sources: %s)", gone)
                .isEmpty();
    }

    /** The history check reads what git says, and finds a gone name in a text (but not a longer name it begins). */
    @Test
    void theHistoryCheckFindsAGoneClass() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isDirectory(ROOT.resolve("examples")), "not in the repository's own directory");
        assertThat(classNamesInHistory()).contains("SidecarLambdaComponent", "SidecarLambdaProducer");
        assertThat(declaredTypeNames()).contains("SidecarMapping", "Target").doesNotContain("SidecarMode");
        String text = "Then `SidecarMode` applies it (`SidecarModeTest`).\nSidecarMode.java is gone.";
        assertThat(goneNames("doc.md", text, Set.of("SidecarMode")))
                .containsExactly("doc.md:1: SidecarMode", "doc.md:2: SidecarMode");
        assertThat(goneNames("CHANGELOG.md", "- `SidecarMapping` (formerly `SidecarMode`)", Set.of("SidecarMode")))
                .isEmpty();
    }

    /**
     * Every error text docs/troubleshooting.md quotes is one the main code can still write. A quote is a code span of
     * three words or more, or a fenced block without a language, that is not a command ({@code aws},
     * {@code camel-sidecar-lambda-cli}, ...) or an expression. Its placeholders ({@code ...}, {@code <name>},
     * {@code N}, numbers, {@code [optional parts]}), the option a configuration error starts with ({@code <option>: })
     * and example values (names under {@code acme/}, ARNs, AWS error codes) are left out, so a value the code fills in
     * at run time is written as a placeholder; each remaining piece of two words or more must be written by
     * src/main/java: inside one string literal, or across literals as the code joins them (the end of one, whole ones,
     * the start of another). Texts that AWS writes, not the component, are listed in {@link #AWS_TEXTS}.
     */
    @Test
    void everyErrorTextTroubleshootingQuotesIsWrittenByTheCode() throws IOException {
        Path troubleshooting = ROOT.resolve("docs/troubleshooting.md");
        List<String> literals = mainStringLiterals();
        List<String> stale = new ArrayList<>();
        for (String quote : quotedTexts(Files.readString(troubleshooting, StandardCharsets.UTF_8))) {
            List<String> unwritten = quotePieces(quote).stream()
                    .filter(piece -> !written(piece, literals))
                    .toList();
            if (!unwritten.isEmpty()) {
                stale.add("`" + quote + "`: not written by src/main/java: " + unwritten);
            }
        }
        assertThat(stale)
                .as("error texts docs/troubleshooting.md quotes that the code no longer writes")
                .isEmpty();
    }

    /** The error-text check finds a changed word, and accepts a text the code builds from several literals. */
    @Test
    void theErrorTextCheckFindsAChangedText() throws IOException {
        List<String> literals = mainStringLiterals();
        assertThat(quotePieces("Lambda refused to invoke <function>: <code> (HTTP n): <AWS message>"))
                .allMatch(piece -> written(piece, literals));
        assertThat(quotePieces("External ID parameter /acme/prod/trustKey was not found in Parameter Store (check "
                        + "externalIdKey, parameterStoreRegion and the operator account)"))
                .allMatch(piece -> written(piece, literals));
        assertThat(quotePieces("Lambda declined to invoke <function>: <code> (HTTP n)"))
                .anyMatch(piece -> !written(piece, literals));
        assertThat(quotePieces("External ID parameter /acme/prod/trustKey is missing from Parameter Store"))
                .anyMatch(piece -> !written(piece, literals));
        // a text AWS writes does not vouch for the component's words around it
        assertThat(written(
                        "could not be read: Unable to load credentials from any of the providers in the chain",
                        literals))
                .isTrue();
        assertThat(written(
                        "was not readable: Unable to load credentials from any of the providers in the chain",
                        literals))
                .isFalse();
    }

    /** Texts that AWS writes (the SDK, Lambda), which the troubleshooting guide quotes as they arrive. */
    private static final List<String> AWS_TEXTS = List.of(
            // the AWS SDK's default credentials chain when it finds nothing
            "Unable to load credentials from any of the providers in the chain",
            // the AWS SDK's Netty client when a connection closes under a request
            "The connection was closed during the request",
            // Lambda's error message when a function reaches its timeout
            "Task timed out after");

    private static final Pattern NOT_A_MESSAGE =
            Pattern.compile("^(?:aws|camel-sidecar-lambda-cli|cli|mvn|java|curl) .*|.*(?:\\$\\{| == | < ).*");
    private static final Pattern PLACEHOLDER =
            Pattern.compile("^[A-Za-z][\\w.]*: |\\.\\.\\.|…|<[^<>]*>|\\[|\\]|\\b[NnL]\\b|\\b\\d+\\b"
                    + "|/?acme/\\S*|arn:[^\\s)]*|\\b[A-Z][A-Za-z]*Exception\\b");

    /** Code spans of three words or more, and fenced blocks without a language, whitespace made single spaces. */
    static List<String> quotedTexts(String markdown) {
        List<String> quotes = new ArrayList<>();
        Matcher fenced = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```").matcher(markdown);
        StringBuilder prose = new StringBuilder();
        int last = 0;
        while (fenced.find()) {
            prose.append(markdown, last, fenced.start());
            last = fenced.end();
            if (fenced.group(1).isEmpty()) {
                quotes.add(fenced.group(2).trim().replaceAll("\\s+", " "));
            }
        }
        prose.append(markdown.substring(last));
        String[] parts = prose.toString().split("`", -1);
        for (int i = 1; i < parts.length; i += 2) {
            String span = parts[i].replace("\\|", "|").trim().replaceAll("\\s+", " ");
            if (span.split(" ").length >= 3 && !NOT_A_MESSAGE.matcher(span).matches()) {
                quotes.add(span);
            }
        }
        return quotes;
    }

    /** What of a quote the code must write: the text between its placeholders, in pieces of two words or more. */
    static List<String> quotePieces(String quote) {
        return Stream.of(PLACEHOLDER.split(quote))
                .map(String::strip)
                .filter(DocsTruthTest::isPiece)
                .toList();
    }

    private static boolean isPiece(String text) {
        return text.contains(" ") && text.replaceAll("[^A-Za-z]", "").length() >= 4;
    }

    /**
     * Whether the code writes {@code piece}: one literal holds it, or it is the end of one literal followed by whole
     * literals and the start of another (what {@code "a " + x + " b"} and its neighbours build). A text of AWS's in
     * the piece stands for itself; what is around it must be written.
     */
    static boolean written(String piece, List<String> literals) {
        for (String aws : AWS_TEXTS) {
            int at = piece.indexOf(aws);
            if (at >= 0) {
                return Stream.of(piece.substring(0, at), piece.substring(at + aws.length()))
                        .map(String::strip)
                        .filter(DocsTruthTest::isPiece)
                        .allMatch(around -> written(around, literals));
            }
        }
        if (literals.stream().anyMatch(l -> l.contains(piece))) {
            return true;
        }
        Set<String> whole = new HashSet<>(literals);
        Map<Integer, Boolean> restWritten = new HashMap<>();
        for (int i = 1; i < piece.length(); i++) {
            String head = piece.substring(0, i);
            if (literals.stream().anyMatch(l -> l.endsWith(head)) && rest(piece, i, literals, whole, restWritten)) {
                return true;
            }
        }
        return false;
    }

    private static boolean rest(
            String piece, int from, List<String> literals, Set<String> whole, Map<Integer, Boolean> memo) {
        Boolean known = memo.get(from);
        if (known != null) {
            return known;
        }
        String tail = piece.substring(from);
        boolean ok = literals.stream().anyMatch(l -> l.startsWith(tail));
        for (int j = from + 1; !ok && j < piece.length(); j++) {
            ok = whole.contains(piece.substring(from, j)) && rest(piece, j, literals, whole, memo);
        }
        memo.put(from, ok);
        return ok;
    }

    /** The string literals of src/main/java, unescaped (comments and character literals skipped). */
    static List<String> mainStringLiterals() throws IOException {
        Pattern tokens = Pattern.compile(
                "/\\*.*?\\*/|//[^\\n]*|\"((?:\\\\.|[^\"\\\\\\n])*)\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);
        List<String> literals = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = tokens.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    if (m.group(1) != null && !m.group(1).isEmpty()) {
                        literals.add(m.group(1)
                                .replace("\\\"", "\"")
                                .replace("\\n", "\n")
                                .replace("\\t", "\t")
                                .replace("\\\\", "\\"));
                    }
                }
            }
        }
        return literals;
    }

    /** A name of two humps or more: {@code SidecarMode}, not {@code Catalog}. */
    private static final Pattern CAMEL_CASE_WORD = Pattern.compile("\\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\\b");

    /** Lines of {@code text} naming one of {@code gone}, as "where:line: name". */
    static List<String> goneNames(String where, String text, Set<String> gone) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (where.endsWith("CHANGELOG.md")
                    && lines[i].matches("(?i).*\\b(renamed|formerly|removed|replaced)\\b.*")) {
                continue;
            }
            Matcher word = CAMEL_CASE_WORD.matcher(lines[i]);
            while (word.find()) {
                if (gone.contains(word.group())) {
                    found.add(where + ":" + (i + 1) + ": " + word.group());
                }
            }
        }
        return found;
    }

    /** The simple names of every {@code *.java} file in the history of HEAD. */
    private static Set<String> classNamesInHistory() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.exists(ROOT.resolve(".git")), "not a git checkout: no history to read");
        Process git;
        try {
            git = new ProcessBuilder("git", "log", "--format=", "--name-only", "--no-renames", "HEAD", "--", "*.java")
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException noGit) {
            Assumptions.abort("git cannot be run here: " + noGit.getMessage());
            throw noGit;
        }
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as("git log failed: %s", out).isZero();
        return out.lines()
                .filter(line -> line.endsWith(".java"))
                .map(line -> line.substring(line.lastIndexOf('/') + 1, line.length() - ".java".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every class, interface, enum and record the sources declare (nested ones too), and every file's name. */
    private static Set<String> declaredTypeNames() throws IOException {
        Set<String> names = javaClassNames();
        names.addAll(names(allJavaSources(), "\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)"));
        return names;
    }

    /** Every Markdown file of the repository, not under target/ or a hidden directory. */
    private static List<Path> documents() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        String relative = ROOT.relativize(p).toString().replace('\\', '/');
                        return !relative.startsWith("target/")
                                && !relative.contains("/target/")
                                && !relative.startsWith(".")
                                && !relative.contains("/.");
                    })
                    .sorted()
                    .toList();
        }
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

    /** The name of every Java file (this one included: only its text is left out of the sources). */
    private static Set<String> javaClassNames() throws IOException {
        Set<String> names = javaFiles().stream()
                .map(p -> p.getFileName().toString().replace(".java", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        names.add(DocsTruthTest.class.getSimpleName());
        return names;
    }

    private static String allJavaSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : javaFiles()) {
            all.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
        }
        return all.toString();
    }
}
