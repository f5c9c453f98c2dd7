package io.github.keycloaklti.handoff;

import java.util.Arrays;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.compat.Authenticated;
import io.github.keycloaklti.compat.KeycloakSpi;

/**
 * Logs a tool's authorization request in from a launch hint passed as {@code login_hint}: the cookie-free second
 * hop of a launch. It acts only on hints of ours that are valid, unused, unexpired, issued for this client, this
 * realm and a redirect URI on the origin the launch was sent to; otherwise the flow goes on as without it (other
 * logins are not weakened).
 * <p>
 * A hint is not a realm-wide login. In a browser that holds this launch's session, or none, the tool joins the
 * launch's own session, so that its end is the tool's end; a browser that held none gets no SSO cookie: the tool has
 * its tokens (and refresh token), but the account console and every other client still ask who is there. In a
 * browser that holds another session of the same person (an earlier launch), the tool joins that one, with this
 * launch kept on the tool's own client session, so that the earlier launch is never rewritten. Where the browser
 * holds another user's SSO session, the hint is refused and that user stays logged in: a link carrying someone
 * else's hint never swaps who the browser is.
 */
public class LaunchHintAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(LaunchHintAuthenticator.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String hint = authSession.getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        if (hint == null || !hint.startsWith(LaunchHints.PREFIX)) {
            if (FramedToolLogin.wouldShowKeycloaksFormInAFrame(context)) {
                context.challenge(FramedToolLogin.readHintOrOfferNewWindow(context));
                return;
            }
            context.attempted();
            return;
        }
        authSession.removeClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        // taken whatever happens next: a hint presented by the wrong client is spent, never reusable
        Map<String, String> notes = LaunchHints.take(context.getSession(), hint);
        RealmModel realm = context.getRealm();
        String clientId = authSession.getClient().getClientId();
        if (notes == null || !realm.getId().equals(notes.get(LaunchHints.REALM))
                || !clientId.equals(notes.get(LaunchHints.CLIENT))
                || !notes.get(LaunchHints.TOOL_ORIGIN).equals(LaunchHints.origin(authSession.getRedirectUri()))) {
            LOG.debugf("LTI launch hint refused for client '%s': unknown, used, expired, for another client or "
                    + "another redirect origin", clientId);
            refused(context);
            return;
        }
        UserModel user = context.getSession().users().getUserById(realm, notes.get(LaunchHints.USER));
        UserSessionModel launchSession = context.getSession().sessions().getUserSession(realm,
                notes.get(LaunchHints.USER_SESSION));
        if (user == null || !user.isEnabled() || launchSession == null
                || !user.getId().equals(launchSession.getUser().getId())) {
            // the launch's session ended (logout, expiry) before the tool came back: no claims to hand over
            refused(context);
            return;
        }
        Authenticated browser = KeycloakSpi.current().authenticated(AuthenticationManager.authenticateIdentityCookie(
                context.getSession(), realm, true));
        if (browser != null && !browser.user().getId().equals(user.getId())) {
            LOG.debugf("LTI launch hint refused for client '%s': this browser is logged in as another user", clientId);
            context.attempted();
            return;
        }
        context.setUser(user);
        if (browser != null && browser.session().getId().equals(launchSession.getId())) {
            // this browser made the launch: the tool joins the launch's session, as through Keycloak's cookie
            authSession.setAuthNote(AuthenticationManager.SSO_AUTH, "true");
            context.attachUserSession(launchSession);
            context.success();
            return;
        }
        if (mustFinishInALaterRequest(context) || asksForOfflineAccess(authSession)) {
            // Keycloak's forms (required actions, kc_action, consent) end in a later request, which sets an SSO
            // cookie for whoever holds the hint; an offline token would outlive the launch by months: such a login
            // goes the ordinary way
            LOG.debugf("LTI launch hint refused for client '%s': the login would need forms or offline access", clientId);
            context.clearUser();
            refused(context);
            return;
        }
        if (browser != null) {
            // this browser holds the user's session of an earlier launch (a hint moved between tabs): the tool joins
            // it (Keycloak would end it for any other), with this launch kept on the tool's own client session, so
            // that the earlier launch's tool still sees its own launch
            launchSession.getNotes().forEach((name, value) -> {
                if (name.startsWith(LaunchSessionNotes.NOTE_PREFIX)) {
                    authSession.setClientNote(name, value);
                }
            });
            context.success();
            return;
        }
        // a browser without a session: the tool joins the launch's own session (and the browser gets no SSO
        // cookie), so that ending the launch's session (logout, an admin) ends the tool's too
        context.attachUserSession(launchSession);
        BrowserCookies.noSsoCookieAfterThisLogin(context.getSession(), realm);
        context.success();
    }

    /** A hint that logs nobody in: the flow goes on as without it, but a frame is offered the new window. */
    private static void refused(AuthenticationFlowContext context) {
        if (FramedToolLogin.wouldShowKeycloaksFormInAFrame(context)) {
            context.challenge(FramedToolLogin.offerNewWindow(context));
            return;
        }
        context.attempted();
    }

    /** Required actions (the user's, triggered ones, a requested kc_action) or a consent screen still to come. */
    private static boolean mustFinishInALaterRequest(AuthenticationFlowContext context) {
        return AuthenticationManager.nextRequiredAction(context.getSession(), context.getAuthenticationSession(),
                context.getHttpRequest(), context.getEvent().clone()) != null;
    }

    private static boolean asksForOfflineAccess(AuthenticationSessionModel authSession) {
        String scope = authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM);
        return scope != null && Arrays.asList(scope.split(" ")).contains(OAuth2Constants.OFFLINE_ACCESS);
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
