package io.github.keycloaklti.dynamicregistration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.jboss.logging.Logger;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.claims.LtiScopes;
import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.platform.PlatformUrls;
import io.github.keycloaklti.registration.CanvasCloud;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.MultiValue;
import io.github.keycloaklti.registration.RealmSetup;
import io.github.keycloaklti.registration.ToolUrls;
import io.github.keycloaklti.services.PlatformCallBulkhead;
import io.github.keycloaklti.services.PlatformHttp;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * The tool side of LTI Dynamic Registration 1.0: reads and checks the platform's OpenID configuration (3.4, 3.5),
 * registers Keycloak as a tool at the platform's registration endpoint (3.6), and creates the {@code lti}
 * identity provider from the platform's answer (3.6.2).
 */
final class PlatformRegistrar {

    static final String PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration";
    static final String TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration";
    /** Keycloak's own configured mapper. */
    private static final ObjectMapper JSON = JsonSerialization.mapper;
    private static final Logger LOG = Logger.getLogger(PlatformRegistrar.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    private final PlatformCallBulkhead calls;

    /** @param calls the node's platform-call slots: a realm's registrations in progress share one registration's */
    PlatformRegistrar(KeycloakSession session, RealmModel realm, PlatformCallBulkhead calls) {
        this.session = session;
        this.realm = realm;
        this.calls = calls;
    }

    /** The slot of this realm's Dynamic Registration calls (link holders retrying against a slow platform). */
    private PlatformCallBulkhead.Slot slot() {
        return calls.slot("dynamic-registration/" + realm.getId());
    }

    /** The created registration: its alias and the platform's product name. */
    record Registered(String alias, String platformName) {
    }

    /**
     * @param enable whether the registration starts enabled (else an admin enables it after checking it)
     * @param setup what the realm setup for it may do (what the link's issuer could do directly)
     * @param spendLink spends the registration link; called once everything is checked, right before the identity
     *        provider is created; false when the link was spent meanwhile (nothing is created then)
     */
    Registered register(String openidConfiguration, String registrationToken, List<String> toolClientIds,
                        String targetLinkUri, boolean enable, RealmSetup.Scope setup, String organizationId,
                        BooleanSupplier spendLink) {
        URI configUrl = fetchable(openidConfiguration);
        JsonNode config = fetchConfiguration(configUrl, registrationToken);
        String issuer = text(config, "issuer");
        URI issuerUrl = checkedUrl(issuer, "issuer");
        String issuerHost = issuerUrl.getHost().toLowerCase(Locale.ROOT);
        String authorization = checkedUrl(text(config, "authorization_endpoint"), "authorization_endpoint").toString();
        String jwks = checkedUrl(text(config, "jwks_uri"), "jwks_uri").toString();
        String token = checkedUrl(text(config, "token_endpoint"), "token_endpoint").toString();
        String registrationEndpoint = checkedUrl(text(config, "registration_endpoint"), "registration_endpoint").toString();
        if (CanvasCloud.isCloudIssuer(issuer)) {
            // Canvas cloud's issuer is everyone's: only Instructure may speak for it
            for (String url : List.of(configUrl.toString(), authorization, jwks, token, registrationEndpoint)) {
                if (!CanvasCloud.isInstructureHost(url)) {
                    throw new ServiceException(400, "issuer_mismatch", "a platform with the Canvas cloud issuer must "
                            + "serve its configuration and endpoints from Instructure's hosts");
                }
            }
        } else {
            // Dynamic Registration 3.5.1: the issuer is where the configuration came from; and the browser and
            // Keycloak meet this platform nowhere else (authentication, registration, keys): one origin, scheme, host
            // and port. A token service elsewhere only where the Keycloak operator trusts it (Brightspace's, say):
            // never what the registering party says, or it could borrow another institution's token credentials
            for (String url : List.of(configUrl.toString(), authorization, jwks, registrationEndpoint)) {
                if (!PlatformUrls.sameOrigin(url, issuer)) {
                    throw new ServiceException(400, "issuer_mismatch", "the platform's configuration, authentication, "
                            + "registration and keyset endpoints must be on the origin of its issuer (" + issuer + ")");
                }
            }
            if (!PlatformUrls.sameOrigin(token, issuer) && !PlatformUrls.isTrustedTokenOrigin(token)) {
                throw new ServiceException(400, "issuer_mismatch", "the platform's token endpoint must be on the origin "
                        + "of its issuer (" + issuer + "), or one the Keycloak operator trusts (trusted-token-origins)");
            }
        }
        fetchable(registrationEndpoint);
        JsonNode platformConfig = config.get(PLATFORM_CONFIGURATION);
        if (platformConfig == null || !platformConfig.isObject()) {
            throw new ServiceException(400, "not_an_lti_platform", "the configuration has no " + PLATFORM_CONFIGURATION);
        }
        String product = platformConfig.path("product_family_code").asText("platform");

        String alias = aliasFor(issuerHost);
        boolean canvas = product.toLowerCase(Locale.ROOT).contains("canvas");
        ToolUrls.Computed urls = ToolUrls.of(session.getContext().getUri().getBaseUri(), realm, alias, canvas);
        Map<String, Object> request = toolRegistration(config, canvas, urls, targetLinkUri);
        JsonNode answer = post(registrationEndpoint, registrationToken, request);
        String clientId = answer.path("client_id").asText(null);
        if (clientId == null || clientId.isBlank()) {
            throw new ServiceException(502, "platform_invalid_answer", "the platform's registration answer has no client_id");
        }
        String deploymentId = answer.path(TOOL_CONFIGURATION).path("deployment_id").asText(null);

        LtiPlatformConfig platform = new LtiPlatformConfig();
        platform.setAlias(alias);
        platform.setProviderId(LtiPlatformConfig.PROVIDER_ID);
        platform.setDisplayName(product + " (" + issuerHost + ")");
        platform.setEnabled(enable);
        platform.setSyncMode(IdentityProviderSyncMode.FORCE);
        platform.getConfig().put(LtiPlatformConfig.ISSUER, issuer);
        platform.getConfig().put(LtiPlatformConfig.CLIENT_ID, clientId);
        platform.getConfig().put(LtiPlatformConfig.AUTHORIZATION_URL, authorization);
        platform.getConfig().put(LtiPlatformConfig.JWKS_URL, jwks);
        platform.getConfig().put(LtiPlatformConfig.TOKEN_URL, token);
        platform.getConfig().put(LtiPlatformConfig.TOOL_CLIENT_IDS, MultiValue.join(toolClientIds));
        if (deploymentId != null && !deploymentId.isBlank()) {
            platform.getConfig().put(LtiPlatformConfig.DEPLOYMENT_IDS, deploymentId);
        } else {
            // Canvas names deployments only at launch: accept and record them on first sight
            platform.getConfig().put(LtiPlatformConfig.RECORD_NEW_DEPLOYMENTS, "true");
        }
        try {
            platform.validate(realm);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(400, "invalid_registration", e.getMessage());
        }
        OrganizationModel organization = null;
        if (organizationId != null) {
            OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
            organization = organizations == null || !realm.isOrganizationsEnabled() ? null
                    : organizations.getById(organizationId);
            if (organization == null) {
                throw new ServiceException(400, "organization_gone", "the organization this registration link names no "
                        + "longer exists in the realm (or the realm's organizations are off): ask for a new link");
            }
        }
        if (!spendLink.getAsBoolean()) {
            throw new ServiceException(400, "link_used", "this registration link was used meanwhile");
        }
        session.identityProviders().create(platform);
        if (organization != null) {
            // the institution's registration joins its organization, as the console's "Link identity provider" does
            session.getProvider(OrganizationProvider.class).addIdentityProvider(organization,
                    session.identityProviders().getByAlias(alias));
        }
        // the admin who issued the link chose these tools: the realm is set up for them (only what is missing), as
        // far as that admin could do it directly: the flows if they may manage the realm, the bindings of the tool
        // clients they may manage; never the learner profile (the README says to run the realm setup for it)
        RealmSetup.apply(session, realm, session.identityProviders().getByAlias(alias), setup);
        return new Registered(alias, product);
    }

    private Map<String, Object> toolRegistration(JsonNode config, boolean canvas, ToolUrls.Computed urls,
                                                 String targetLinkUri) {
        List<String> scopes = new ArrayList<>();
        JsonNode supported = config.get("scopes_supported");
        for (String scope : LtiScopes.SERVICES) {
            if (supported == null || !supported.isArray() || contains(supported, scope)) {
                scopes.add(scope);
            }
        }
        Map<String, Object> resourceLink = new LinkedHashMap<>();
        resourceLink.put("type", "LtiResourceLinkRequest");
        resourceLink.put("target_link_uri", targetLinkUri);
        Map<String, Object> deepLinking = new LinkedHashMap<>();
        deepLinking.put("type", "LtiDeepLinkingRequest");
        deepLinking.put("target_link_uri", targetLinkUri);
        if (canvas) {
            resourceLink.put("placements", LtiScopes.CANVAS_RESOURCE_LINK_PLACEMENTS);
            deepLinking.put("placements", LtiScopes.CANVAS_DEEP_LINKING_PLACEMENTS);
        }
        Map<String, Object> tool = new LinkedHashMap<>();
        // with the port where the tool's URL names one: Moodle compares host and port with the target link URI's
        // (domain_targetlinkuri_mismatch otherwise)
        URI target = URI.create(targetLinkUri);
        tool.put("domain", target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort());
        tool.put("target_link_uri", targetLinkUri);
        tool.put("claims", List.of("iss", "sub", "name", "given_name", "family_name", "email", "picture"));
        tool.put("messages", List.of(resourceLink, deepLinking));
        if (canvas) {
            tool.put("https://canvas.instructure.com/lti/privacy_level", "public");
        }
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("application_type", "web");
        registration.put("response_types", List.of("id_token"));
        registration.put("grant_types", List.of("implicit", "client_credentials"));
        registration.put("initiate_login_uri", urls.loginInitiationUrl());
        registration.put("redirect_uris", List.of(urls.launchUrl()));
        registration.put("client_name", realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName());
        registration.put("jwks_uri", urls.jwksUrl());
        registration.put("token_endpoint_auth_method", "private_key_jwt");
        registration.put("scope", String.join(" ", scopes));
        registration.put(TOOL_CONFIGURATION, tool);
        return registration;
    }

    /**
     * The platform's OpenID configuration. Whatever went wrong (address refused, unreachable, an error status, not
     * JSON, no LTI platform configuration) the caller hears the same words, so that the registration page is no
     * probe of what Keycloak can reach; the log says which.
     */
    private JsonNode fetchConfiguration(URI url, String registrationToken) {
        PlatformCalls.Call call = PlatformHttp.call(session, PlatformHttp.MAX_REGISTRATION_ANSWER_BYTES);
        try (PlatformCallBulkhead.Slot slot = slot();
             SimpleHttpResponse response = authorized(call.http().doGet(url.toString()), registrationToken)
                .acceptJson().asResponse()) {
            JsonNode config = response.getStatus() == 200 ? response.asJson() : null;
            if (config == null || !config.isObject() || !config.path(PLATFORM_CONFIGURATION).isObject()
                    || !config.path("issuer").isTextual()) {
                LOG.debugf("LTI Dynamic Registration: configuration answered %d, not an LTI platform configuration",
                        response.getStatus());
                throw unreadableConfiguration();
            }
            return config;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServiceException s) {
                throw s;
            }
            LOG.debugf("LTI Dynamic Registration: configuration unreadable: %s", LogText.of(e.getMessage()));
            throw unreadableConfiguration();
        }
    }

    private static ServiceException unreadableConfiguration() {
        return new ServiceException(400, "platform_configuration_unavailable", "the platform's configuration could "
                + "not be read from the openid_configuration URL it gave");
    }

    /** A URL Keycloak is about to call: the URL policy, and the generic answer when it is refused. */
    private static URI fetchable(String url) {
        try {
            return PlatformUrls.checkBeforeFetch(url, "openid_configuration");
        } catch (PlatformUrls.RefusedUrlException e) {
            LOG.debugf("LTI Dynamic Registration: URL refused: %s", e.getMessage());
            throw unreadableConfiguration();
        }
    }

    private JsonNode post(String endpoint, String registrationToken, Map<String, Object> request) {
        String body;
        try {
            body = JSON.writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PlatformCalls.Call call = PlatformHttp.call(session, PlatformHttp.MAX_REGISTRATION_ANSWER_BYTES);
        try (PlatformCallBulkhead.Slot slot = slot();
             SimpleHttpResponse response = authorized(call.http().doPost(endpoint), registrationToken)
                .entity(new StringEntity(body, ContentType.create("application/json", StandardCharsets.UTF_8)))
                .acceptJson().asResponse()) {
            if (response.getStatus() != 200 && response.getStatus() != 201) {
                String reason = PlatformRefusal.reason(response);
                LOG.warnf("LTI Dynamic Registration: the platform refused the registration with %d%s",
                        response.getStatus(), reason == null ? "" : ": " + reason);
                throw new ServiceException(502, "platform_registration_refused",
                        "the platform refused the registration with " + response.getStatus()
                                + (reason == null ? "" : ": " + reason));
            }
            JsonNode answer = response.asJson();
            if (answer == null || !answer.isObject()) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's registration answer is not JSON");
            }
            return answer;
        } catch (IOException e) {
            throw PlatformHttp.unreachable("the registration", e, call);
        }
    }

    private static SimpleHttpRequest authorized(SimpleHttpRequest request,
                                                                        String registrationToken) {
        return registrationToken == null || registrationToken.isBlank() ? request : request.auth(registrationToken);
    }

    private String aliasFor(String host) {
        String base = "lti-" + host.replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        base = base.length() > 40 ? base.substring(0, 40) : base;
        String alias = base;
        while (session.identityProviders().getByAlias(alias) != null) {
            alias = base + "-" + SecretGenerator.getInstance().randomString(4).toLowerCase(Locale.ROOT);
        }
        return alias;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ServiceException(400, "invalid_platform_configuration", "the platform's configuration has no " + field);
        }
        return value.asText();
    }

    /** A URL of the platform's configuration, as the URL policy admits it (see {@link PlatformUrls}). */
    private static URI checkedUrl(String value, String what) {
        try {
            return PlatformUrls.checkEntered(value, what);
        } catch (PlatformUrls.RefusedUrlException e) {
            throw new ServiceException(400, "invalid_platform_configuration", e.getMessage());
        }
    }
}
