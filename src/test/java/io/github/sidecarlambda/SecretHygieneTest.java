package io.github.sidecarlambda;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sidecarlambda.credentials.ExternalId;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No External ID, secret key or session token in exception messages, toString(), endpoint URIs or JMX. (The TRACE
 * log of the whole suite is checked after every test by {@link SidecarLambdaTestSupport}.)
 */
class SecretHygieneTest extends SidecarLambdaTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withEnableJMX();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return okFailAndDeniedRoutes();
    }

    @Test
    void secretsAppearNowhereAUserOrOperatorCanSee() throws Exception {
        Exchange ok = template.request("direct:ok", e -> e.getMessage().setBody("{}"));
        Exchange fail = template.request("direct:fail", e -> e.getMessage().setBody("{}"));
        Exchange denied = template.request("direct:denied", e -> e.getMessage().setBody("{}"));
        assertThat(ok.getException()).isNull();
        assertThat(fail.getException()).isInstanceOf(FunctionErrorException.class);
        assertThat(denied.getException()).isInstanceOf(AssumeRoleDeniedException.class);

        List<String> visible = new ArrayList<>();
        for (Exchange e : List.of(ok, fail, denied)) {
            visible.add(e.getMessage().getHeaders().toString());
            visible.add(String.valueOf(e.getMessage().getBody()));
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                visible.add(t.toString());
                for (StackTraceElement element : t.getStackTrace()) {
                    visible.add(element.toString());
                }
            }
        }
        for (Endpoint endpoint : context.getEndpoints()) {
            visible.add(endpoint.getEndpointUri());
            visible.add(endpoint.toString());
            if (endpoint instanceof SidecarLambdaEndpoint sidecar) {
                visible.add(String.valueOf(sidecar.tenant()));
                try {
                    addSecrets(sidecar.tenant().credentials().join().credentials());
                } catch (java.util.concurrent.CompletionException tenantDenied) {
                    visible.add(tenantDenied.getCause().getMessage());
                }
            }
        }
        visible.add(ExternalId.ofOrNull(SeedScenario.EXTERNAL_ID).toString());
        visible.addAll(jmxAttributes());

        assertThat(visible).hasSizeGreaterThan(20);
        // the secrets are known: the platform's and the acme tenant's keys and tokens, every External ID
        assertThat(SECRETS).hasSizeGreaterThanOrEqualTo(7);
        for (String text : visible) {
            assertNoSecretIn(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SidecarLambdaComponent.SDK_SIGNER_LOGGER, SidecarLambdaComponent.NETTY_WIRE_LOGGER})
    void warnsWhenAnSdkLoggerWouldPrintSessionTokens(String logger) throws Exception {
        org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.DEBUG);
        try {
            SidecarLambdaComponent component = new SidecarLambdaComponent();
            component.setCamelContext(context);
            long before = java.nio.file.Files.size(TRACE_LOG);
            component.start();
            component.stop();
            String warned = "Logger " + logger + " is at DEBUG";
            assertThat(logSince(before).split(java.util.regex.Pattern.quote(warned), -1).length - 1)
                    .isEqualTo(1);
            assertThat(logSince(before)).contains("Set it to INFO");
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.INFO);
        }
    }

    private List<String> jmxAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> values = new ArrayList<>();
        List<String> oursUnreadable = new ArrayList<>();
        int endpoints = 0;
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:*"), null)) {
            if ("endpoints".equals(name.getKeyProperty("type"))
                    && name.toString().contains("sidecar-lambda")) {
                endpoints++;
            }
            values.add(name.toString());
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                try {
                    values.add(name + " " + attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
                } catch (Exception | LinkageError unreadable) {
                    // Camel's own MBeans have attributes that need a running service: their error text is checked too
                    values.add(name + " " + attribute.getName() + " threw " + unreadable);
                    if (name.toString().contains("sidecar-lambda")
                            || name.toString().contains("SidecarLambda")) {
                        oursUnreadable.add(name + " " + attribute.getName() + ": " + unreadable);
                    }
                }
            }
        }
        assertThat(endpoints).as("sidecar-lambda endpoints in JMX").isEqualTo(3);
        // every attribute of the component's own MBeans is read, none skipped
        assertThat(oursUnreadable)
                .as("sidecar-lambda JMX attributes that could not be read")
                .isEmpty();
        return values;
    }

    /** What the TRACE log gained since {@code offset} bytes. */
    private static String logSince(long offset) throws java.io.IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(TRACE_LOG)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (ch.size() - offset));
            ch.read(buffer, offset);
            return new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
