package io.github.keycloaklti.launch;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.UserAuthenticationIdentityProvider.AuthenticationCallback;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.registration.LtiPlatformConfig;

/** The registration in Keycloak 26.5 and later, whose identity providers implement {@code UserAuthenticationIdentityProvider}. */
public class LtiIdentityProviderOn265 extends LtiIdentityProvider {

    public LtiIdentityProviderOn265(KeycloakSession session, LtiPlatformConfig config) {
        super(session, config);
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return launchEndpoint(realm, BrokerCallback.of(callback::getAndVerifyAuthenticationSession,
                callback::authenticated), event);
    }

    @Override
    protected void identify(BrokeredIdentityContext identity) {
        identity.setIdp(this);
    }
}
