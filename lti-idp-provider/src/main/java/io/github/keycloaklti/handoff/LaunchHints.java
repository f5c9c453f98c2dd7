package io.github.keycloaklti.handoff;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.UriUtils;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

import io.github.keycloaklti.store.StableId;

/**
 * One-time launch hints: after a valid launch, the tool receives one as {@code login_hint}; passed back in its
 * authorization request, it logs the launch's user into that tool client, once, for a short time, without any
 * Keycloak cookie, and only with a redirect URI on the origin the launch was sent to. Kept in Keycloak's single-use object store (cluster-wide); taking one removes it.
 */
public final class LaunchHints {

    public static final String PREFIX = "lti-launch.";
    static final String KEY = "lti-launch-hint:";
    static final String REALM = "lti.hint.realm";
    static final String CLIENT = "lti.hint.client";
    static final String USER = "lti.hint.user";
    static final String USER_SESSION = "lti.hint.session";
    static final String TOOL_ORIGIN = "lti.hint.origin";

    private LaunchHints() {
    }

    /**
     * Issues a hint for this launch's user and tool. It names the launch's user session, whose LTI notes the tool's
     * login copies when it takes the hint: a hint the tool never uses costs a few bytes, not a copy of the claims.
     */
    public static String issue(KeycloakSession session, UserSessionModel userSession, String clientId, String toolUrl,
                               int lifetimeSeconds) {
        Map<String, String> notes = new HashMap<>();
        notes.put(TOOL_ORIGIN, origin(toolUrl));
        notes.put(USER_SESSION, userSession.getId());
        notes.put(REALM, userSession.getRealm().getId());
        notes.put(CLIENT, clientId);
        notes.put(USER, userSession.getUser().getId());
        String hint = PREFIX + SecretGenerator.getInstance().randomString(40);
        session.singleUseObjects().put(KEY + hint, lifetimeSeconds, notes);
        return hint;
    }

    /**
     * The Platform Storage key under which a launch through storage leaves its hint for the tool client's own login
     * in the frame: one per realm and client, so that one tool's login never reads (and spends) another's hint.
     */
    public static String storageKey(RealmModel realm, String clientId) {
        return "kc_lti_hint_" + StableId.of(realm.getId(), clientId).substring(0, 22);
    }

    /** scheme://host[:port] of a URL, lower-cased; "" when it has none. */
    static String origin(String url) {
        String origin = url == null ? null : UriUtils.getOrigin(url);
        return origin == null ? "" : origin.toLowerCase(Locale.ROOT);
    }

    /** Takes the hint (once); null when it is not one of ours, was used, or expired. */
    static Map<String, String> take(KeycloakSession session, String hint) {
        if (hint == null || !hint.startsWith(PREFIX) || hint.length() > 100) {
            return null;
        }
        return session.singleUseObjects().remove(KEY + hint);
    }
}
