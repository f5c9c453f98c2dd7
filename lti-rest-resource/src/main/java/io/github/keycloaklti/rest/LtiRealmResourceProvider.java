package io.github.keycloaklti.rest;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

import io.github.keycloaklti.services.ServiceTokenCache;

class LtiRealmResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final ServiceTokenCache serviceTokens;

    LtiRealmResourceProvider(KeycloakSession session, ServiceTokenCache serviceTokens) {
        this.session = session;
        this.serviceTokens = serviceTokens;
    }

    @Override
    public Object getResource() {
        return new LtiRealmResource(session, serviceTokens);
    }

    @Override
    public void close() {
    }
}
