package io.github.keycloaklti.services;

import java.util.concurrent.Semaphore;

/**
 * How many calls to learning platforms this node makes at once. More are refused at once (503), so that slow
 * platforms never hold all of Keycloak's worker threads and launches keep working. Per node by design.
 */
public final class PlatformCallBulkhead {

    public static final int DEFAULT_MAX_CALLS = 16;

    private final Semaphore calls;
    private final int maxCalls;

    public PlatformCallBulkhead(int maxCalls) {
        this.maxCalls = maxCalls;
        this.calls = new Semaphore(maxCalls);
    }

    boolean tryEnter() {
        return calls.tryAcquire();
    }

    void leave() {
        calls.release();
    }

    int maxCalls() {
        return maxCalls;
    }
}
