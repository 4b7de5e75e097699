package io.github.sidecarlambda;

import java.lang.reflect.Field;

import com.github.benmanes.caffeine.cache.Cache;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;

/**
 * For benchmarks outside this package: what the component holds (Lambda clients, cached tenants, an endpoint's
 * parsed tenant headers) and a way to drop it, so that a measurement can tell the component's memory from the
 * emulator's. Not for production code.
 */
public final class Internals {

    private Internals() {}

    private static SidecarLambdaComponent component(CamelContext context) {
        return context.getComponent("sidecar-lambda", SidecarLambdaComponent.class);
    }

    /** Open Lambda clients (connection pools) of the context's sidecar-lambda component. */
    public static int lambdaClients(CamelContext context) {
        return component(context).clients().lambdaClients();
    }

    /** Tenants whose credentials the component caches now. */
    public static long cachedTenants(CamelContext context) {
        return component(context).tenants().size();
    }

    /** Drops every cached tenant (as idle expiry or eviction would). */
    public static void clearTenants(CamelContext context) {
        component(context).tenants().clear();
    }

    /** Entries of a tenantFromHeaders endpoint's cache of parsed header values (0 for other endpoints). */
    public static long headerTargets(Endpoint endpoint) {
        Cache<?, ?> cache = headerTargetCache(endpoint);
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Empties that cache. */
    public static void clearHeaderTargets(Endpoint endpoint) {
        Cache<?, ?> cache = headerTargetCache(endpoint);
        if (cache != null) {
            cache.invalidateAll();
            cache.cleanUp();
        }
    }

    private static Cache<?, ?> headerTargetCache(Endpoint endpoint) {
        try {
            Field f = SidecarLambdaEndpoint.class.getDeclaredField("headerTargets");
            f.setAccessible(true);
            return (Cache<?, ?>) f.get(endpoint);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
