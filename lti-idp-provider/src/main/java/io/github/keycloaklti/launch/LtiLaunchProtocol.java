package io.github.keycloaklti.launch;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.keycloak.cookie.CookieType;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ClientData;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.handoff.LaunchHints;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.Registrations;

/**
 * The protocol of a launch's authentication session. When Keycloak has brokered the platform's user (and set
 * its SSO cookie), it sends the browser to the launch's {@code target_link_uri}, an entry point of the tool,
 * where the tool's ordinary OIDC login completes without a prompt. Never a client's protocol.
 */
public class LtiLaunchProtocol implements LoginProtocol {

    public static final String ID = "lti-launch";

    private KeycloakSession session;

    @Override
    public LoginProtocol setSession(KeycloakSession session) {
        this.session = session;
        return this;
    }

    @Override
    public LoginProtocol setRealm(RealmModel realm) {
        return this;
    }

    @Override
    public LoginProtocol setUriInfo(UriInfo uriInfo) {
        return this;
    }

    @Override
    public LoginProtocol setHttpHeaders(HttpHeaders headers) {
        return this;
    }

    @Override
    public LoginProtocol setEventBuilder(EventBuilder event) {
        return this;
    }

    /**
     * Sends the browser to the tool with a one-time launch hint: to the client's initiate-login URI (attribute
     * {@value LtiPlatformConfig#CLIENT_INITIATE_LOGIN_URI}) as an OIDC third-party initiated login ({@code iss},
     * {@code target_link_uri}, {@code login_hint}), or else to target_link_uri with {@code iss} and {@code login_hint}
     * added. A tool that passes {@code login_hint} on to its authorization request logs in without cookies; one that
     * ignores it logs in through Keycloak's SSO cookie as before.
     */
    @Override
    public Response authenticated(AuthenticationSessionModel authSession, UserSessionModel userSession,
                                  ClientSessionContext clientSessionCtx) {
        // The redirect URI was checked against the tool client's valid redirect URIs at login initiation.
        String target = authSession.getRedirectUri();
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), authSession.getRealm().getName());
        // admitted by the client's redirect URIs at login initiation (ToolResolver.initiateLoginUri)
        String initiateLogin = authSession.getClient().getAttribute(LtiPlatformConfig.CLIENT_INITIATE_LOGIN_URI);
        String toolUrl = initiateLogin != null && !initiateLogin.isBlank() ? initiateLogin : target;
        String hint = LaunchHints.issue(session, userSession, authSession.getClient().getClientId(), toolUrl,
                hintLifetime(userSession));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", issuer);
        String location;
        if (initiateLogin != null && !initiateLogin.isBlank()) {
            params.put("target_link_uri", target);
            params.put("login_hint", hint);
            location = QueryString.append(initiateLogin, params);
        } else {
            params.put("login_hint", hint);
            location = QueryString.append(target, params);
        }
        Response stored = PlatformStorage.handoffPage(session, authSession,
                LaunchHints.storageKey(authSession.getRealm(), authSession.getClient().getClientId()), hint, location);
        if (stored != null) {
            return stored;
        }
        Response.ResponseBuilder answer = Response.status(Response.Status.FOUND).location(URI.create(location));
        if ("true".equals(authSession.getClientNote(LaunchNotes.PARTITIONED))) {
            // a launch inside a frame that blocks third-party cookies: the launch's SSO session goes with it, in a
            // cookie partitioned to the platform's pages, so that a tool that ignores the hint logs in there too
            answer.header(HttpHeaders.SET_COOKIE, partitionedIdentityCookie(authSession, userSession));
        }
        return answer.build();
    }

    /**
     * Keycloak's SSO cookie ({@code KEYCLOAK_IDENTITY}) for the launch's session, made as Keycloak makes it, but
     * {@code Partitioned} (CHIPS): the browser keeps it for Keycloak inside this platform's pages only. Keycloak's
     * own, unpartitioned copy in the same response is the one the browser drops. It lasts no longer than the realm's
     * SSO idle timeout (Keycloak's logout expires only the unpartitioned one; on a shared computer this one then dies
     * with the session it names, or by itself).
     */
    private String partitionedIdentityCookie(AuthenticationSessionModel authSession, UserSessionModel userSession) {
        RealmModel realm = authSession.getRealm();
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        String token = session.tokens().encode(AuthenticationManager.createIdentityToken(session, realm,
                userSession.getUser(), userSession, issuer));
        return CookieType.IDENTITY.getName() + "=" + token + "; Path="
                + AuthenticationManager.getRealmCookiePath(realm, session.getContext().getUri())
                + "; Max-Age=" + Math.max(60, realm.getSsoSessionIdleTimeout())
                + "; Secure; HttpOnly; SameSite=None; Partitioned";
    }

    private int hintLifetime(UserSessionModel userSession) {
        Map<String, String> platform = LaunchSessionNotes.platform(userSession.getNotes());
        return (platform == null ? Optional.<LtiPlatformConfig>empty()
                : Registrations.find(session, platform.get(LaunchSessionNotes.ALIAS_KEY)))
                .map(LtiPlatformConfig::getLaunchHintLifetimeSeconds)
                .orElse(LtiPlatformConfig.DEFAULT_LAUNCH_HINT_LIFETIME_SECONDS);
    }

    @Override
    public Response sendError(AuthenticationSessionModel authSession, Error error, String errorMessage) {
        return errorPage(errorMessage);
    }

    @Override
    public ClientData getClientData(AuthenticationSessionModel authSession) {
        return new ClientData(authSession.getRedirectUri(), null, null, null);
    }

    @Override
    public Response sendError(ClientModel client, ClientData clientData, Error error) {
        return errorPage(null);
    }

    private Response errorPage(String message) {
        return session.getProvider(LoginFormsProvider.class)
                .setDetachedAuthSession()
                .setError(message == null ? "ltiError.launch_failed" : message)
                .createErrorPage(Response.Status.BAD_REQUEST);
    }

    @Override
    public Response backchannelLogout(UserSessionModel userSession, AuthenticatedClientSessionModel clientSession) {
        return null;
    }

    @Override
    public Response frontchannelLogout(UserSessionModel userSession, AuthenticatedClientSessionModel clientSession) {
        return null;
    }

    @Override
    public Response finishBrowserLogout(UserSessionModel userSession, AuthenticationSessionModel logoutSession) {
        return null;
    }

    @Override
    public boolean requireReauthentication(UserSessionModel userSession, AuthenticationSessionModel authSession) {
        return false;
    }

    @Override
    public void close() {
    }
}
