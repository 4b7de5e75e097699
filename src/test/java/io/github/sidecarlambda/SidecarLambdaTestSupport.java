package io.github.sidecarlambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes against the embedded AWS emulator in the {@link TestScenario}. The component's defaults point every client at
 * the emulator and use the platform role's credentials ({@code java_proxy}), as the operator's environment would.
 * <p>
 * After every test, every secret seen so far (External IDs, the platform's and every tenant's secret key and session
 * token) is looked for in the TRACE log the suite writes ({@code target/test-trace.log}, see log4j2-test.xml): the
 * whole suite doubles as the secret-hygiene test.
 */
abstract class SidecarLambdaTestSupport extends CamelTestSupport {

    static final Path TRACE_LOG = Path.of("target/test-trace.log");
    static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    static AwsEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = TestScenario.builder().start();
        SECRETS.add(SeedScenario.EXTERNAL_ID);
        SECRETS.add(TestScenario.GLOBEX_EXTERNAL_ID);
        SECRETS.add(TestScenario.ACME_WRONG_EXTERNAL_ID);
        for (int i = 0; i < TestScenario.MANY; i++) {
            SECRETS.add(TestScenario.manyExternalId(i));
        }
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Override
    protected void doPreSetup() throws Exception {
        emulator.resetCounters();
        emulator.faults().clear();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        EmulatorEnvironment.apply(context, emulator);
        // the platform identity's session, issued for this context: its secret key and token must not leak either
        addSecrets(context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                .getConfiguration()
                .getBaseCredentialsProvider()
                .resolveCredentials());
        return context;
    }

    static void addSecrets(AwsCredentials credentials) {
        SECRETS.add(credentials.secretAccessKey());
        if (credentials instanceof AwsSessionCredentials session) {
            SECRETS.add(session.sessionToken());
        }
    }

    @AfterEach
    void noSecretInTraceLog() throws IOException {
        if (context != null) {
            for (Endpoint endpoint : context.getEndpoints()) {
                if (endpoint instanceof SidecarLambdaEndpoint sidecar
                        && sidecar.target() != null
                        && sidecar.tenant().current() != null) {
                    addSecrets(sidecar.tenant().current().credentials());
                }
            }
        }
        assertNoSecretInNewTraceLog();
    }

    /** How far the TRACE log has been scanned; the file is written anew by each test JVM. */
    private static long traceScanned;

    /**
     * Scans what the TRACE log gained since the last scan (plus an overlap, so a secret cut by the boundary is seen)
     * for every secret known so far. That is sound because every secret is born during a test (the platform session
     * of its context, its tenants' credentials) and added to {@link #SECRETS} by the end of that test; and it keeps
     * the check linear in the log's size, which the heavier tests grow to hundreds of MB.
     */
    static synchronized void assertNoSecretInNewTraceLog() throws IOException {
        assertThat(TRACE_LOG).exists();
        long overlap = 8_192;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(TRACE_LOG)) {
            long size = ch.size();
            long from = Math.max(0, Math.min(traceScanned, size) - overlap);
            java.nio.ByteBuffer buffer =
                    java.nio.ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - from));
            ch.read(buffer, from);
            String log = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            assertThat(size).as("TRACE log of the suite").isPositive();
            for (String secret : SECRETS) {
                assertThat(log.contains(secret))
                        .as("a secret (%d chars) appears in %s", secret.length(), TRACE_LOG)
                        .isFalse();
            }
            traceScanned = size;
        }
    }

    static void assertNoSecretIn(Path file) throws IOException {
        assertThat(file).exists();
        String log = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(log).as("TRACE log of the suite").isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(log.contains(secret))
                    .as("a secret (%d chars) appears in %s", secret.length(), file)
                    .isFalse();
        }
    }

    static void assertNoSecretIn(String text) {
        for (String secret : SECRETS) {
            assertThat(text.contains(secret))
                    .as("a secret (%d chars) appears in: %s", secret.length(), text)
                    .isFalse();
        }
    }

    /**
     * Three routes that make every kind of log line the secret-hygiene tests look at: {@code direct:ok} (acme, with the
     * log tail), {@code direct:fail} (a function error) and {@code direct:denied} (a wrong External ID).
     */
    static RouteBuilder okFailAndDeniedRoutes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ok").to(acme() + "&logType=Tail");
                from("direct:fail").to(globex("Fail"));
                from("direct:denied")
                        .to("sidecar-lambda:SideCarJsonResponse?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_WRONG_KEY);
            }
        };
    }

    static String acme() {
        return "sidecar-lambda:" + SeedScenario.FUNCTION_NAME + "?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                + TestScenario.ACME_KEY;
    }

    static String globex(String function) {
        return "sidecar-lambda:" + function + "?roleArn=" + TestScenario.GLOBEX_ROLE + "&externalIdKey="
                + TestScenario.GLOBEX_KEY;
    }

    /**
     * Sends {@code n} exchanges to {@code route} from {@code n} threads released at the same instant (a burst, as on a
     * cold start) and returns them once all completed (at most 60 s each).
     */
    java.util.List<org.apache.camel.Exchange> concurrently(int n, String route, String body) throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.CompletableFuture<org.apache.camel.Exchange>> futures =
                    new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return template.request(route, e -> e.getMessage().setBody(body));
                        },
                        callers));
            }
            start.countDown();
            java.util.List<org.apache.camel.Exchange> results = new java.util.ArrayList<>();
            for (java.util.concurrent.CompletableFuture<org.apache.camel.Exchange> f : futures) {
                results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }
}
