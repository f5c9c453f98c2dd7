package io.github.keycloaklti.claims;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launch's claims as Keycloak user session notes, so that the tool's tokens (issued later, possibly on another
 * node) carry exactly what the platform sent: one note holding the JSON object of all LTI claims (one entry in the
 * session, however many claims: sessions stay small, see the benchmark), one with the platform, one with the tool.
 */
public final class LaunchSessionNotes {

    /** Every note of a launch starts so. */
    public static final String NOTE_PREFIX = "lti.";
    public static final String CLAIMS_NOTE = "lti.claims";
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
        notes.put(CLAIMS_NOTE, ClaimJson.write(launch.ltiClaims()));
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

    /**
     * The notes of the launch that {@code clientId}'s tokens carry in this session: a launch kept on the client's own
     * session (a launch hint opened where the browser already held an earlier launch's session), else the launch that
     * created the session if it went to this client; empty otherwise. So each launch stays its own tool's, and a
     * later launch never rewrites what an earlier tool of the same session sees.
     *
     * @param clientNotes the notes of the client's session in it (null when it has none yet)
     */
    public static Map<String, String> forClient(Map<String, String> userSessionNotes, Map<String, String> clientNotes,
                                                String clientId) {
        if (clientNotes != null && clientId.equals(clientNotes.get(TOOL_CLIENT_NOTE))) {
            return clientNotes;
        }
        return clientId.equals(userSessionNotes.get(TOOL_CLIENT_NOTE)) ? userSessionNotes : Map.of();
    }

    /** The launch's LTI claims, parsed (read them with {@link LaunchClaims}); empty when not an LTI launch. */
    public static Map<String, Object> claims(Map<String, String> sessionNotes) {
        String json = sessionNotes.get(CLAIMS_NOTE);
        Map<String, Object> claims = new LinkedHashMap<>();
        if (json != null && ClaimJson.read(json) instanceof Map<?, ?> parsed) {
            parsed.forEach((name, value) -> claims.put(String.valueOf(name), value));
        }
        return claims;
    }

    /** The launch's platform: {@code iss}, {@code sub}, {@code client_id}, {@code alias}; null when not a launch. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> platform(Map<String, String> sessionNotes) {
        String json = sessionNotes.get(PLATFORM_NOTE);
        return json == null ? null : (Map<String, String>) ClaimJson.read(json);
    }

    /** Token claims from user session notes: LTI claims under their names, plus {@link LtiClaims#PLATFORM}. */
    public static Map<String, Object> claimsFrom(Map<String, String> sessionNotes) {
        Map<String, Object> claims = claims(sessionNotes);
        String platform = sessionNotes.get(PLATFORM_NOTE);
        if (platform != null) {
            claims.put(LtiClaims.PLATFORM, ClaimJson.read(platform));
        }
        return claims;
    }
}
