package io.github.keycloaklti.registration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

import io.github.keycloaklti.platform.PlatformHttp;
import io.github.keycloaklti.rest.ServiceException;

/**
 * The tool side of LTI Dynamic Registration 1.0: reads and checks the platform's OpenID configuration (3.4, 3.5),
 * registers Keycloak as a tool at the platform's registration endpoint (3.6), and creates the {@code lti}
 * identity provider from the platform's answer (3.6.2).
 */
final class PlatformRegistrar {

    static final String PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration";
    static final String TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration";
    private static final List<String> SERVICE_SCOPES = List.of(
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score");
    /** Canvas cloud publishes one issuer for every customer and serves its configuration from its own hosts. */
    private static final Set<String> CANVAS_ISSUERS = Set.of("canvas.instructure.com", "canvas.beta.instructure.com",
            "canvas.test.instructure.com");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSession session;
    private final RealmModel realm;

    PlatformRegistrar(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The created registration: its alias and the platform's product name. */
    record Registered(String alias, String platformName) {
    }

    Registered register(String openidConfiguration, String registrationToken, List<String> toolClientIds,
                        String targetLinkUri) {
        URI configUrl = checkedUrl(openidConfiguration, "openid_configuration");
        JsonNode config = fetchConfiguration(configUrl, registrationToken);
        String issuer = text(config, "issuer");
        URI issuerUrl = checkedUrl(issuer, "issuer");
        String issuerHost = issuerUrl.getHost().toLowerCase(Locale.ROOT);
        boolean canvas = CANVAS_ISSUERS.contains(issuerHost);
        if (!canvas && !issuerHost.equals(configUrl.getHost().toLowerCase(Locale.ROOT))) {
            // Dynamic Registration 3.5.1: the issuer must be on the host that served the configuration
            throw new ServiceException(400, "issuer_mismatch", "the platform's issuer " + issuer
                    + " is not on the host of its configuration URL");
        }
        String authorization = checkedUrl(text(config, "authorization_endpoint"), "authorization_endpoint").toString();
        String jwks = checkedUrl(text(config, "jwks_uri"), "jwks_uri").toString();
        String token = checkedUrl(text(config, "token_endpoint"), "token_endpoint").toString();
        String registrationEndpoint = checkedUrl(text(config, "registration_endpoint"), "registration_endpoint").toString();
        JsonNode platformConfig = config.get(PLATFORM_CONFIGURATION);
        if (platformConfig == null || !platformConfig.isObject()) {
            throw new ServiceException(400, "not_an_lti_platform", "the configuration has no " + PLATFORM_CONFIGURATION);
        }
        String product = platformConfig.path("product_family_code").asText("platform");

        String alias = aliasFor(issuerHost);
        String launchUri = Urls.identityProviderAuthnResponse(session.getContext().getUri().getBaseUri(), alias,
                realm.getName()).toString();
        Map<String, Object> request = toolRegistration(config, product, alias, launchUri, targetLinkUri);
        JsonNode answer = post(registrationEndpoint, registrationToken, request);
        String clientId = answer.path("client_id").asText(null);
        if (clientId == null || clientId.isBlank()) {
            throw new ServiceException(502, "platform_invalid_answer", "the platform's registration answer has no client_id");
        }
        String deploymentId = answer.path(TOOL_CONFIGURATION).path("deployment_id").asText(null);

        LtiPlatformConfig platform = new LtiPlatformConfig();
        platform.setAlias(alias);
        platform.setProviderId(LtiIdentityProviderFactory.PROVIDER_ID);
        platform.setDisplayName(product + " (" + issuerHost + ")");
        platform.setEnabled(true);
        platform.setHideOnLogin(true);
        platform.setSyncMode(org.keycloak.models.IdentityProviderSyncMode.FORCE);
        platform.getConfig().put(LtiPlatformConfig.ISSUER, issuer);
        platform.getConfig().put(LtiPlatformConfig.CLIENT_ID, clientId);
        platform.getConfig().put(LtiPlatformConfig.AUTHORIZATION_URL, authorization);
        platform.getConfig().put(LtiPlatformConfig.JWKS_URL, jwks);
        platform.getConfig().put(LtiPlatformConfig.TOKEN_URL, token);
        platform.getConfig().put(LtiPlatformConfig.TOOL_CLIENT_IDS, String.join(LtiPlatformConfig.MULTI_VALUE_SEPARATOR, toolClientIds));
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
        session.identityProviders().create(platform);
        return new Registered(alias, product);
    }

    private Map<String, Object> toolRegistration(JsonNode config, String product, String alias, String launchUri,
                                                 String targetLinkUri) {
        String base = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        List<String> scopes = new ArrayList<>();
        JsonNode supported = config.get("scopes_supported");
        for (String scope : SERVICE_SCOPES) {
            if (supported == null || !supported.isArray() || contains(supported, scope)) {
                scopes.add(scope);
            }
        }
        boolean canvas = product.toLowerCase(Locale.ROOT).contains("canvas");
        Map<String, Object> resourceLink = new LinkedHashMap<>();
        resourceLink.put("type", "LtiResourceLinkRequest");
        resourceLink.put("target_link_uri", targetLinkUri);
        Map<String, Object> deepLinking = new LinkedHashMap<>();
        deepLinking.put("type", "LtiDeepLinkingRequest");
        deepLinking.put("target_link_uri", targetLinkUri);
        if (canvas) {
            resourceLink.put("placements", List.of("course_navigation"));
            deepLinking.put("placements", List.of("link_selection", "assignment_selection"));
        }
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("domain", URI.create(targetLinkUri).getHost());
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
        registration.put("initiate_login_uri", launchUri + "/login");
        registration.put("redirect_uris", List.of(launchUri));
        registration.put("client_name", realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName());
        registration.put("jwks_uri", base + "/protocol/openid-connect/certs");
        registration.put("token_endpoint_auth_method", "private_key_jwt");
        registration.put("scope", String.join(" ", scopes));
        registration.put(TOOL_CONFIGURATION, tool);
        return registration;
    }

    private JsonNode fetchConfiguration(URI url, String registrationToken) {
        try (SimpleHttpResponse response = authorized(PlatformHttp.client(session).doGet(url.toString()), registrationToken)
                .acceptJson().asResponse()) {
            if (response.getStatus() != 200) {
                throw new ServiceException(502, "platform_configuration_unavailable",
                        "the platform's configuration answered " + response.getStatus());
            }
            JsonNode config = response.asJson();
            if (config == null || !config.isObject()) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's configuration is not JSON");
            }
            return config;
        } catch (IOException e) {
            throw PlatformHttp.unreachable("its configuration", e);
        }
    }

    private JsonNode post(String endpoint, String registrationToken, Map<String, Object> request) {
        String body;
        try {
            body = JSON.writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (SimpleHttpResponse response = authorized(PlatformHttp.client(session).doPost(endpoint), registrationToken)
                .entity(new StringEntity(body, ContentType.create("application/json", StandardCharsets.UTF_8)))
                .acceptJson().asResponse()) {
            if (response.getStatus() != 200 && response.getStatus() != 201) {
                throw new ServiceException(502, "platform_registration_refused",
                        "the platform refused the registration with " + response.getStatus());
            }
            JsonNode answer = response.asJson();
            if (answer == null || !answer.isObject()) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's registration answer is not JSON");
            }
            return answer;
        } catch (IOException e) {
            throw PlatformHttp.unreachable("the registration", e);
        }
    }

    private static org.keycloak.http.simple.SimpleHttpRequest authorized(org.keycloak.http.simple.SimpleHttpRequest request,
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

    /** Absolute https URL, or http on loopback (tests, local platforms). */
    private static URI checkedUrl(String value, String what) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127."));
            if (uri.getHost() != null && (scheme.equals("https") || scheme.equals("http") && loopback)) {
                return uri;
            }
        } catch (Exception e) {
            // refused below
        }
        throw new ServiceException(400, "invalid_platform_configuration", what + " must be an https URL");
    }
}
