package io.github.keycloaklti.testsupport.platform;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;

import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.QueryBuilder;

/**
 * The same emulator as a plain OpenID Connect provider (authorization code flow), for the benchmark's baseline:
 * Keycloak's own OIDC identity provider brokering a login against it. The user is the {@code login_hint}
 * (already signed in at the provider, as a learner is at the LMS); {@code /oidc/auth} answers at once with a code,
 * {@code /oidc/token} exchanges it (client_secret_post or basic) for an ID token signed with the platform's key
 * (same JWKS). Codes work once.
 */
public final class PlainOidcProvider {

    public static final String CLIENT_ID = "keycloak-broker";
    public static final String CLIENT_SECRET = "broker-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Grant(String subject, String nonce, String redirectUri) {
    }

    private final PlatformEmulator platform;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    PlainOidcProvider(PlatformEmulator platform) {
        this.platform = platform;
    }

    public String issuer() {
        return platform.baseUrl() + "/oidc";
    }

    public String authorizationUrl() {
        return issuer() + "/auth";
    }

    public String tokenUrl() {
        return issuer() + "/token";
    }

    boolean handle(HttpExchange exchange, String path) throws IOException {
        switch (path) {
            case "/oidc/auth" -> authorize(exchange);
            case "/oidc/token" -> token(exchange);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> params = Exchanges.params(exchange);
        String redirectUri = params.get("redirect_uri");
        if (!CLIENT_ID.equals(params.get("client_id")) || redirectUri == null
                || !"code".equals(params.get("response_type")) || params.get("login_hint") == null) {
            Exchanges.html(exchange, 400, "<p>invalid authorization request</p>");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(params.get("login_hint"), params.get("nonce"), redirectUri));
        Exchanges.redirect(exchange, redirectUri + (redirectUri.contains("?") ? "&" : "?")
                + QueryBuilder.encode(Map.of("code", code, "state", String.valueOf(params.get("state")))));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = Exchanges.params(exchange);
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(secret)) {
            Exchanges.json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null
                || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            Exchanges.json(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(grant.subject())
                .audience(CLIENT_ID).claim("azp", CLIENT_ID).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("given_name", "Bench").claim("family_name", "Learner").claim("name", "Bench Learner")
                .claim("email", grant.subject() + "@bench.example").claim("preferred_username", grant.subject());
        if (grant.nonce() != null) {
            claims.claim("nonce", grant.nonce());
        }
        Exchanges.json(exchange, 200, JSON.writeValueAsString(Map.of("access_token", UUID.randomUUID().toString(),
                "token_type", "Bearer", "expires_in", 300, "id_token", platform.sign(claims.build()))));
    }
}
