package io.github.keycloaklti.toolconfiguration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.claims.LtiScopes;
import io.github.keycloaklti.deployment.RecordedDeployments;
import io.github.keycloaklti.page.ScriptedPage;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.Registrations;
import io.github.keycloaklti.registration.ToolLaunchUrl;
import io.github.keycloaklti.registration.ToolUrls;

/**
 * {@code GET /realms/R/lti/platforms/{alias}/tool-configuration}: what the LMS admin pastes into the platform
 * (URLs, client id, deployments, services). Public by design: it holds no secret.
 */
public class ToolConfigurationResource {


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
        return platform() == null ? notFound() : Response.ok(details(platform()), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The same details as a page an LMS admin can copy from: each value whole, with a copy button, under the name
     * the platforms use for it; Canvas's configuration URL only for Canvas; a link to the registration in the
     * admin console.
     */
    @GET
    @Path("tool-configuration")
    @Produces(MediaType.TEXT_HTML)
    public Response toolConfigurationPage() {
        LtiPlatformConfig platform = platform();
        if (platform == null) {
            return notFound();
        }
        Map<String, Object> details = details(platform);
        List<Map<String, String>> rows = new ArrayList<>();
        PAGE_ROWS.forEach((key, label) -> {
            if (!details.containsKey(key)) {
                return; // e.g. the Canvas configuration URL of another platform
            }
            Object value = details.get(key);
            String text = value instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
                    : value == null ? "" : String.valueOf(value);
            rows.add(Map.of("key", key, "label", label, "value", text));
        });
        RealmModel realm = session.getContext().getRealm();
        String console = UriBuilder.fromUri(session.getContext().getUri().getBaseUri()).path("admin/master/console/")
                .build() + "#/" + realm.getName() + "/identity-providers/lti/" + alias + "/settings";
        return ScriptedPage.render(session, "lti-tool-configuration.ftl", Map.of("ltiAlias", alias,
                "ltiDetails", rows, "ltiConsoleUrl", console), "", "no-referrer");
    }

    /** The page's rows: detail key → message key of its label, in the order an LMS form asks for them. */
    private static final Map<String, String> PAGE_ROWS = new LinkedHashMap<>();

    static {
        PAGE_ROWS.put("login_initiation_url", "ltiConfigLoginInitiationUrl");
        PAGE_ROWS.put("redirect_uris", "ltiConfigRedirectUris");
        PAGE_ROWS.put("deep_linking_url", "ltiConfigDeepLinkingUrl");
        PAGE_ROWS.put("jwks_url", "ltiConfigJwksUrl");
        PAGE_ROWS.put("target_link_uri", "ltiConfigTargetLinkUri");
        PAGE_ROWS.put("canvas_configuration_url", "ltiConfigCanvasConfigurationUrl");
        PAGE_ROWS.put("platform_issuer", "ltiConfigPlatformIssuer");
        PAGE_ROWS.put("client_id", "ltiConfigClientId");
        PAGE_ROWS.put("deployment_ids", "ltiConfigDeploymentIds");
        PAGE_ROWS.put("scopes", "ltiConfigScopes");
        PAGE_ROWS.put("tool_client_ids", "ltiConfigToolClientIds");
    }

    /**
     * A developer key configuration that Canvas reads from a URL ("Enter URL" when adding an LTI key), per Canvas's
     * LTI 1.3 configuration format: login initiation, target link, keys, scopes and placements.
     */
    @GET
    @Path("canvas-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response canvasConfiguration() {
        LtiPlatformConfig platform = platform();
        if (platform == null) {
            return notFound();
        }
        Map<String, Object> details = details(platform);
        Object target = details.get("target_link_uri");
        Map<String, Object> canvas = new LinkedHashMap<>();
        RealmModel realm = session.getContext().getRealm();
        canvas.put("title", realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName());
        canvas.put("description", "Tools of Keycloak realm '" + realm.getName() + "', launched through LTI 1.3");
        canvas.put("oidc_initiation_url", details.get("login_initiation_url"));
        canvas.put("target_link_uri", target);
        canvas.put("public_jwk_url", details.get("jwks_url"));
        canvas.put("scopes", LtiScopes.SERVICES);
        canvas.put("extensions", List.of(Map.of("platform", "canvas.instructure.com", "privacy_level", "public",
                "settings", Map.of("placements", canvasPlacements(target)))));
        canvas.put("custom_fields", Map.of());
        return Response.ok(canvas, MediaType.APPLICATION_JSON).build();
    }

    private static List<Map<String, Object>> canvasPlacements(Object target) {
        List<Map<String, Object>> placements = new ArrayList<>();
        LtiScopes.CANVAS_RESOURCE_LINK_PLACEMENTS.forEach(p -> placements.add(placement(p, "LtiResourceLinkRequest", target)));
        LtiScopes.CANVAS_DEEP_LINKING_PLACEMENTS.forEach(p -> placements.add(placement(p, "LtiDeepLinkingRequest", target)));
        return placements;
    }

    private static Map<String, Object> placement(String placement, String messageType, Object target) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("placement", placement);
        map.put("message_type", messageType);
        if (target != null) {
            map.put("target_link_uri", target);
        }
        return map;
    }

    private LtiPlatformConfig platform() {
        return Registrations.find(session, alias).orElse(null);
    }

    private Response notFound() {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(Map.of("error", "not_found", "error_description",
                        "no LTI platform registration '" + alias + "' in this realm"))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private Map<String, Object> details(LtiPlatformConfig platform) {
        RealmModel realm = session.getContext().getRealm();
        ToolUrls.Computed urls = ToolUrls.of(session.getContext().getUri().getBaseUri(), realm, platform);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("platform_alias", alias);
        body.put("platform_issuer", platform.getIssuer());
        body.put("client_id", platform.getClientId());
        body.put("deployment_ids", RecordedDeployments.known(session, realm.getId(), platform));
        body.put("login_initiation_url", urls.loginInitiationUrl());
        body.put("redirect_uris", List.of(urls.launchUrl()));
        body.put("deep_linking_url", urls.launchUrl());
        body.put("jwks_url", urls.jwksUrl());
        body.put("target_link_uri", targetLinkUri(realm, platform));
        body.put("scopes", LtiScopes.SERVICES);
        if (urls.canvasConfigurationUrl() != null) {
            body.put("canvas_configuration_url", urls.canvasConfigurationUrl());
        }
        body.put("tool_client_ids", platform.getToolClientIds());
        return body;
    }

    /** The first tool client's launch URL (see {@link ToolLaunchUrl}): where the LMS sends launches. */
    private static String targetLinkUri(RealmModel realm, LtiPlatformConfig platform) {
        for (String clientId : platform.getToolClientIds()) {
            ClientModel client = realm.getClientByClientId(clientId);
            String url = client == null ? null : ToolLaunchUrl.of(client);
            if (url != null) {
                return url;
            }
        }
        return null;
    }
}
