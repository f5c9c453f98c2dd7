package io.github.keycloaklti.testsupport.platform;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.QueryBuilder;

/**
 * The platform side of LTI Dynamic Registration 1.0: an OpenID configuration, a registration endpoint that takes
 * one-time registration tokens and checks the tool's registration, and an admin page that opens the tool's
 * registration URL in an iframe and waits for its close message.
 */
public final class PlatformDynamicRegistration {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration";

    private final PlatformEmulator platform;
    private final Set<String> registrationTokens = ConcurrentHashMap.newKeySet();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> registrations = new CopyOnWriteArrayList<>();
    private final AtomicInteger clients = new AtomicInteger();
    private volatile String productFamilyCode = "keycloak-lti-emulator";
    private volatile boolean answersWithDeploymentId = true;

    PlatformDynamicRegistration(PlatformEmulator platform) {
        this.platform = platform;
    }

    /**
     * From now on, register as Canvas does: product family {@code canvas} in the platform configuration, and no
     * deployment id in the answer (Canvas creates the deployment when the tool is installed, later).
     */
    public void actAsCanvas() {
        productFamilyCode = "canvas";
        answersWithDeploymentId = false;
    }

    private final Map<String, Object> configurationOverrides = new ConcurrentHashMap<>();
    private volatile String nextClientId;

    /** From now on, the OpenID configuration says {@code value} for {@code field} (e.g. another issuer). */
    public void overrideConfiguration(String field, Object value) {
        configurationOverrides.put(field, value);
    }

    /** Undoes {@link #overrideConfiguration}, {@link #answerWithClientId} and {@link #refuseWith}. */
    public void behaveNormally() {
        configurationOverrides.clear();
        nextClientId = null;
        refusal = null;
    }

    /** The next registrations are refused (400 invalid_client_metadata) with this description, as a platform would. */
    public void refuseWith(String description) {
        refusal = description;
    }

    private volatile String refusal;

    /** The next registration's answer names this client id (e.g. one another registration already has). */
    public void answerWithClientId(String clientId) {
        nextClientId = clientId;
    }

    public String openidConfigurationUrl() {
        return platform.baseUrl() + "/dr/openid-configuration";
    }

    /** The URL the platform opens for the tool's registration link: with a fresh, one-time registration token. */
    public String registrationUrl(String toolRegistrationLink) {
        String token = UUID.randomUUID().toString();
        registrationTokens.add(token);
        issuedTokens.add(token);
        return toolRegistrationLink + (toolRegistrationLink.contains("?") ? "&" : "?")
                + QueryBuilder.encode(Map.of("openid_configuration", openidConfigurationUrl(), "registration_token", token));
    }

    /** Every registration token this platform handed out (for checks that none is logged). */
    public List<String> issuedTokens() {
        return List.copyOf(issuedTokens);
    }

    /** The tool registrations this platform accepted, as the tool sent them. */
    public List<Map<String, Object>> registrations() {
        return List.copyOf(registrations);
    }

    boolean handle(HttpExchange exchange, String path) throws IOException {
        switch (path) {
            case "/dr/openid-configuration" -> Exchanges.json(exchange, 200, JSON.writeValueAsString(configuration()));
            case "/dr/register" -> register(exchange);
            case "/dr/start" -> {
                String tool = Exchanges.params(exchange).get("url");
                Exchanges.html(exchange, 200, "<!DOCTYPE html><html><body><h1>Register a tool</h1>"
                        + "<p id=\"status\">registering...</p><iframe id=\"registration\" style=\"width:100%;height:300px\" src=\""
                        + Exchanges.escape(registrationUrl(tool)) + "\"></iframe><script>window.addEventListener('message',"
                        + " function (e) { if (e.data && e.data.subject === 'org.imsglobal.lti.close') {"
                        + " document.getElementById('status').textContent = 'closed'; } });</script></body></html>");
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> configuration() {
        Map<String, Object> configuration = new java.util.LinkedHashMap<>(standardConfiguration());
        configuration.putAll(configurationOverrides);
        return configuration;
    }

    private Map<String, Object> standardConfiguration() {
        String base = platform.baseUrl();
        return Map.ofEntries(
                Map.entry("issuer", platform.issuer()),
                Map.entry("authorization_endpoint", platform.authorizationUrl()),
                Map.entry("token_endpoint", platform.tokenUrl()),
                Map.entry("jwks_uri", platform.jwksUrl()),
                Map.entry("registration_endpoint", base + "/dr/register"),
                Map.entry("token_endpoint_auth_methods_supported", List.of("private_key_jwt")),
                Map.entry("token_endpoint_auth_signing_alg_values_supported", List.of("RS256")),
                Map.entry("scopes_supported", List.of("openid", PlatformServices.SCOPE_NRPS, PlatformServices.SCOPE_LINEITEM,
                        PlatformServices.SCOPE_LINEITEM_READONLY, PlatformServices.SCOPE_RESULT, PlatformServices.SCOPE_SCORE)),
                Map.entry("response_types_supported", List.of("id_token")),
                Map.entry("id_token_signing_alg_values_supported", List.of("RS256")),
                Map.entry("subject_types_supported", List.of("public")),
                Map.entry("claims_supported", List.of("sub", "iss", "name", "given_name", "family_name", "email")),
                Map.entry("https://purl.imsglobal.org/spec/lti-platform-configuration", Map.of(
                        "product_family_code", productFamilyCode, "version", "1.0",
                        "messages_supported", List.of(Map.of("type", "LtiResourceLinkRequest"),
                                Map.of("type", "LtiDeepLinkingRequest")))));
    }

    /** Dynamic Registration 3.6: checks the tool's registration and answers with the new client. */
    private void register(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        if (token == null || !registrationTokens.remove(token)) {
            Exchanges.json(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> request = JSON.readValue(Exchanges.body(exchange), Map.class);
        String problem = refusal != null ? refusal : problemWith(request);
        if (problem != null) {
            Exchanges.json(exchange, 400, JSON.writeValueAsString(Map.of("error", "invalid_client_metadata",
                    "error_description", problem)));
            return;
        }
        registrations.add(request);
        int n = clients.incrementAndGet();
        String clientId = nextClientId != null ? nextClientId : "dr-client-" + n;
        String deploymentId = "dr-deployment-" + n;
        @SuppressWarnings("unchecked")
        Map<String, Object> tool = (Map<String, Object>) request.get(TOOL_CONFIGURATION);
        platform.register(new PlatformEmulator.Registration(clientId, deploymentId,
                (String) request.get("initiate_login_uri"), ((List<?>) request.get("redirect_uris")).get(0).toString(),
                (String) request.get("jwks_uri"), (String) tool.get("target_link_uri")));
        Map<String, Object> answer = new java.util.LinkedHashMap<>(request);
        answer.put("client_id", clientId);
        answer.put(TOOL_CONFIGURATION, new java.util.LinkedHashMap<>(tool));
        if (answersWithDeploymentId) {
            ((Map<String, Object>) answer.get(TOOL_CONFIGURATION)).put("deployment_id", deploymentId);
        }
        Exchanges.json(exchange, 200, JSON.writeValueAsString(answer));
    }

    private static String problemWith(Map<String, Object> request) {
        if (!"web".equals(request.get("application_type"))) {
            return "application_type must be web";
        }
        if (!(request.get("grant_types") instanceof List<?> grants) || !grants.contains("implicit")
                || !grants.contains("client_credentials")) {
            return "grant_types must contain implicit and client_credentials";
        }
        if (!(request.get("response_types") instanceof List<?> types) || !types.contains("id_token")) {
            return "response_types must contain id_token";
        }
        if (!(request.get("redirect_uris") instanceof List<?> uris) || uris.isEmpty()) {
            return "redirect_uris is required";
        }
        for (String field : List.of("initiate_login_uri", "jwks_uri", "client_name")) {
            if (!(request.get(field) instanceof String value) || value.isBlank()) {
                return field + " is required";
            }
        }
        if (!"private_key_jwt".equals(request.get("token_endpoint_auth_method"))) {
            return "token_endpoint_auth_method must be private_key_jwt";
        }
        if (!(request.get(TOOL_CONFIGURATION) instanceof Map<?, ?> tool) || !(tool.get("target_link_uri") instanceof String)
                || !(tool.get("domain") instanceof String) || !(tool.get("messages") instanceof List<?> messages)
                || messages.isEmpty()) {
            return TOOL_CONFIGURATION + " needs domain, target_link_uri and messages";
        }
        // as Moodle checks it (domain_targetlinkuri_mismatch): the domain is the target's host, with its port if any
        java.net.URI target = java.net.URI.create((String) tool.get("target_link_uri"));
        String expected = target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort();
        if (!expected.equals(tool.get("domain"))) {
            return "domain_targetlinkuri_mismatch: the domain '" + tool.get("domain") + "' is not the target link URI's";
        }
        return null;
    }
}
