package io.github.sidecarlambda.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;

import static io.github.sidecarlambda.cli.EmulatedPlatform.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole onboarding of a new customer with the tool, on the emulator: External ID, both policies (linted), the
 * customer's role created from them, preflight, a route invoking; then a rotation of the External ID by the runbook
 * (create new, customer trusts both, rotate, customer removes the old) under steady traffic with no failed exchange.
 */
class OnboardingTest {

    static final String CUSTOMER = "333344445555";
    static final String ROLE_NAME = "Boomi_sidecar_connector_wayne";
    static final String ROLE = "arn:aws:iam::" + CUSTOMER + ":role/" + ROLE_NAME;
    static final String FUNCTION = "arn:aws:lambda:us-east-1:" + CUSTOMER + ":function:Invoices";
    static final String KEY = "wayne/prod/trustKey";

    AwsEmulator aws;
    CamelContext camel;
    String store;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        aws = EmulatedPlatform.start();
        aws.putFunction(FunctionSpec.of(
                CUSTOMER,
                SeedScenario.REGION,
                "Invoices",
                (payload, ctx) -> ("{\"invoices\":" + new String(payload, StandardCharsets.UTF_8) + "}")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        aws.close();
    }

    /** The operator's commands run with the onboarding identity; preflight with the platform's, as routes run. */
    private CliRun operator(String... args) {
        CliRun run =
                CliRun.run(EmulatedPlatform.onboarding(aws), CliRun.args(CliRun.args(args, "--store", store), at(aws)));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private CliRun lint(String policy, String... options) throws Exception {
        Path file = Files.createTempFile(dir, "policy", ".json");
        Files.writeString(file, policy);
        CliRun run = CliRun.run(null, CliRun.args(new String[] {"policy", "lint", file.toString()}, options));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private CliRun preflight() {
        CliRun run = CliRun.run(
                EmulatedPlatform.platform(aws),
                CliRun.args(
                        new String[] {
                            "preflight",
                            "--role-arn",
                            ROLE,
                            "--external-id-key",
                            KEY,
                            "--function",
                            FUNCTION,
                            "--store",
                            store
                        },
                        at(aws)));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private String trustPolicy(boolean includePending) {
        return operator(
                        includePending
                                ? new String[] {
                                    "policy",
                                    "trust",
                                    "--platform-principal",
                                    SeedScenario.PLATFORM_ROLE_ARN,
                                    "--external-id-key",
                                    KEY,
                                    "--include-pending"
                                }
                                : new String[] {
                                    "policy",
                                    "trust",
                                    "--platform-principal",
                                    SeedScenario.PLATFORM_ROLE_ARN,
                                    "--external-id-key",
                                    KEY
                                })
                .out();
    }

    @ParameterizedTest(name = "External IDs in {0}")
    @ValueSource(strings = {"parameterStore", "secretsManager"})
    void onboardThenRotateUnderTrafficWithoutAFailedExchange(String externalIdStore) throws Exception {
        store = externalIdStore;
        // 1. the operator: External ID, then both policies for the customer
        String externalId = operator("external-id", "create", KEY).out().strip();
        String trust = trustPolicy(false);
        String permission =
                CliRun.run(null, "policy", "invoke", "--function", FUNCTION).out();
        assertThat(trust).contains(externalId);

        // 2. the customer lints what they will paste, and creates the role from it
        lint(trust, "--platform-principal", SeedScenario.PLATFORM_ROLE_ARN, "--role-arn", ROLE);
        lint(permission, "--function", FUNCTION);
        aws.account(CUSTOMER, a -> a.role("/", ROLE_NAME, trust, permission));

        // 3. preflight, then a route
        assertThat(preflight().out()).contains("All 5 checks passed.");
        camel = new DefaultCamelContext();
        EmulatorEnvironment.apply(camel, aws);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:invoices")
                        .to("sidecar-lambda:" + FUNCTION + "?roleArn=" + ROLE + "&externalIdKey=" + KEY
                                + "&externalIdStore=" + store);
            }
        });
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        assertThat(template.requestBody("direct:invoices", "{\"n\":7}", String.class))
                .isEqualTo("{\"invoices\":{\"n\":7}}");

        // 4. rotation by the runbook, under traffic
        long assumedBefore = aws.count("sts", "AssumeRole", true);
        try (Traffic traffic = new Traffic(template)) {
            traffic.awaitMore(20);
            String next =
                    operator("external-id", "create", KEY, "--rotate").out().strip();
            assertThat(next).isNotEqualTo(externalId);
            // the customer trusts both
            String both = trustPolicy(true);
            assertThat(both).contains(externalId).contains(next);
            lint(both, "--platform-principal", SeedScenario.PLATFORM_ROLE_ARN);
            aws.updateTrustPolicy(ROLE, both);
            traffic.awaitMore(20);
            // the operator switches; preflight proves the new value works
            operator("external-id", "rotate", KEY);
            preflight();
            traffic.awaitMore(20);
            // the customer removes the old one
            String onlyNew = trustPolicy(false);
            assertThat(onlyNew).contains(next).doesNotContain(externalId);
            aws.updateTrustPolicy(ROLE, onlyNew);
            // an hour later the route's credentials expire: it must renew them with the new External ID
            aws.clock().advance(Duration.ofMinutes(61));
            traffic.awaitMore(50);
        }
        // one AssumeRole by the second preflight, one by the route renewing its credentials after the clock moved:
        // that one can only have used the new External ID, the trust policy no longer accepts the old one
        assertThat(aws.count("sts", "AssumeRole", true)).isEqualTo(assumedBefore + 2);
        assertThat(template.requestBody("direct:invoices", "{\"n\":8}", String.class))
                .isEqualTo("{\"invoices\":{\"n\":8}}");
    }

    /** Two threads sending until closed; every failure is kept. */
    static final class Traffic implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        final ExecutorService threads = Executors.newFixedThreadPool(2);

        Traffic(ProducerTemplate template) {
            for (int i = 0; i < 2; i++) {
                threads.submit(() -> {
                    while (running.get()) {
                        Exchange result = template.request(
                                "direct:invoices", e -> e.getMessage().setBody("{\"n\":1}"));
                        if (result.getException() != null) {
                            failures.add(result.getException());
                        } else {
                            ok.incrementAndGet();
                        }
                    }
                });
            }
        }

        void awaitMore(int count) throws InterruptedException {
            int target = ok.get() + count;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ok.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(failures).isEmpty();
            assertThat(ok.get()).as("successful exchanges within 30 s").isGreaterThanOrEqualTo(target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).as("failed exchanges").isEmpty();
        }
    }
}
