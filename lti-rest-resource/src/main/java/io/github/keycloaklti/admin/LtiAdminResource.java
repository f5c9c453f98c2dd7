package io.github.keycloaklti.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

import org.keycloak.component.ComponentModel;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.keycloaklti.deployment.RecordedDeployments;
import io.github.keycloaklti.dynamicregistration.DynamicRegistrationLinks;
import io.github.keycloaklti.dynamicregistration.RegistrationLinksPage;
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
    private final AdminEventBuilder adminEvent;

    LtiAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                     AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.IDENTITY_PROVIDER);
    }

    /** Body: {@code toolClientIds} (required), {@code targetLinkUri}, {@code expiresInSeconds} (default 3600). */
    @POST
    @Path("dynamic-registration-links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createLink(Map<String, Object> body) {
        auth.realm().requireManageIdentityProviders();
        DynamicRegistrationLinks.Issuer issuer = new DynamicRegistrationLinks.Issuer(auth.realm().canManageRealm(),
                client -> client != null && auth.clients().canManage(client));
        Map<String, Object> link = new DynamicRegistrationLinks(session, realm).create(body == null ? Map.of() : body,
                issuer);
        // the link is a secret: the event says that one was issued, not what it is
        adminEvent.clone(session).operation(OperationType.CREATE).resourcePath(session.getContext().getUri()).success();
        return Response.status(201).entity(link).type(MediaType.APPLICATION_JSON).build();
    }

    /**
     * The link of an entry of the console's "LTI registration links" page: the page never shows it (whoever may view
     * the realm reads the page), this call does, to admins who may manage identity providers.
     */
    @GET
    @Path("dynamic-registration-links/{entry}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response linkOfEntry(@PathParam("entry") String entryId) {
        auth.realm().requireManageIdentityProviders();
        ComponentModel entry = RegistrationLinksPage.entry(realm, entryId)
                .orElseThrow(() -> new ServiceException(404, "not_found", "no LTI registration links entry '" + entryId
                        + "' in realm '" + realm.getName() + "'"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", entry.get(RegistrationLinksPage.REGISTRATION_URL));
        body.put("state", entry.get(RegistrationLinksPage.STATE));
        body.put("expires_at", entry.get(RegistrationLinksPage.EXPIRES_AT));
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").build();
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
        adminEvent.clone(session).resource(ResourceType.AUTH_FLOW).operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri()).representation(result).success();
        return Response.ok(result, MediaType.APPLICATION_JSON).build();
    }

    /**
     * The registration as launches see it: the platform's issuer and endpoints (typed, or the preset's, worked out
     * now), the deployments it accepts, its tool clients.
     */
    @GET
    @Path("platforms/{alias}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response registration(@PathParam("alias") String alias) {
        auth.realm().requireViewIdentityProviders();
        LtiPlatformConfig platform = platform(alias);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alias", platform.getAlias());
        body.put("issuer", platform.getIssuer());
        body.put("clientId", platform.getClientId());
        body.put("authorizationUrl", platform.getAuthorizationUrl());
        body.put("jwksUrl", platform.getJwksUrl());
        body.put("tokenUrl", platform.getTokenUrl());
        body.put("tokenAudience", platform.getTokenAudience());
        body.put("deploymentIds", knownDeployments(platform));
        body.put("toolClientIds", platform.getToolClientIds());
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /** The deployments this registration accepts: the admin's list, then those recorded at first launch. */
    @GET
    @Path("platforms/{alias}/deployments")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deployments(@PathParam("alias") String alias) {
        auth.realm().requireViewIdentityProviders();
        return Response.ok(knownDeployments(platform(alias)), MediaType.APPLICATION_JSON).build();
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
        adminEvent.operation(OperationType.CREATE).resourcePath(session.getContext().getUri(), deploymentId.trim())
                .representation(Map.of("deploymentId", deploymentId.trim())).success();
        return Response.status(201).entity(knownDeployments(platform)).type(MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("platforms/{alias}/deployments/{deploymentId}")
    public Response removeDeployment(@PathParam("alias") String alias, @PathParam("deploymentId") String deploymentId) {
        auth.realm().requireManageIdentityProviders();
        LtiPlatformConfig platform = platform(alias);
        List<String> remaining = new ArrayList<>(platform.getDeploymentIds());
        boolean listed = remaining.remove(deploymentId);
        if (listed) {
            platform.getConfig().put(LtiPlatformConfig.DEPLOYMENT_IDS, MultiValue.join(remaining));
            session.identityProviders().update(platform);
        }
        boolean recorded = RecordedDeployments.forget(session, realm.getId(), alias, deploymentId);
        if (!listed && !recorded) {
            throw new ServiceException(404, "not_found", "platform '" + alias + "' has no deployment '" + deploymentId + "'");
        }
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri()).success();
        return Response.noContent().build();
    }

    private List<String> knownDeployments(LtiPlatformConfig platform) {
        return RecordedDeployments.known(session, realm.getId(), platform);
    }

    private LtiPlatformConfig platform(String alias) {
        return Registrations.find(session, alias).orElseThrow(() -> new ServiceException(404, "not_found",
                "no LTI platform registration '" + alias + "'"));
    }
}
