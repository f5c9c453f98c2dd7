package io.github.keycloaklti.launch;

import jakarta.ws.rs.core.Response;

import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.servicecontext.ServiceContexts;

/**
 * One LTI 1.3 platform registration acting as an identity provider of the realm. What differs between Keycloak's
 * identity-provider SPIs (the callback's type, the identity's setter) is left to a subclass per SPI:
 * {@link LtiIdentityProviderOn265} here, {@code LtiIdentityProviderOn264} in the 26.4 compatibility module.
 */
public abstract class LtiIdentityProvider extends AbstractIdentityProvider<LtiPlatformConfig> {

    protected LtiIdentityProvider(KeycloakSession session, LtiPlatformConfig config) {
        super(session, config);
    }

    /** The JAX-RS resource of {@code /realms/R/broker/A/endpoint}, for the callback of this Keycloak's SPI. */
    protected final Object launchEndpoint(RealmModel realm, BrokerCallback callback, EventBuilder event) {
        return new LtiLaunchEndpoint(session, realm, this, callback, event);
    }

    /** Names this provider as the identity's, through the setter of this Keycloak's SPI. */
    protected abstract void identify(BrokeredIdentityContext identity);

    /** LTI logins start at the platform (a link in a course), never from Keycloak's login page. */
    @Override
    public Response performLogin(AuthenticationRequest request) {
        return LaunchErrorPage.render(session, new EventBuilder(request.getRealm(), session),
                getConfig().getAlias(), new LaunchRejectedException(LaunchError.NOT_STARTED_BY_PLATFORM,
                        getConfig().getAlias()));
    }

    /**
     * Called once the user is known, after any first-broker-login flow (which clears earlier notes): the launch's
     * claims become notes of the user session that the tool's tokens are made from.
     */
    @Override
    public void authenticationFinished(AuthenticationSessionModel authSession, BrokeredIdentityContext context) {
        Object launch = context.getContextData().get(LtiLaunch.CONTEXT_DATA_KEY);
        if (launch instanceof LtiLaunch ltiLaunch) {
            String toolClientId = authSession.getClient().getClientId();
            String serviceContext = ServiceContexts.record(session, authSession.getRealm().getId(),
                    getConfig().getAlias(), toolClientId, ltiLaunch).orElse(null);
            LaunchSessionNotes.of(ltiLaunch, getConfig().getAlias(), getConfig().getClientId(), toolClientId,
                    serviceContext).forEach(authSession::setUserSessionNote);
        }
    }

    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity("{\"error\":\"LTI platforms issue no token that Keycloak could hand out\"}").build();
    }

    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity,
                                  UserSessionModel userSession, UserModel user) {
        return retrieveToken(session, identity);
    }

    @Override
    public boolean supportsLongStateParameter() {
        return false;
    }
}
