package io.github.keycloaklti.services;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.keycloak.common.util.Time;

/**
 * Node-local state of the platform services: the platform access tokens this node holds (Caffeine, as in Keycloak's
 * lib: each entry expires shortly before its token, at most {@value #MAX_ENTRIES} entries), the bulkhead bounding
 * calls to platforms, and the budget bounding the memory their answers hold. A per-node cache by design: losing it costs one token request. Owned by the realm resource's
 * factory, one per node.
 */
public final class ServiceTokenCache {

    static final long REFRESH_BEFORE_EXPIRY_MILLIS = 30_000;
    private static final int MAX_ENTRIES = 10_000;

    /** A token and the instant it expires at. */
    record Token(String value, long expiresAtMillis) {
    }

    private final Cache<String, Token> tokens = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfter(new Expiry<String, Token>() {
                @Override
                public long expireAfterCreate(String key, Token token, long currentTime) {
                    long millis = token.expiresAtMillis() - REFRESH_BEFORE_EXPIRY_MILLIS - Time.currentTimeMillis();
                    return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
                }

                @Override
                public long expireAfterUpdate(String key, Token token, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, token, currentTime);
                }

                @Override
                public long expireAfterRead(String key, Token token, long currentTime, long currentDuration) {
                    return currentDuration;
                }
            })
            .build();
    private final PlatformCallBulkhead bulkhead;
    private final AnswerBudget budget;

    public ServiceTokenCache() {
        this(PlatformCallBulkhead.DEFAULT_MAX_CALLS);
    }

    /** @param maxPlatformCalls calls to platforms this node makes at once (see {@link PlatformCallBulkhead}) */
    public ServiceTokenCache(int maxPlatformCalls) {
        this(maxPlatformCalls, PlatformCallBulkhead.DEFAULT_SHARE_PERCENT);
    }

    /** @param sharePercent the part of those calls one registration may make at once */
    public ServiceTokenCache(int maxPlatformCalls, int sharePercent) {
        this(maxPlatformCalls, sharePercent, AnswerBudget.DEFAULT_BYTES);
    }

    /** @param answerBudgetBytes what all platform answers handled at once may hold (see {@link AnswerBudget}) */
    public ServiceTokenCache(int maxPlatformCalls, int sharePercent, long answerBudgetBytes) {
        this.bulkhead = new PlatformCallBulkhead(maxPlatformCalls, sharePercent);
        this.budget = new AnswerBudget(answerBudgetBytes);
    }

    AnswerBudget budget() {
        return budget;
    }

    public PlatformCallBulkhead bulkhead() {
        return bulkhead;
    }

    /**
     * The cached token for {@code key}, or the one {@code request} obtains: concurrent callers on a cold key share
     * one request; a failed request caches nothing.
     */
    String token(String key, Function<String, Token> request) {
        Token token = tokens.get(key, request);
        if (token != null && Time.currentTimeMillis() >= token.expiresAtMillis() - REFRESH_BEFORE_EXPIRY_MILLIS) {
            tokens.invalidate(key);
            token = tokens.get(key, request);
        }
        return token == null ? null : token.value();
    }

    void forget(String key) {
        tokens.invalidate(key);
    }
}
