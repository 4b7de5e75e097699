package io.github.sidecarlambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Routes for the many small tenants of {@link TestScenario} ({@code direct:t0} … {@code direct:t24}), a component
 * clock the test can move (credential expiry as the component sees it; AWS's clock is the emulator's), and a hook to
 * set component options before the component starts.
 */
abstract class ManyTenantsTestSupport extends SidecarLambdaTestSupport {

    /** The component's notion of "now" (credential expiry); AWS's is the emulator's clock. */
    static final class MovableClock extends Clock {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }

        void advance(Duration d) {
            offsetMillis.addAndGet(d.toMillis());
        }
    }

    final MovableClock clock = new MovableClock();

    /** Component options for this test class, set before anything starts. */
    abstract void configure(SidecarLambdaComponent component);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        SidecarLambdaComponent component = context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
        component.setClock(clock);
        configure(component);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < TestScenario.MANY; i++) {
                    from("direct:t" + i).to(TestScenario.many(i));
                }
                from("direct:t4long").to(TestScenario.many(4) + "&externalIdCacheTtl=2h");
                from("direct:denied").to(acme().replace(TestScenario.ACME_KEY, TestScenario.ACME_WRONG_KEY));
                from("direct:perMessage").to(TestScenario.many(0) + "&tenantFromHeaders=true");
            }
        };
    }

    SidecarLambdaComponent component() {
        return context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
    }
}
