package io.github.keycloaklti.services;

import java.util.concurrent.Semaphore;

import io.github.keycloaklti.platform.InFlight;
import io.github.keycloaklti.platform.PlatformPolicy;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * How many calls to learning platforms this node makes at once, in all and per registration. More are refused at
 * once (503), so that slow platforms never hold all of Keycloak's worker threads and launches keep working, and one
 * registration (one slow institution) never holds every slot: each may use at most its share. Per node by design.
 */
public final class PlatformCallBulkhead {

    public static final int DEFAULT_MAX_CALLS = PlatformPolicy.DEFAULT.maxServiceCalls();
    /** A registration's share of the slots, by default: a quarter (4 of 16). */
    public static final int DEFAULT_SHARE_PERCENT = PlatformPolicy.DEFAULT.serviceCallSharePercent();

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
    private boolean tryEnter(String key) {
        if (!perRegistration.tryEnter(key)) {
            return false;
        }
        if (!calls.tryAcquire()) {
            perRegistration.leave(key);
            return false;
        }
        return true;
    }

    /** A slot held by a call, given back on close. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot for a call to {@code key}, given back on close; 503 {@code platform_busy} when there is none. */
    public Slot slot(String key) {
        if (!tryEnter(key)) {
            throw new ServiceException(503, "platform_busy", "this Keycloak node already has its " + maxCalls
                    + " calls to learning platforms, or " + maxPerRegistration() + " to this one, in progress; retry shortly");
        }
        return () -> leave(key);
    }

    private void leave(String key) {
        calls.release();
        perRegistration.leave(key);
    }

    private int maxPerRegistration() {
        return perRegistration.maxPerKey();
    }
}
