package io.github.keycloaklti.registration;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * {@code GET /realms/R/lti/platforms/{alias}/tool-configuration}: what the LMS admin pastes into the platform
 * (URLs, client id, deployments, services). Public by design: it holds no secret.
 */
public class ToolConfigurationResource {

    static final List<String> SERVICE_SCOPES = List.of(
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score");

    private final KeycloakSession session;
    private final String alias;

    public ToolConfigurationResource(KeycloakSession session, String alias) {
        this.session = session;
        this.alias = alias;
    }

    @GET
    @Path("tool-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response toolConfiguration() {
        RealmModel realm = session.getContext().getRealm();
        IdentityProviderModel model = session.identityProviders().getByAlias(alias);
        if (model == null || !LtiIdentityProviderFactory.PROVIDER_ID.equals(model.getProviderId())) {
            return Response.status(Response.Status.NOT_FOUND)
                    .entity(Map.of("error", "not_found", "error_description",
                            "no LTI platform registration '" + alias + "' in this realm"))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        LtiPlatformConfig platform = new LtiPlatformConfig(model);
        URI base = session.getContext().getUri().getBaseUri();
        String launchUri = Urls.identityProviderAuthnResponse(base, alias, realm.getName()).toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("platform_alias", alias);
        body.put("platform_issuer", platform.getIssuer());
        body.put("client_id", platform.getClientId());
        body.put("deployment_ids", platform.getDeploymentIds());
        body.put("login_initiation_url", launchUri + "/login");
        body.put("redirect_uris", List.of(launchUri));
        body.put("deep_linking_url", launchUri);
        body.put("jwks_url", Urls.realmIssuer(base, realm.getName()) + "/protocol/openid-connect/certs");
        body.put("scopes", SERVICE_SCOPES);
        body.put("tool_client_ids", platform.getToolClientIds());
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }
}
