package io.github.sidecarlambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sidecarlambda.emulator.SeedScenario;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant cache is bounded (least recently used dropped) and idle tenants are dropped, then assumed again. */
class TenantCacheTest extends SidecarLambdaTestSupport {

    private final ManyTenantsTest.MovableClock clock = new ManyTenantsTest.MovableClock();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        SidecarLambdaComponent component = context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
        component.setClock(clock);
        component.setMaxCachedTenants(3);
        component.setCredentialsIdleTimeout(800);
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
            }
        };
    }

    private SidecarLambdaComponent component() {
        return context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
    }

    @Test
    void theCacheIsBoundedAndIdleTenantsAreDroppedAndAssumedAgain() throws Exception {
        SidecarLambdaComponent component = component();

        for (int round = 0; round < 2; round++) {
            for (int i = 10; i < 15; i++) {
                assertThat(template.requestBody("direct:t" + i, "{}", String.class)).isEqualTo("{}");
            }
        }
        assertThat(component.tenants().size()).isLessThanOrEqualTo(3);
        // 5 tenants round-robin through a cache of 3: evicted ones are assumed again on their next message
        assertThat(emulator.count("sts", "AssumeRole", true)).isGreaterThan(5);

        emulator.resetCounters();
        Thread.sleep(1_200);
        assertThat(component.tenants().size()).isZero();
        assertThat(emulator.count("sts", "AssumeRole")).as("no refresh for idle tenants").isZero();
        assertThat(template.requestBody("direct:t10", "{}", String.class)).isEqualTo("{}");
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
    }
}
