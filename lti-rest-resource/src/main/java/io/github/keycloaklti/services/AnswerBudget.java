package io.github.keycloaklti.services;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.keycloaklti.platform.PlatformPolicy;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * How much of the heap all platform answers being handled on this node may hold together: each call reserves room
 * for the largest answer it may receive before it is made, keeps what the answer really took while the request works
 * on it, and gives it all back when the request ends. A call that would go past the budget is refused at once (503)
 * instead of filling the heap. Per node by design: it counts this JVM's memory.
 */
public final class AnswerBudget {

    /** 128 MiB: ten calls' worth of the largest service answer while it is read, or far more ordinary answers. */
    public static final long DEFAULT_BYTES = PlatformPolicy.DEFAULT.answerBudgetBytes();

    /** A registration's share of the budget: half (two big rosters of one institution never starve the others). */
    public static final int SHARE_PERCENT = 50;

    private final long maxBytes;
    private final long maxPerRegistration;
    private final AtomicLong held = new AtomicLong();
    private final ConcurrentHashMap<String, Long> heldBy = new ConcurrentHashMap<>();

    public AnswerBudget(long maxBytes) {
        this.maxBytes = Math.max(1, maxBytes);
        this.maxPerRegistration = Math.max(1, this.maxBytes * SHARE_PERCENT / 100);
    }

    /** What one request holds for one registration; closing it gives everything back. */
    public final class Reservation implements AutoCloseable {
        private final String registration;
        private long bytes;

        private Reservation(String registration) {
            this.registration = registration;
        }

        /** Reserves {@code more} bytes, or refuses the request (503) when the node's or the registration's is full. */
        public void add(long more) {
            if (more <= 0) {
                return;
            }
            long node = held.addAndGet(more);
            long own = heldBy.merge(registration, more, Long::sum);
            if (node > maxBytes || own > maxPerRegistration) {
                held.addAndGet(-more);
                giveBack(registration, more);
                throw new ServiceException(503, "platform_busy", "this Keycloak node already holds "
                        + (node > maxBytes ? maxBytes : maxPerRegistration) / (1024 * 1024) + " MB of answers from "
                        + (node > maxBytes ? "learning platforms" : "this platform") + "; retry shortly");
            }
            bytes += more;
        }

        /** Gives back {@code less} of what was reserved (an answer smaller than the room made for it). */
        public void release(long less) {
            long given = Math.min(Math.max(0, less), bytes);
            if (given == 0) {
                return;
            }
            bytes -= given;
            held.addAndGet(-given);
            giveBack(registration, given);
        }

        @Override
        public void close() {
            release(bytes);
        }
    }

    /** A registration that holds nothing keeps no entry. */
    private void giveBack(String registration, long bytes) {
        heldBy.computeIfPresent(registration, (key, own) -> own - bytes <= 0 ? null : own - bytes);
    }

    /** A reservation for answers of one registration ({@code realm id/registration id}). */
    public Reservation reserve(String registration) {
        return new Reservation(registration);
    }

    long held() {
        return held.get();
    }
}
