package io.github.keycloaklti.launch;

import java.util.Map;

import org.keycloak.Config;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.LoginProtocolFactory;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;

/** Registers {@link LtiLaunchProtocol}; it is never offered as a client's protocol. */
public class LtiLaunchProtocolFactory implements LoginProtocolFactory {

    @Override
    public LoginProtocol create(KeycloakSession session) {
        return new LtiLaunchProtocol().setSession(session);
    }

    @Override
    public String getId() {
        return LtiLaunchProtocol.ID;
    }

    @Override
    public boolean allowAsClientProtocol() {
        return false;
    }

    @Override
    public Map<String, ProtocolMapperModel> getBuiltinMappers() {
        return Map.of();
    }

    @Override
    public Object createProtocolEndpoint(KeycloakSession session, EventBuilder event) {
        return null;
    }

    @Override
    public void createDefaultClientScopes(RealmModel newRealm, boolean addScopesToExistingClients) {
    }

    @Override
    public void setupClientDefaults(ClientRepresentation rep, ClientModel newClient) {
    }

    @Override
    public void addClientScopeDefaults(ClientScopeRepresentation clientScope) {
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
