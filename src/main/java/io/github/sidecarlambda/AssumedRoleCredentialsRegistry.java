package io.github.sidecarlambda;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out one {@link AssumedRoleCredentials} per {@link TenantKey} within a component (so within a CamelContext),
 * counting the endpoints that use it, and closes it when the last one releases it.
 */
final class AssumedRoleCredentialsRegistry {

    private final Map<TenantKey, Entry> entries = new HashMap<>();
    private final Clock clock;

    private static final class Entry {
        final AssumedRoleCredentials credentials;
        int users;

        Entry(AssumedRoleCredentials credentials) {
            this.credentials = credentials;
        }
    }

    AssumedRoleCredentialsRegistry(Clock clock) {
        this.clock = clock;
    }

    synchronized AssumedRoleCredentials acquire(TenantKey key) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry(new AssumedRoleCredentials(k, clock)));
        entry.users++;
        return entry.credentials;
    }

    synchronized void release(AssumedRoleCredentials credentials) {
        Entry entry = entries.get(credentials.key());
        if (entry != null && entry.credentials == credentials && --entry.users == 0) {
            entries.remove(credentials.key());
            credentials.close();
        }
    }

    /** How many distinct tenants hold credentials now. */
    synchronized int size() {
        return entries.size();
    }
}
