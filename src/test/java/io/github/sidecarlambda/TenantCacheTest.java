package io.github.sidecarlambda;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant cache is bounded (least recently used dropped) and idle tenants are dropped, then assumed again. */
class TenantCacheTest extends ManyTenantsTestSupport {

    @Override
    void configure(SidecarLambdaComponent component) {
        component.setMaxCachedTenants(3);
        component.setCredentialsIdleTimeout(800);
    }

    @Test
    void theCacheIsBoundedAndIdleTenantsAreDroppedAndAssumedAgain() throws Exception {
        SidecarLambdaComponent component = component();

        for (int round = 0; round < 2; round++) {
            for (int i = 10; i < 15; i++) {
                assertThat(template.requestBody("direct:t" + i, "{}", String.class))
                        .isEqualTo("{}");
            }
        }
        assertThat(component.tenants().size()).isLessThanOrEqualTo(3);
        // 5 tenants round-robin through a cache of 3: evicted ones are assumed again on their next message
        assertThat(emulator.count("sts", "AssumeRole", true)).isGreaterThan(5);

        emulator.resetCounters();
        Thread.sleep(1_200);
        assertThat(component.tenants().size()).isZero();
        assertThat(emulator.count("sts", "AssumeRole"))
                .as("no refresh for idle tenants")
                .isZero();
        assertThat(template.requestBody("direct:t10", "{}", String.class)).isEqualTo("{}");
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
    }
}
