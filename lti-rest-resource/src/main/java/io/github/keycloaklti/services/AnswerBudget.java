package io.github.keycloaklti.services;

import java.util.concurrent.atomic.AtomicLong;

import io.github.keycloaklti.toolapi.ServiceException;

/**
 * How much of the heap all platform answers being handled on this node may hold together: each call reserves room
 * for the largest answer it may receive before it is made, keeps what the answer really took while the request works
 * on it, and gives it all back when the request ends. A call that would go past the budget is refused at once (503)
 * instead of filling the heap. Per node by design: it counts this JVM's memory.
 */
public final class AnswerBudget {

    /** 128 MiB: ten calls' worth of the largest service answer while it is read, or far more ordinary answers. */
    public static final long DEFAULT_BYTES = 128L * 1024 * 1024;

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    public AnswerBudget(long maxBytes) {
        this.maxBytes = Math.max(1, maxBytes);
    }

    /** What one request holds; closing it gives everything back. */
    public final class Reservation implements AutoCloseable {
        private long bytes;

        /** Reserves {@code more} bytes, or refuses the request (503) when the node's budget has no room. */
        public void add(long more) {
            if (more <= 0) {
                return;
            }
            long now = held.addAndGet(more);
            if (now > maxBytes) {
                held.addAndGet(-more);
                throw new ServiceException(503, "platform_busy", "this Keycloak node already holds "
                        + maxBytes / (1024 * 1024) + " MB of answers from learning platforms; retry shortly");
            }
            bytes += more;
        }

        /** Gives back {@code less} of what was reserved (an answer smaller than the room made for it). */
        public void release(long less) {
            long given = Math.min(Math.max(0, less), bytes);
            bytes -= given;
            held.addAndGet(-given);
        }

        @Override
        public void close() {
            release(bytes);
        }
    }

    public Reservation reserve() {
        return new Reservation();
    }

    long held() {
        return held.get();
    }
}
