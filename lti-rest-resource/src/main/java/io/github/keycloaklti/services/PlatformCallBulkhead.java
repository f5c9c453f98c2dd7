package io.github.keycloaklti.services;

import java.util.concurrent.Semaphore;

import io.github.keycloaklti.platform.InFlight;

/**
 * How many calls to learning platforms this node makes at once, in all and per registration. More are refused at
 * once (503), so that slow platforms never hold all of Keycloak's worker threads and launches keep working, and one
 * registration (one slow institution) never holds every slot: each may use at most its share. Per node by design.
 */
public final class PlatformCallBulkhead {

    public static final int DEFAULT_MAX_CALLS = 16;
    /** A registration's share of the slots, by default: a quarter (4 of 16). */
    public static final int DEFAULT_SHARE_PERCENT = 25;

    private final Semaphore calls;
    private final int maxCalls;
    private final InFlight perRegistration;

    public PlatformCallBulkhead(int maxCalls) {
        this(maxCalls, DEFAULT_SHARE_PERCENT);
    }

    public PlatformCallBulkhead(int maxCalls, int sharePercent) {
        this.maxCalls = Math.max(1, maxCalls);
        this.perRegistration = new InFlight(this.maxCalls * Math.min(100, Math.max(1, sharePercent)) / 100);
        this.calls = new Semaphore(this.maxCalls);
    }

    /** Takes a slot for a call to registration {@code key}; false when the node or the registration is at its bound. */
    boolean tryEnter(String key) {
        if (!perRegistration.tryEnter(key)) {
            return false;
        }
        if (!calls.tryAcquire()) {
            perRegistration.leave(key);
            return false;
        }
        return true;
    }

    void leave(String key) {
        calls.release();
        perRegistration.leave(key);
    }

    int maxCalls() {
        return maxCalls;
    }

    int maxPerRegistration() {
        return perRegistration.maxPerKey();
    }
}
