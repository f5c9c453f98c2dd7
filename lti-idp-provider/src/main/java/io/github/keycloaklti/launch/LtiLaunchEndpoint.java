package io.github.keycloaklti.launch;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * {@code /realms/R/broker/A/endpoint}: the URLs given to the LMS. Translates HTTP into calls of
 * {@link LoginInitiator} and {@link LaunchReceiver}, and refusals into {@link LaunchErrorPage}.
 */
public class LtiLaunchEndpoint {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LtiIdentityProvider provider;
    private final BrokerCallback callback;
    private final EventBuilder event;

    LtiLaunchEndpoint(KeycloakSession session, RealmModel realm, LtiIdentityProvider provider,
                      BrokerCallback callback, EventBuilder event) {
        this.session = session;
        this.realm = realm;
        this.provider = provider;
        this.callback = callback;
        this.event = event;
    }

    @GET
    @Path("login")
    public Response initiateLoginGet() {
        try {
            return initiateLogin(query());
        } catch (LaunchRejectedException e) {
            return LaunchErrorPage.render(session, event, provider.getConfig().getAlias(), e);
        }
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response initiateLoginPost() {
        try {
            MultivaluedMap<String, String> params = query();
            form().forEach(params::put);
            return initiateLogin(params);
        } catch (LaunchRejectedException e) {
            return LaunchErrorPage.render(session, event, provider.getConfig().getAlias(), e);
        }
    }

    /**
     * Whether this request carried Keycloak's login cookie of the login named by its client and tab (asked by the page
     * a login initiation shows inside the platform's iframe, where browsers may block third-party cookies): a cookie
     * of an earlier launch does not count. Says nothing else.
     */
    @GET
    @Path("login/cookie-check")
    @Produces(MediaType.APPLICATION_JSON)
    public Response cookieCheck(@QueryParam(LoginInitiator.COOKIE_CHECK_CLIENT_PARAM) String clientId,
                                @QueryParam(LoginInitiator.COOKIE_CHECK_TAB_PARAM) String tabId) {
        boolean present = false;
        if (clientId != null && tabId != null && clientId.length() <= 255 && tabId.length() <= 64
                && session.getContext().getRequestHeaders().getCookies().containsKey("AUTH_SESSION_ID")) {
            ClientModel client = realm.getClientByClientId(clientId);
            AuthenticationSessionModel login = client == null ? null
                    : new AuthenticationSessionManager(session).getCurrentAuthenticationSession(realm, client, tabId);
            present = login != null && provider.getConfig().getAlias().equals(login.getAuthNote(LaunchNotes.PLATFORM_ALIAS));
        }
        return Response.ok(Map.of("cookie", present), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response launch() {
        try {
            return new LaunchReceiver(session, realm, provider, callback).receive(form());
        } catch (LaunchRejectedException e) {
            return LaunchErrorPage.render(session, event, provider.getConfig().getAlias(), e);
        }
    }

    /** The posted form, decoded by Keycloak; one that cannot be decoded is a refused launch. */
    private MultivaluedMap<String, String> form() {
        try {
            return session.getContext().getHttpRequest().getDecodedFormParameters();
        } catch (RuntimeException e) {
            throw new LaunchRejectedException(LaunchError.MALFORMED_REQUEST);
        }
    }

    /** The query, decoded by us: a malformed one is a refused launch, not a server error. */
    private MultivaluedMap<String, String> query() {
        return FormParameters.parse(session.getContext().getUri().getRequestUri().getRawQuery());
    }

    @GET
    public Response launchWithoutPost() {
        // A platform that redirects instead of posting (or a learner who reloads) gets a clear page.
        return LaunchErrorPage.render(session, event, provider.getConfig().getAlias(),
                new LaunchRejectedException(LaunchError.ID_TOKEN_MISSING));
    }

    private Response initiateLogin(MultivaluedMap<String, String> params) {
        try {
            String launchUri = Urls.identityProviderAuthnResponse(session.getContext().getUri().getBaseUri(),
                    provider.getConfig().getAlias(), realm.getName()).toString();
            return new LoginInitiator(session, realm, provider.getConfig(), launchUri).initiate(params);
        } catch (LaunchRejectedException e) {
            return LaunchErrorPage.render(session, event, provider.getConfig().getAlias(), e);
        }
    }
}
