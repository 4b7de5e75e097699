package io.github.sidecarlambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root pom.xml is the component (the design card keeps it so), so the projects README's second command builds
 * (emulator, starter, CLI, examples) cannot inherit its versions; each states them again. This test makes the root
 * pom the one place they are decided: every other pom must say the same project version, the same version of each
 * library the root pins ({@code camel.version}, {@code aws-sdk.version}, ...), {@code sidecar-lambda.version} equal to
 * the component's version, and the same version of each Maven plugin the root pins.
 */
class BuildConsistencyTest {

    private static final Path ROOT = Paths.get(System.getProperty("build.root", "."));

    @Test
    void everyPomSaysWhatTheRootPomDecides() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        String version = text(root.getDocumentElement(), "version");
        Map<String, String> properties = properties(root);
        Map<String, String> plugins = pluginVersions(root);
        assertThat(properties).containsKeys("camel.version", "aws-sdk.version");
        assertThat(plugins).containsKeys("maven-surefire-plugin", "maven-compiler-plugin");

        List<Path> poms = poms();
        assertThat(poms)
                .as("the poms of README's second command")
                .contains(
                        ROOT.resolve("emulator/pom.xml"),
                        ROOT.resolve("starter/pom.xml"),
                        ROOT.resolve("cli/pom.xml"),
                        ROOT.resolve("examples/pom.xml"));
        List<String> disagreements = new ArrayList<>();
        for (Path pom : poms) {
            Document doc = parse(pom);
            Element project = doc.getDocumentElement();
            String own = text(project, "version");
            if (own != null && !own.equals(version)) {
                disagreements.add(pom + ": version " + own + ", the component's is " + version);
            }
            properties(doc).forEach((name, value) -> {
                if (name.equals("sidecar-lambda.version") && !value.equals(version)) {
                    disagreements.add(pom + ": sidecar-lambda.version " + value + ", the component's is " + version);
                } else if (properties.containsKey(name) && !properties.get(name).equals(value)) {
                    disagreements.add(pom + ": " + name + " " + value + ", root pom.xml says " + properties.get(name));
                }
            });
            pluginVersions(doc).forEach((plugin, value) -> {
                if (plugins.containsKey(plugin) && !plugins.get(plugin).equals(value)) {
                    disagreements.add(pom + ": " + plugin + " " + value + ", root pom.xml says " + plugins.get(plugin));
                }
            });
        }
        assertThat(disagreements).isEmpty();
    }

    /**
     * The artifacts users are told to depend on (the component, the emulator module docs/emulator.md names, the Spring
     * Boot starter) each carry what a public repository such as Maven Central requires: name, description, URL,
     * licence, developers and SCM equal to the component's, and a {@code release} profile that attaches the sources and
     * javadoc jars (CI runs it for each). The CLI and the examples are not published: they are run or read from here.
     */
    @Test
    void everyPublishedPomCarriesWhatAPublicRepositoryRequires() throws Exception {
        Element root = parse(ROOT.resolve("pom.xml")).getDocumentElement();
        List<String> missing = new ArrayList<>();
        for (String module : List.of(".", "emulator", "starter")) {
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            Element project = parse(pom).getDocumentElement();
            for (String element : List.of("name", "description", "url")) {
                String value = text(project, element);
                if (value == null || value.isBlank()) {
                    missing.add(pom + ": no <" + element + ">");
                }
            }
            for (String element : List.of("licenses", "developers", "scm")) {
                Element own = child(project, element);
                if (own == null) {
                    missing.add(pom + ": no <" + element + ">");
                } else if (!own.getTextContent()
                        .replaceAll("\\s+", " ")
                        .trim()
                        .equals(child(root, element)
                                .getTextContent()
                                .replaceAll("\\s+", " ")
                                .trim())) {
                    missing.add(pom + ": <" + element + "> differs from the component's");
                }
            }
            List<String> releasePlugins = new ArrayList<>();
            Element profiles = child(project, "profiles");
            for (Node n = profiles == null ? null : profiles.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element profile && "release".equals(text(profile, "id"))) {
                    NodeList plugins = profile.getElementsByTagName("plugin");
                    for (int i = 0; i < plugins.getLength(); i++) {
                        releasePlugins.add(text((Element) plugins.item(i), "artifactId"));
                    }
                }
            }
            for (String plugin : List.of("maven-source-plugin", "maven-javadoc-plugin")) {
                if (!releasePlugins.contains(plugin)) {
                    missing.add(pom + ": its release profile has no " + plugin);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static List<Path> poms() throws IOException {
        List<Path> poms = new ArrayList<>();
        for (String dir : List.of("emulator", "starter", "cli", "examples")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().equals("pom.xml")
                                && !p.toString().contains("/target/"))
                        .forEach(poms::add);
            }
        }
        return poms;
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** A direct child element's text. */
    private static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The {@code *.version} properties of the project (not of its profiles). */
    private static Map<String, String> properties(Document doc) {
        Map<String, String> found = new TreeMap<>();
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("properties")) {
                for (Node p = e.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element property && property.getTagName().endsWith(".version")) {
                        found.put(
                                property.getTagName(), property.getTextContent().trim());
                    }
                }
            }
        }
        return found;
    }

    /** Each plugin's version wherever the pom states one literally (build, pluginManagement, profiles). */
    private static Map<String, String> pluginVersions(Document doc) {
        Map<String, String> found = new LinkedHashMap<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifact = text(plugin, "artifactId");
            String version = text(plugin, "version");
            if (artifact != null && version != null && !version.startsWith("${")) {
                found.putIfAbsent(artifact, version);
            }
        }
        return found;
    }
}
