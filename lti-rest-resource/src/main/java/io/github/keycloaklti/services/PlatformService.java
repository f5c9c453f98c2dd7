package io.github.keycloaklti.services;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * A call to one of the platform's services with a token for the scopes it needs; a 401 refreshes the token once
 * and retries. URLs come only from a recorded launch (the caller never supplies one that is not checked against
 * them first).
 */
public final class PlatformService implements AutoCloseable {

    /**
     * Room one call takes in the node's answer budget while it runs: its largest answer, read by Keycloak's client
     * into a growing buffer and then a string (about three times the answer at the peak).
     */
    static final long CALL_ROOM_BYTES = 3 * PlatformHttp.MAX_SERVICE_ANSWER_BYTES;

    /** The platform's answer: its status, body, media type and Link headers. */
    public record Answer(int status, String body, String contentType, List<String> links) {
        public String nextLink() {
            for (String link : links) {
                for (String part : link.split(",")) {
                    if (part.contains("rel=\"next\"") || part.contains("rel=next")) {
                        int open = part.indexOf('<');
                        int close = part.indexOf('>');
                        if (open >= 0 && close > open) {
                            return part.substring(open + 1, close).trim();
                        }
                    }
                }
            }
            return null;
        }
    }

    private final KeycloakSession session;
    private final ServiceTokens tokens;
    private final RealmModel realm;
    private final LtiPlatformConfig platform;

    /** The registration's key in the node's slots and budget. */
    private final String registration;
    private final AnswerBudget.Reservation held;

    /** Close it when the request is done with the answers (they count in the node's {@link AnswerBudget} till then). */
    public PlatformService(KeycloakSession session, ServiceTokens tokens, RealmModel realm, LtiPlatformConfig platform) {
        this.session = session;
        this.tokens = tokens;
        this.realm = realm;
        this.platform = platform;
        this.registration = realm.getId() + "/" + platform.getInternalId();
        this.held = tokens.cache().budget().reserve(registration);
    }

    /** Counts {@code bytes} more that the request keeps from the answers (a roster it assembles), or refuses (503). */
    public void hold(long bytes) {
        held.add(bytes);
    }

    @Override
    public void close() {
        held.close();
    }

    public Answer call(String method, String url, Set<String> scopes, String accept, String contentType, String body) {
        Answer answer;
        try (PlatformCallBulkhead.Slot slot = tokens.cache().bulkhead().slot(registration)) {
            answer = held(method, url, scopes, accept, contentType, body);
            if (answer.status() == 401) {
                held.release(weight(answer));
                tokens.forget(realm, platform, scopes);
                answer = held(method, url, scopes, accept, contentType, body);
            }
        }
        if (answer.status() >= 300 && answer.status() < 400) {
            throw new ServiceException(502, "platform_redirect", "the platform's service answered with a redirect ("
                    + answer.status() + "), which Keycloak does not follow", List.of("platform_status=" + answer.status()));
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new ServiceException(502, "platform_refused", "the platform refused Keycloak's service token ("
                    + answer.status() + ")", List.of("platform_status=" + answer.status()));
        }
        if (answer.status() >= 500) {
            throw new ServiceException(502, "platform_error", "the platform's service failed with " + answer.status(),
                    List.of("platform_status=" + answer.status()));
        }
        if (answer.status() >= 400) {
            throw new ServiceException(answer.status(), "platform_rejected", "the platform answered " + answer.status(),
                    List.of("platform_status=" + answer.status()));
        }
        return answer;
    }

    /** One call, with room for its answer in the budget first; what the answer really weighs stays held. */
    private Answer held(String method, String url, Set<String> scopes, String accept, String contentType, String body) {
        held.add(CALL_ROOM_BYTES);
        Answer answer = null;
        try {
            answer = once(method, url, scopes, accept, contentType, body);
            return answer;
        } finally {
            held.release(CALL_ROOM_BYTES - (answer == null ? 0 : weight(answer)));
        }
    }

    private static long weight(Answer answer) {
        return answer.body() == null ? 0 : 2L * answer.body().length();
    }

    private Answer once(String method, String url, Set<String> scopes, String accept, String contentType, String body) {
        PlatformHttp.checkBeforeCall(url, "service URL");
        String token = tokens.token(realm, platform, scopes);
        PlatformCalls.Call call = PlatformHttp.call(session, PlatformHttp.MAX_SERVICE_ANSWER_BYTES);
        SimpleHttp http = call.http();
        SimpleHttpRequest request = switch (method) {
            case "GET" -> http.doGet(url);
            case "POST" -> http.doPost(url);
            case "PUT" -> http.doPut(url);
            case "DELETE" -> http.doDelete(url);
            default -> throw new IllegalArgumentException(method);
        };
        request.auth(token).header("Accept", accept);
        if (body != null) {
            request.entity(new StringEntity(body, ContentType.create(contentType, StandardCharsets.UTF_8)));
        }
        try (SimpleHttpResponse response = request.asResponse()) {
            int status = response.getStatus();
            String text = response.asString();
            String type = response.getFirstHeader("Content-Type");
            return new Answer(status, text, type, response.getHeader("Link") == null ? List.of() : response.getHeader("Link"));
        } catch (IOException e) {
            throw PlatformHttp.unreachable("a service call", e, call);
        }
    }

    /** {@code url} with {@code /suffix} added to its path, before any query. */
    public static String withPathSuffix(String url, String suffix) {
        URI uri = URI.create(url);
        String query = uri.getRawQuery();
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return base + "/" + suffix + (query == null ? "" : "?" + query);
    }
}
