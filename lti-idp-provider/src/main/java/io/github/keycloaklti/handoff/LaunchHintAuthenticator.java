package io.github.keycloaklti.handoff;

import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Logs a tool's authorization request in from a launch hint passed as {@code login_hint}: the cookie-free second
 * hop of a launch. It acts only on hints of ours that are valid, unused, unexpired, issued for this client and this
 * realm; otherwise the flow goes on as without it (other logins are not weakened).
 */
public class LaunchHintAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(LaunchHintAuthenticator.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String hint = authSession.getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        if (hint == null || !hint.startsWith(LaunchHints.PREFIX)) {
            context.attempted();
            return;
        }
        // taken whatever happens next: a hint presented by the wrong client is spent, never reusable
        Map<String, String> notes = LaunchHints.take(context.getSession(), hint);
        RealmModel realm = context.getRealm();
        if (notes == null || !realm.getId().equals(notes.get(LaunchHints.REALM))
                || !authSession.getClient().getClientId().equals(notes.get(LaunchHints.CLIENT))) {
            LOG.debugf("LTI launch hint refused for client '%s': unknown, used, expired or for another client",
                    authSession.getClient().getClientId());
            authSession.removeClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
            context.attempted();
            return;
        }
        UserModel user = context.getSession().users().getUserById(realm, notes.get(LaunchHints.USER));
        UserSessionModel launchSession = context.getSession().sessions().getUserSession(realm,
                notes.get(LaunchHints.USER_SESSION));
        if (user == null || !user.isEnabled() || launchSession == null
                || !user.getId().equals(launchSession.getUser().getId())) {
            // the launch's session ended (logout, expiry) before the tool came back: no claims to hand over
            authSession.removeClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
            context.attempted();
            return;
        }
        launchSession.getNotes().forEach((name, value) -> {
            if (name.startsWith("lti.")) {
                authSession.setUserSessionNote(name, value);
            }
        });
        authSession.removeClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        context.setUser(user);
        context.success();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        context.attempted();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
