package io.github.sidecarlambda.examples.quarkus;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every AWS SDK module on the application's class path has one version. Quarkus' and Camel Quarkus' BOMs manage
 * some SDK modules (2.42.x) and not others (ssm): without the SDK's own BOM imported first, sts and lambda would move
 * while ssm stayed, and the mix fails at run time in ways no compiler sees.
 */
@QuarkusTest
@WithTestResource(AwsEmulatorResource.class)
class AwsSdkAlignmentTest {

    @Test
    void allAwsSdkModulesHaveTheSameVersion() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            URL url = manifests.nextElement();
            if (!"jar".equals(url.getProtocol())) {
                continue;
            }
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().startsWith("META-INF/maven/software.amazon.awssdk/")
                            && entry.getName().endsWith("/pom.properties")) {
                        Properties pom = new Properties();
                        try (InputStream in = jar.getInputStream(entry)) {
                            pom.load(in);
                        }
                        versions.put(pom.getProperty("artifactId"), pom.getProperty("version"));
                    }
                }
            }
        }

        assertThat(versions).containsKeys("sts", "ssm", "lambda", "secretsmanager", "netty-nio-client", "sdk-core");
        assertThat(versions.values().stream().distinct())
                .as("AWS SDK module versions: %s", versions)
                .hasSize(1);
    }
}
