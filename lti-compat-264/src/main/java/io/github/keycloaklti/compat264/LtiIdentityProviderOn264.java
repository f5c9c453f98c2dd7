package io.github.keycloaklti.compat264;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.launch.BrokerCallback;
import io.github.keycloaklti.launch.LtiIdentityProvider;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * The registration in Keycloak 26.4, whose identity providers take {@code IdentityProvider.AuthenticationCallback}
 * and whose brokered identity names its provider as an {@code IdentityProvider}. Created by the factory, by name,
 * only where 26.5's SPI is absent.
 */
public class LtiIdentityProviderOn264 extends LtiIdentityProvider {

    public LtiIdentityProviderOn264(KeycloakSession session, LtiPlatformConfig config) {
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
