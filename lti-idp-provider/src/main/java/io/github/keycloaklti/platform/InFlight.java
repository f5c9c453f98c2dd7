package io.github.keycloaklti.platform;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests of this node are at one thing at once (a registration's service calls, launches waiting for a
 * registration's keyset), bounded per key. Per node by design: it counts threads of this JVM; an idle key keeps no
 * entry, so it holds no more entries than requests in flight.
 */
public final class InFlight {

    private final int maxPerKey;
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public InFlight(int maxPerKey) {
        this.maxPerKey = Math.max(1, maxPerKey);
    }

    /** Counts one more at {@code key}; false (and nothing counted) when {@code key} is at its bound. */
    public boolean tryEnter(String key) {
        while (true) {
            AtomicInteger count = counts.computeIfAbsent(key, k -> new AtomicInteger());
            int now = count.get();
            if (now < 0) {
                continue; // removed while we looked: take the new entry
            }
            if (now >= maxPerKey) {
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void leave(String key) {
        AtomicInteger count = counts.get(key);
        if (count != null && count.decrementAndGet() == 0 && count.compareAndSet(0, -1)) {
            counts.remove(key, count);
        }
    }

    public int maxPerKey() {
        return maxPerKey;
    }
}
