package io.github.keycloaklti.services;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node-local state of the platform services: a bulkhead bounding the calls to platforms in progress, and the platform access tokens this node holds, by registration (realm, issuer and client id: Canvas and Blackboard
 * share issuers) and scope set. A per-node cache by design: losing it costs one token request. Owned by the realm
 * resource's factory, one per node.
 */
public final class ServiceTokenCache {

    private static final long REFRESH_BEFORE_EXPIRY_MILLIS = 30_000;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(String token, long expiresAtMillis) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.Semaphore platformCalls;
    private final int maxPlatformCalls;

    public ServiceTokenCache() {
        this(DEFAULT_MAX_PLATFORM_CALLS);
    }

    /**
     * @param maxPlatformCalls calls to platforms this node makes at once; more are refused at once (503), so slow
     *        platforms never hold all of Keycloak's worker threads and launches keep working
     */
    public ServiceTokenCache(int maxPlatformCalls) {
        this.maxPlatformCalls = maxPlatformCalls;
        this.platformCalls = new java.util.concurrent.Semaphore(maxPlatformCalls);
    }

    public static final int DEFAULT_MAX_PLATFORM_CALLS = 16;

    boolean tryStartPlatformCall() {
        return platformCalls.tryAcquire();
    }

    void endPlatformCall() {
        platformCalls.release();
    }

    int maxPlatformCalls() {
        return maxPlatformCalls;
    }
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** One lock per registration and scope set: concurrent callers on a cold cache share one token request. */
    Object lockFor(String key) {
        if (locks.size() >= MAX_ENTRIES) {
            locks.clear();
        }
        return locks.computeIfAbsent(key, k -> new Object());
    }

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
