package io.github.keycloaklti.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.keycloaklti.dynamicregistration.DynamicRegistrationLinks;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.MultiValue;
import io.github.keycloaklti.registration.RealmSetup;
import io.github.keycloaklti.registration.Registrations;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * Admin REST for LTI: Dynamic Registration links and the deployments of a registration. Every call needs the
 * "manage identity providers" permission of the realm.
 */
public class LtiAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    LtiAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    /** Body: {@code toolClientIds} (required), {@code targetLinkUri}, {@code expiresInSeconds} (default 3600). */
    @POST
    @Path("dynamic-registration-links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createLink(Map<String, Object> body) {
        auth.realm().requireManageIdentityProviders();
        Map<String, Object> link = new DynamicRegistrationLinks(session, realm).create(body == null ? Map.of() : body);
        return Response.status(201).entity(link).type(MediaType.APPLICATION_JSON).build();
    }

    /**
     * Sets the realm up for this registration's launches, once and visibly (see {@link RealmSetup}): the "lti first
     * launch" and "lti browser" flows, bound where nothing else is. Needs "manage realm" (it adds flows and binds
     * them to clients).
     */
    @POST
    @Path("platforms/{alias}/realm-setup")
    @Produces(MediaType.APPLICATION_JSON)
    public Response realmSetup(@PathParam("alias") String alias) {
        auth.realm().requireManageRealm();
        RealmSetup.Result result = RealmSetup.apply(session, realm, platform(alias));
        return Response.ok(result, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("platforms/{alias}/deployments")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deployments(@PathParam("alias") String alias) {
        auth.realm().requireViewIdentityProviders();
        return Response.ok(platform(alias).getDeploymentIds(), MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("platforms/{alias}/deployments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response addDeployment(@PathParam("alias") String alias, Map<String, Object> body) {
        auth.realm().requireManageIdentityProviders();
        Object id = body == null ? null : body.get("deploymentId");
        if (!(id instanceof String deploymentId) || deploymentId.isBlank() || deploymentId.contains("##")) {
            throw new ServiceException(400, "invalid_request", "give the deployment id as {\"deploymentId\": \"...\"}");
        }
        LtiPlatformConfig platform = platform(alias);
        platform.addDeploymentId(deploymentId.trim());
        session.identityProviders().update(platform);
        return Response.status(201).entity(platform.getDeploymentIds()).type(MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("platforms/{alias}/deployments/{deploymentId}")
    public Response removeDeployment(@PathParam("alias") String alias, @PathParam("deploymentId") String deploymentId) {
        auth.realm().requireManageIdentityProviders();
        LtiPlatformConfig platform = platform(alias);
        List<String> remaining = new ArrayList<>(platform.getDeploymentIds());
        if (!remaining.remove(deploymentId)) {
            throw new ServiceException(404, "not_found", "platform '" + alias + "' has no deployment '" + deploymentId + "'");
        }
        platform.getConfig().put(LtiPlatformConfig.DEPLOYMENT_IDS, MultiValue.join(remaining));
        session.identityProviders().update(platform);
        return Response.noContent().build();
    }

    private LtiPlatformConfig platform(String alias) {
        return Registrations.find(session, alias).orElseThrow(() -> new ServiceException(404, "not_found",
                "no LTI platform registration '" + alias + "'"));
    }
}
