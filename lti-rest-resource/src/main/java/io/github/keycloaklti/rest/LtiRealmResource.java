package io.github.keycloaklti.rest;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.ags.AssignmentsResource;
import io.github.keycloaklti.deeplinking.DeepLinkingResource;
import io.github.keycloaklti.dynamicregistration.DynamicRegistrationResource;
import io.github.keycloaklti.nrps.MembershipsResource;
import io.github.keycloaklti.services.ServiceTokenCache;
import io.github.keycloaklti.toolconfiguration.ToolConfigurationResource;

/** Root of {@code /realms/R/lti}; each feature has its own sub-resource. */
public class LtiRealmResource {

    private final KeycloakSession session;
    private final ServiceTokenCache serviceTokens;

    LtiRealmResource(KeycloakSession session, ServiceTokenCache serviceTokens) {
        this.session = session;
        this.serviceTokens = serviceTokens;
    }

    @Path("nrps")
    public MembershipsResource nrps() {
        return new MembershipsResource(session, serviceTokens);
    }

    @Path("ags")
    public AssignmentsResource ags() {
        return new AssignmentsResource(session, serviceTokens);
    }

    @Path("deep-linking")
    public DeepLinkingResource deepLinking() {
        return new DeepLinkingResource(session);
    }

    @Path("dynamic-registration")
    public DynamicRegistrationResource dynamicRegistration() {
        return new DynamicRegistrationResource(session, serviceTokens.bulkhead());
    }

    @Path("platforms/{alias}")
    public ToolConfigurationResource platform(@PathParam("alias") String alias) {
        return new ToolConfigurationResource(session, alias);
    }
}
