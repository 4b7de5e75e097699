package io.github.sidecarlambda.testing;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

/**
 * Base class for testing routes that use {@code sidecar-lambda:} offline: starts the embedded AWS emulator with the
 * seed's scenario once per test class, and gives each test's CamelContext the operator's environment played by it
 * ({@link EmulatorEnvironment}). Add to the scenario in a subclass's own {@code @BeforeAll} (it runs after this one),
 * e.g. {@code emulator.putParameter(...)} or {@code emulator.putFunction(...)}. Published in the component's {@code testing} jar (classifier testing; docs/emulator.md).
 */
public abstract class EmulatedAwsTestSupport extends CamelTestSupport {

    protected static AwsEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = SeedScenario.builder().start();
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** Each test starts with clean counters, call log and faults. */
    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        emulator.resetCounters();
        emulator.faults().clear();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        EmulatorEnvironment.apply(context, emulator);
        return context;
    }
}
