package io.github.keycloaklti.claims;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launch's claims as Keycloak user session notes: one note per LTI claim, holding its JSON, so that the
 * tool's tokens (issued later, possibly on another node) carry exactly what the platform sent.
 */
public final class LaunchSessionNotes {

    public static final String CLAIM_NOTE_PREFIX = "lti.claim:";
    public static final String PLATFORM_NOTE = "lti.platform";
    public static final String ALIAS_KEY = "alias";
    /** Key, in {@link LtiClaims#PLATFORM}, of the service context id that tools pass to the NRPS and AGS endpoints. */
    public static final String SERVICE_CONTEXT_KEY = "service_context";
    /** The realm client the launch targeted: only its tokens may act for the launch (deep linking, services). */
    public static final String TOOL_CLIENT_NOTE = "lti.tool_client";

    private LaunchSessionNotes() {
    }

    public static Map<String, String> of(LtiLaunch launch, String alias, String clientId, String toolClientId) {
        return of(launch, alias, clientId, toolClientId, null);
    }

    public static Map<String, String> of(LtiLaunch launch, String alias, String clientId, String toolClientId,
                                         String serviceContextId) {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(TOOL_CLIENT_NOTE, toolClientId);
        launch.ltiClaims().forEach((name, value) -> notes.put(CLAIM_NOTE_PREFIX + name, ClaimJson.write(value)));
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("iss", launch.issuer());
        platform.put("sub", launch.subject());
        platform.put("client_id", clientId);
        platform.put(ALIAS_KEY, alias);
        if (serviceContextId != null) {
            platform.put(SERVICE_CONTEXT_KEY, serviceContextId);
        }
        notes.put(PLATFORM_NOTE, ClaimJson.write(platform));
        return notes;
    }

    /** The launch's claim of that name, parsed, or null when the session has none (not an LTI launch). */
    public static Object claim(Map<String, String> sessionNotes, String claimName) {
        String json = sessionNotes.get(CLAIM_NOTE_PREFIX + claimName);
        return json == null ? null : ClaimJson.read(json);
    }

    /** The launch's platform: {@code iss}, {@code sub}, {@code client_id}, {@code alias}; null when not a launch. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> platform(Map<String, String> sessionNotes) {
        String json = sessionNotes.get(PLATFORM_NOTE);
        return json == null ? null : (Map<String, String>) ClaimJson.read(json);
    }

    /** Token claims from user session notes: LTI claims under their names, plus {@link LtiClaims#PLATFORM}. */
    public static Map<String, Object> claimsFrom(Map<String, String> sessionNotes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        sessionNotes.forEach((key, json) -> {
            if (key.startsWith(CLAIM_NOTE_PREFIX)) {
                claims.put(key.substring(CLAIM_NOTE_PREFIX.length()), ClaimJson.read(json));
            } else if (key.equals(PLATFORM_NOTE)) {
                claims.put(LtiClaims.PLATFORM, ClaimJson.read(json));
            }
        });
        return claims;
    }
}
