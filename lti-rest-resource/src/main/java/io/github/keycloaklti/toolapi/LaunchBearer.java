package io.github.keycloaklti.toolapi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;

import io.github.keycloaklti.claims.LaunchClaims;
import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.compat.Authenticated;
import io.github.keycloaklti.compat.KeycloakSpi;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.Registrations;

/**
 * A tool's bearer access token that belongs to a user session created by an LTI launch, used by that launch's
 * tool client: the launch (its platform note and its claims, each parsed once), and the platform registration that
 * launched it. The one place
 * where the REST endpoints authenticate a caller's token.
 */
public record LaunchBearer(Authenticated auth, Map<String, String> launch, Map<String, Object> claims,
                           LtiPlatformConfig platform) {

    /** A launch's token, or the 401/403 that says why this token is none. */
    public static LaunchBearer authenticate(KeycloakSession session) {
        Authenticated auth = bearer(session);
        if (auth.session() == null) {
            throw new ServiceException(403, "not_an_lti_launch",
                    "the token belongs to no user session; use the access token the tool received after the launch");
        }
        return of(session, auth).orElseThrow(() -> new ServiceException(403, "not_an_lti_launch",
                "the token does not come from an LTI launch"));
    }

    /** The caller's valid access token (Keycloak's bearer check: signature, expiry, session, client), or 401. */
    static Authenticated bearer(KeycloakSession session) {
        Authenticated auth;
        try {
            auth = KeycloakSpi.current().authenticated(new AppAuthManager.BearerTokenAuthenticator(session).authenticate());
        } catch (RuntimeException e) {
            auth = null;
        }
        if (auth == null || auth.client() == null) {
            throw new ServiceException(401, "invalid_token",
                    "a valid, unexpired access token of the tool is required (Authorization: Bearer ...)");
        }
        return auth;
    }

    /** The launch behind this token; empty when its session was not created by a launch. */
    static Optional<LaunchBearer> of(KeycloakSession session, Authenticated auth) {
        Map<String, String> sessionNotes = auth.session() == null ? Map.of() : auth.session().getNotes();
        var clientSession = auth.session() == null ? null
                : auth.session().getAuthenticatedClientSessionByClient(auth.client().getId());
        Map<String, String> notes = LaunchSessionNotes.forClient(sessionNotes,
                clientSession == null ? null : clientSession.getNotes(), auth.client().getClientId());
        if (notes.isEmpty()) {
            notes = sessionNotes; // another client's launch: refused below, saying whose it is
        }
        Map<String, String> launch = LaunchSessionNotes.platform(notes);
        if (launch == null) {
            return Optional.empty();
        }
        String tool = notes.get(LaunchSessionNotes.TOOL_CLIENT_NOTE);
        if (!auth.client().getClientId().equals(tool)) {
            throw new ServiceException(403, "wrong_client", "the token was issued to client '"
                    + auth.client().getClientId() + "', but the launch was for tool client '" + tool + "'");
        }
        if (auth.session().isOffline()) {
            // an offline token outlives the launch by months, with the launch's roles frozen: the course's data is
            // for the launch's online session only (the tool's service account is for work after it)
            throw new ServiceException(403, "launch_session_ended", "the token comes from an offline session: a "
                    + "launch's token acts for the course only while the launch's session lasts; use the tool's "
                    + "service account afterwards");
        }
        String alias = launch.get(LaunchSessionNotes.ALIAS_KEY);
        LtiPlatformConfig registration = Registrations.findEnabled(session, alias)
                .orElseThrow(() -> new ServiceException(403, "platform_unavailable", "the platform registration '"
                        + alias + "' of this launch was removed or disabled"));
        return Optional.of(new LaunchBearer(auth, launch, LaunchSessionNotes.claims(notes), registration));
    }

    public String messageType() {
        return LaunchClaims.string(claims, LtiClaims.MESSAGE_TYPE).orElse(null);
    }

    public String deploymentId() {
        return LaunchClaims.string(claims, LtiClaims.DEPLOYMENT_ID).orElse(null);
    }

    public List<String> roles() {
        return LaunchClaims.roles(claims);
    }

    public Optional<LaunchClaims.DeepLinkingSettings> deepLinkingSettings() {
        return LaunchClaims.deepLinkingSettings(claims);
    }

    /** The service context id the launch recorded (see {@code lti_platform.service_context}); null when none. */
    public String serviceContextId() {
        return launch.get(LaunchSessionNotes.SERVICE_CONTEXT_KEY);
    }
}
