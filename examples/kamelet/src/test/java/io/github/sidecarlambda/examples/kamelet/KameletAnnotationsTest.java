package io.github.sidecarlambda.examples.kamelet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata catalogs and UIs read from the Kamelet, checked as the camel-kamelets validator checks its catalog
 * (an icon and a catalog version on every Kamelet), plus the namespace camel-kamelets gives its AWS Kamelets.
 */
class KameletAnnotationsTest {

    @Test
    @SuppressWarnings("unchecked")
    void theKameletCarriesAnSvgIconAndTheAwsNamespace() throws Exception {
        Map<String, Object> kamelet;
        try (InputStream in = getClass().getResourceAsStream("/kamelets/sidecar-lambda-sink.kamelet.yaml")) {
            kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        Map<String, Object> metadata = (Map<String, Object>) kamelet.get("metadata");
        Map<String, String> annotations = (Map<String, String>) metadata.get("annotations");

        assertThat(annotations).containsEntry("camel.apache.org/kamelet.namespace", "AWS");
        assertThat(annotations.get("camel.apache.org/catalog.version")).isNotBlank();

        String icon = annotations.get("camel.apache.org/kamelet.icon");
        String prefix = "data:image/svg+xml;base64,";
        assertThat(icon).startsWith(prefix);
        byte[] svg = Base64.getDecoder().decode(icon.substring(prefix.length()));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    }

    /**
     * Camel K and Camel JBang resolve the Kamelet's {@code mvn:} dependency from a Maven repository: it must name a
     * release (a SNAPSHOT exists only in the repository of whoever built it), this project's when it is a release.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theKameletDependsOnAReleasedComponent() throws Exception {
        Map<String, Object> kamelet;
        try (InputStream in = getClass().getResourceAsStream("/kamelets/sidecar-lambda-sink.kamelet.yaml")) {
            kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        List<String> dependencies = (List<String>) ((Map<String, Object>) kamelet.get("spec")).get("dependencies");
        String prefix = "mvn:io.github.sidecarlambda:camel-sidecar-lambda:";
        assertThat(dependencies)
                .filteredOn(d -> d.startsWith(prefix))
                .singleElement()
                .satisfies(d -> assertThat(d.substring(prefix.length())).matches("\\d+\\.\\d+\\.\\d+"));
        String project = System.getProperty("sidecar-lambda.version");
        assertThat(project).isNotBlank();
        if (!project.endsWith("-SNAPSHOT")) {
            assertThat(dependencies).contains(prefix + project);
        }
    }
}
