package io.github.keycloaklti.services;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * Access tokens for the platform's services (Security Framework 4.1): client credentials with a JWT client
 * assertion signed by the realm's active RS256 key, sent to the registration's token URL only, for the scopes a
 * call needs; cached until shortly before they expire.
 */
public final class ServiceTokens {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final KeycloakSession session;
    private final ServiceTokenCache cache;

    public ServiceTokens(KeycloakSession session, ServiceTokenCache cache) {
        this.session = session;
        this.cache = cache;
    }

    public String token(RealmModel realm, LtiPlatformConfig platform, Set<String> scopes) {
        return cache.token(cacheKey(realm, platform, scopes), key -> request(platform, scopes));
    }

    /** Drops the cached token after the platform refused it (a 401): the next {@link #token} asks anew. */
    ServiceTokenCache cache() {
        return cache;
    }

    public void forget(RealmModel realm, LtiPlatformConfig platform, Set<String> scopes) {
        cache.forget(cacheKey(realm, platform, scopes));
    }

    /**
     * Per registration (its internal id, never the issuer and client id another registration could claim too), token
     * URL and audience (a token is only ever sent back where it came from), and scope set.
     */
    private static String cacheKey(RealmModel realm, LtiPlatformConfig platform, Set<String> scopes) {
        return realm.getId() + "\n" + platform.getInternalId() + "\n" + platform.getTokenUrl() + "\n"
                + platform.getTokenAudience() + "\n" + String.join(" ", new TreeSet<>(scopes));
    }

    private ServiceTokenCache.Token request(LtiPlatformConfig platform, Set<String> scopes) {
        String tokenUrl = platform.getTokenUrl();
        if (tokenUrl == null) {
            throw new ServiceException(409, "no_token_url", "the registration of platform '" + platform.getAlias()
                    + "' has no tokenUrl: services need one");
        }
        PlatformHttp.checkBeforeCall(tokenUrl, "tokenUrl");
        String assertion = assertion(platform, tokenUrl);
        JsonNode answer;
        PlatformCalls.Call call = PlatformHttp.call(session, PlatformHttp.MAX_TOKEN_ANSWER_BYTES);
        try (SimpleHttpResponse response = call.http().doPost(tokenUrl)
                .param("grant_type", "client_credentials")
                .param("client_assertion_type", JWT_BEARER)
                .param("client_assertion", assertion)
                .param("scope", String.join(" ", new TreeSet<>(scopes)))
                .acceptJson().asResponse()) {
            int status = response.getStatus();
            if (status < 200 || status >= 300) {
                // RFC 6749 5.2: the error code says why (only a code of safe characters is repeated)
                String error = errorCode(response);
                if ("invalid_scope".equals(error)) {
                    throw new ServiceException(502, "platform_token_invalid_scope", "the platform's token endpoint "
                            + "refused the scopes " + new TreeSet<>(scopes) + " (invalid_scope): enable these services "
                            + "for the tool in the platform's registration of it");
                }
                throw new ServiceException(502, "platform_token_refused", "the platform's token endpoint answered "
                        + status + (error == null ? "" : " (" + error + ")"));
            }
            answer = response.asJson(); // 200, or 201 as some platforms answer
        } catch (IOException e) {
            throw PlatformHttp.unreachable("a token request", e, call);
        }
        JsonNode token = answer == null ? null : answer.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new ServiceException(502, "platform_token_invalid", "the platform's token answer has no access_token");
        }
        // expires_in is optional (RFC 6749 5.1): without it, the token is kept 5 minutes and asked anew after a 401
        long expiresIn = answer.hasNonNull("expires_in") ? answer.get("expires_in").asLong(300) : 300;
        return new ServiceTokenCache.Token(token.asText(), Time.currentTimeMillis() + expiresIn * 1000);
    }

    private static String errorCode(SimpleHttpResponse response) {
        try {
            JsonNode body = response.asJson();
            JsonNode error = body == null ? null : body.get("error");
            return error != null && error.isTextual() && error.asText().matches("[A-Za-z0-9_.-]{1,64}")
                    ? error.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String assertion(LtiPlatformConfig platform, String tokenUrl) {
        long now = Time.currentTime();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", platform.getClientId());
        claims.put("sub", platform.getClientId());
        claims.put("aud", platform.getTokenAudience() != null ? platform.getTokenAudience() : tokenUrl);
        claims.put("iat", now);
        claims.put("exp", now + 60);
        claims.put("jti", SecretGenerator.getInstance().randomString(32));
        SignatureProvider rs256 = session.getProvider(SignatureProvider.class, Algorithm.RS256);
        return new JWSBuilder().type("JWT").jsonContent(claims).sign(rs256.signer());
    }
}
