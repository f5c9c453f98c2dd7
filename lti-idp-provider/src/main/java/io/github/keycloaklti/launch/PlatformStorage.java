package io.github.keycloaklti.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.UriUtils;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import io.github.keycloaklti.page.ScriptedPage;

/**
 * LTI Platform Storage (1EdTech LTI Client Side postMessages): where the browser keeps no Keycloak cookie inside the
 * platform's iframe, the login's proof lives in the platform's storage instead. Login initiation answers with a
 * page that stores a one-time secret under a key derived from the state ({@code lti.put_data}, to the platform's
 * origin only) and then goes on to the platform; the launch POST, arriving without the cookie, answers with a page
 * that reads it back ({@code lti.get_data}, accepting answers from the platform's origin only, matched by
 * {@code message_id}) and posts it with the id_token. The state then names the login ({@code ~} and the root
 * authentication session id); only the browser that holds the secret in this platform's storage can complete it,
 * once (its hash is an auth note, removed when used).
 */
final class PlatformStorage {

    static final String TARGET_PARAM = "lti_storage_target";
    static final String PROOF_PARAM = "lti_storage_proof";
    private static final String STATE_SEPARATOR = "~";
    private static final Pattern TARGET = Pattern.compile("_parent|[A-Za-z0-9_-]{1,64}");

    private PlatformStorage() {
    }

    /** A valid {@code lti_storage_target} (a frame name or {@code _parent}), or null. */
    static String target(String requested) {
        return requested != null && TARGET.matcher(requested).matches() ? requested : null;
    }

    /** The state sent to the platform in storage mode: the broker state, then the login's root session id. */
    static String state(String brokerState, AuthenticationSessionModel authSession) {
        return brokerState + STATE_SEPARATOR + authSession.getParentSession().getId();
    }

    /** The broker state without the storage suffix (what Keycloak's own parsing expects). */
    static String brokerState(String state) {
        int at = state.indexOf(STATE_SEPARATOR);
        return at < 0 ? state : state.substring(0, at);
    }

    static boolean isStorageState(String state) {
        return state.contains(STATE_SEPARATOR);
    }

    /** The login a storage-mode state names, whatever the cookies; null when unknown. */
    static AuthenticationSessionModel login(KeycloakSession session, RealmModel realm, String state, ClientModel client,
                                            String tabId) {
        String rootId = state.substring(state.indexOf(STATE_SEPARATOR) + 1);
        if (rootId.isBlank() || rootId.length() > 100 || client == null || tabId == null) {
            return null;
        }
        RootAuthenticationSessionModel root = session.authenticationSessions().getRootAuthenticationSession(realm, rootId);
        AuthenticationSessionModel authSession = root == null ? null : root.getAuthenticationSession(client, tabId);
        return authSession != null && state.equals(authSession.getAuthNote(LaunchNotes.STATE)) ? authSession : null;
    }

    /** Issues the login's secret: its hash stays with the login, the secret goes to the platform's storage. */
    static String issueProof(AuthenticationSessionModel authSession, String target, String pageOrigin) {
        String proof = SecretGenerator.getInstance().randomString(32);
        authSession.setAuthNote(LaunchNotes.STORAGE_PROOF_HASH, hash(proof));
        authSession.setAuthNote(LaunchNotes.STORAGE_TARGET, target);
        authSession.setAuthNote(LaunchNotes.STORAGE_PAGE_ORIGIN, pageOrigin);
        return proof;
    }

    /**
     * The origin of the platform page that framed the login initiation, as the browser told it ({@code Origin}, else
     * {@code Referer}); "" when it did not. Besides the platform's authentication origin, the storage pages accept
     * {@code lti.capabilities} answers only from it.
     */
    static String pageOrigin(KeycloakSession session) {
        for (String header : new String[] {"Origin", "Referer"}) {
            String value = session.getContext().getRequestHeaders().getHeaderString(header);
            String origin = value == null || value.isBlank() || "null".equals(value.trim()) ? null
                    : UriUtils.getOrigin(value.trim());
            if (origin != null && (origin.startsWith("https://") || origin.startsWith("http://"))) {
                return origin;
            }
        }
        return "";
    }

    /** Whether the posted secret is the login's; the secret is spent either way. */
    static boolean spendProof(AuthenticationSessionModel authSession, String proof) {
        String expected = authSession.getAuthNote(LaunchNotes.STORAGE_PROOF_HASH);
        authSession.removeAuthNote(LaunchNotes.STORAGE_PROOF_HASH);
        return expected != null && proof != null && !proof.isBlank() && proof.length() <= 100
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        hash(proof).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether this POST comes from the extension's own read-back page, i.e. from Keycloak's origin: browsers say so
     * in {@code Sec-Fetch-Site}; where a browser sends no fetch metadata, {@code Origin} must be Keycloak's own (the
     * read page's referrer policy lets the browser send it on same-origin requests only).
     */
    static boolean postedByOwnPage(KeycloakSession session) {
        String site = session.getContext().getRequestHeaders().getHeaderString("Sec-Fetch-Site");
        if (site != null) {
            return "same-origin".equalsIgnoreCase(site.trim());
        }
        String origin = session.getContext().getRequestHeaders().getHeaderString("Origin");
        String own = UriUtils.getOrigin(session.getContext().getUri().getBaseUri());
        return origin != null && own != null && origin.trim().equalsIgnoreCase(own);
    }

    /** The storage key of a login: derived from its state, so that the launch can name it again. */
    static String key(String state) {
        return "kc_lti_" + hash(state).substring(0, 22);
    }

    /** Login initiation's answer: store the secret, then go on to the platform (or fall back without storage). */
    static Response storePage(KeycloakSession session, String target, String platformOrigin, String pageOrigin,
                              String key, String proof, String continueUrl, String fallbackUrl) {
        return render(session, "put", target, platformOrigin, pageOrigin, key, Map.of("ltiStorageValue", proof,
                "ltiContinueUrl", continueUrl, "ltiFallbackUrl", fallbackUrl));
    }

    /**
     * A launch completed through storage: its browser keeps no Keycloak cookie in the frame, so the launch hint is
     * stored there too, for a tool that does not pass it on (see {@link #handoffPage}).
     */
    static void rememberForHandoff(AuthenticationSessionModel login, String platformOrigin) {
        String pageOrigin = login.getAuthNote(LaunchNotes.STORAGE_PAGE_ORIGIN);
        login.setClientNote(LaunchNotes.HANDOFF_STORAGE_TARGET, login.getAuthNote(LaunchNotes.STORAGE_TARGET));
        login.setClientNote(LaunchNotes.HANDOFF_PLATFORM_ORIGIN, platformOrigin);
        login.setClientNote(LaunchNotes.HANDOFF_PAGE_ORIGIN, pageOrigin == null ? "" : pageOrigin);
    }

    /**
     * The launch's last page where it came through storage: stores the launch hint under the tool client's key
     * ({@code lti.put_data}, to the platform's origin only), then goes on to the tool, stored or not. A tool that
     * ignores the hint then logs in in the frame all the same: its authorization request, knowing nobody, reads the
     * hint back ({@code FramedToolLogin}). Null for launches that did not come through storage.
     */
    static Response handoffPage(KeycloakSession session, AuthenticationSessionModel authSession, String key,
                                String hint, String toolLocation) {
        String target = authSession.getClientNote(LaunchNotes.HANDOFF_STORAGE_TARGET);
        String platformOrigin = authSession.getClientNote(LaunchNotes.HANDOFF_PLATFORM_ORIGIN);
        if (target(target) == null || platformOrigin == null) {
            return null;
        }
        String pageOrigin = authSession.getClientNote(LaunchNotes.HANDOFF_PAGE_ORIGIN);
        return storePage(session, target, platformOrigin, pageOrigin == null ? "" : pageOrigin, key, hint,
                toolLocation, toolLocation);
    }

    /** The launch's answer when no cookie came with it: read the secret back and post it with the launch. */
    static Response readPage(KeycloakSession session, AuthenticationSessionModel login, String platformOrigin,
                             String key, String launchUrl, String idToken, String state) {
        String pageOrigin = login.getAuthNote(LaunchNotes.STORAGE_PAGE_ORIGIN);
        return render(session, "get", login.getAuthNote(LaunchNotes.STORAGE_TARGET), platformOrigin,
                pageOrigin == null ? "" : pageOrigin, key,
                Map.of("ltiLaunchUrl", launchUrl, "ltiIdToken", idToken, "ltiState", state));
    }

    private static Response render(KeycloakSession session, String mode, String target, String platformOrigin,
                                   String pageOrigin, String key, Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(attributes);
        all.put("ltiStorageMode", mode);
        all.put("ltiStorageTarget", target);
        all.put("ltiPlatformOrigin", platformOrigin);
        all.put("ltiPageOrigin", pageOrigin);
        all.put("ltiStorageKey", key);
        // same-origin: the read page's POST carries Origin (Keycloak's), nothing leaks to other sites
        return ScriptedPage.render(session, "lti-platform-storage.ftl", all, "", "same-origin");
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
