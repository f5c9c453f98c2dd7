package io.github.keycloaklti.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform access tokens this node holds, by registration (realm, issuer and client id: Canvas and Blackboard
 * share issuers) and scope set. A per-node cache by design: losing it costs one token request. Owned by the realm
 * resource's factory, one per node.
 */
public final class ServiceTokenCache {

    private static final long REFRESH_BEFORE_EXPIRY_MILLIS = 30_000;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(String token, long expiresAtMillis) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

    String get(String key, long nowMillis) {
        Entry entry = tokens.get(key);
        if (entry == null || nowMillis >= entry.expiresAtMillis() - REFRESH_BEFORE_EXPIRY_MILLIS) {
            return null;
        }
        return entry.token();
    }

    void put(String key, String token, long expiresAtMillis) {
        if (tokens.size() >= MAX_ENTRIES) {
            tokens.clear();
        }
        tokens.put(key, new Entry(token, expiresAtMillis));
    }

    void forget(String key) {
        tokens.remove(key);
    }
}
