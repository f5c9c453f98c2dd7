package io.github.keycloaklti.toolapi;

import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.Registrations;

/**
 * A tool's bearer access token that belongs to a user session created by an LTI launch, used by that launch's
 * tool client: the launch's notes, and the platform registration that launched it.
 */
public record LaunchBearer(AuthResult auth, Map<String, String> notes, LtiPlatformConfig platform) {

    public static LaunchBearer authenticate(KeycloakSession session) {
        AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (RuntimeException e) {
            auth = null;
        }
        if (auth == null) {
            throw new ServiceException(401, "invalid_token",
                    "a valid, unexpired access token of the tool is required (Authorization: Bearer ...)");
        }
        if (auth.session() == null) {
            throw new ServiceException(403, "not_an_lti_launch",
                    "the token belongs to no user session; use the access token the tool received after the launch");
        }
        Map<String, String> notes = auth.session().getNotes();
        Map<String, String> platform = LaunchSessionNotes.platform(notes);
        if (platform == null) {
            throw new ServiceException(403, "not_an_lti_launch", "the token does not come from an LTI launch");
        }
        String tool = notes.get(LaunchSessionNotes.TOOL_CLIENT_NOTE);
        if (auth.client() == null || !auth.client().getClientId().equals(tool)) {
            throw new ServiceException(403, "wrong_client", "the token was issued to client '"
                    + (auth.client() == null ? "?" : auth.client().getClientId())
                    + "', but the launch was for tool client '" + tool + "'");
        }
        LtiPlatformConfig registration = Registrations.findEnabled(session, platform.get(LaunchSessionNotes.ALIAS_KEY))
                .orElseThrow(() -> new ServiceException(403, "platform_unavailable", "the platform registration '"
                        + platform.get(LaunchSessionNotes.ALIAS_KEY) + "' of this launch was removed or disabled"));
        return new LaunchBearer(auth, notes, registration);
    }

    public Object claim(String name) {
        return LaunchSessionNotes.claim(notes, name);
    }
}
