package io.github.keycloaklti.registration;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.services.Urls;

import io.github.keycloaklti.rest.ServiceException;

/**
 * One-time, expiring Dynamic Registration links, kept in Keycloak's single-use object store (cluster-wide): taking
 * one removes it, so a link registers at most one platform.
 */
public final class DynamicRegistrationLinks {

    static final String KEY_PREFIX = "lti-dynamic-registration:";
    static final String REALM = "realm";
    static final String TOOL_CLIENT_IDS = "toolClientIds";
    static final String TARGET_LINK_URI = "targetLinkUri";
    static final int DEFAULT_LIFETIME_SECONDS = 3600;
    static final int MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

    private final KeycloakSession session;
    private final RealmModel realm;

    public DynamicRegistrationLinks(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public Map<String, Object> create(Map<String, Object> request) {
        List<String> tools = request.get("toolClientIds") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        if (tools.isEmpty()) {
            throw new ServiceException(400, "invalid_request", "toolClientIds must name the realm clients the platform may launch");
        }
        ClientModel first = null;
        for (String clientId : tools) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null) {
                throw new ServiceException(400, "invalid_request", "there is no client '" + clientId + "' in realm '" + realm.getName() + "'");
            }
            first = first == null ? client : first;
        }
        String target = request.get("targetLinkUri") instanceof String t && !t.isBlank() ? t : defaultTarget(first);
        if (target == null || tools.stream().map(realm::getClientByClientId)
                .noneMatch(c -> RedirectUtils.verifyRedirectUri(session, target, c) != null)) {
            throw new ServiceException(400, "invalid_request", "targetLinkUri must be admitted by a valid redirect URI of one "
                    + "of the tool clients (give it, or set the first client's root URL)");
        }
        int lifetime = request.get("expiresInSeconds") instanceof Number n ? n.intValue() : DEFAULT_LIFETIME_SECONDS;
        if (lifetime < 60 || lifetime > MAX_LIFETIME_SECONDS) {
            throw new ServiceException(400, "invalid_request", "expiresInSeconds must be between 60 and " + MAX_LIFETIME_SECONDS);
        }
        String token = SecretGenerator.getInstance().randomString(40);
        Map<String, String> notes = new HashMap<>();
        notes.put(REALM, realm.getId());
        notes.put(TOOL_CLIENT_IDS, String.join(LtiPlatformConfig.MULTI_VALUE_SEPARATOR, tools));
        notes.put(TARGET_LINK_URI, target);
        session.singleUseObjects().put(KEY_PREFIX + token, lifetime, notes);
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("url", Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())
                + "/lti/dynamic-registration?link=" + token);
        link.put("expires_at", Time.currentTime() + lifetime);
        link.put("tool_client_ids", tools);
        link.put("target_link_uri", target);
        return link;
    }

    /** Whether this URL is one of this realm's links, still unused and unexpired. */
    boolean isLive(String url) {
        int at = url == null ? -1 : url.indexOf("link=");
        if (at < 0) {
            return false;
        }
        String token = url.substring(at + "link=".length());
        return !token.isBlank() && token.length() <= 100 && session.singleUseObjects().contains(KEY_PREFIX + token)
                && realm.getId().equals(session.singleUseObjects().get(KEY_PREFIX + token).get(REALM));
    }

    /** Takes the link (at most once, cluster-wide); null when it was used, expired or never issued in this realm. */
    Map<String, String> take(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return null;
        }
        Map<String, String> notes = session.singleUseObjects().remove(KEY_PREFIX + token);
        if (notes == null || !realm.getId().equals(notes.get(REALM))) {
            return null;
        }
        return notes;
    }

    static List<String> toolClientIds(Map<String, String> notes) {
        return Arrays.asList(notes.get(TOOL_CLIENT_IDS).split(LtiPlatformConfig.MULTI_VALUE_SEPARATOR));
    }

    private static String defaultTarget(ClientModel client) {
        String root = client.getRootUrl();
        return root == null || root.isBlank() ? null : root;
    }
}
