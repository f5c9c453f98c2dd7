package io.github.keycloaklti.rest;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

class LtiRealmResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;

    LtiRealmResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return new LtiRealmResource(session);
    }

    @Override
    public void close() {
    }
}
