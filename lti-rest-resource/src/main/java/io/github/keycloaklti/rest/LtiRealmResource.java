package io.github.keycloaklti.rest;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.deeplinking.DeepLinkingResource;
import io.github.keycloaklti.registration.ToolConfigurationResource;

/** Root of {@code /realms/R/lti}; each feature has its own sub-resource. */
public class LtiRealmResource {

    private final KeycloakSession session;

    LtiRealmResource(KeycloakSession session) {
        this.session = session;
    }

    @Path("deep-linking")
    public DeepLinkingResource deepLinking() {
        return new DeepLinkingResource(session);
    }

    @Path("platforms/{alias}")
    public ToolConfigurationResource platform(@PathParam("alias") String alias) {
        return new ToolConfigurationResource(session, alias);
    }
}
