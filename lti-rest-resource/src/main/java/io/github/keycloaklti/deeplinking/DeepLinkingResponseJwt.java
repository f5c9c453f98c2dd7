package io.github.keycloaklti.deeplinking;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * The LtiDeepLinkingResponse message (Deep Linking 2.0 section 4.2), signed RS256 with the realm's active key,
 * whose kid the platform finds at the realm's JWKS (the tool keys URL).
 */
final class DeepLinkingResponseJwt {

    static final String CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    static final String DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    private static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    private static final int LIFETIME_SECONDS = 300;

    private DeepLinkingResponseJwt() {
    }

    static String sign(KeycloakSession session, LtiPlatformConfig platform, String deploymentId, Object data,
                       Object contentItems, Map<String, Object> messages) {
        long now = Time.currentTime();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", platform.getClientId());
        // Deep Linking 2.0 leaves sub out; Anthology's Learn requires it, as the tool's client id, and others ignore it
        claims.put("sub", platform.getClientId());
        claims.put("aud", platform.getIssuer());
        claims.put("iat", now);
        claims.put("exp", now + LIFETIME_SECONDS);
        claims.put("nonce", SecretGenerator.getInstance().randomString(32));
        claims.put(LtiClaims.DEPLOYMENT_ID, deploymentId);
        claims.put(LtiClaims.MESSAGE_TYPE, "LtiDeepLinkingResponse");
        claims.put(LtiClaims.VERSION, LtiClaims.SUPPORTED_VERSION);
        if (data != null) {
            claims.put(DATA, data);
        }
        claims.put(CONTENT_ITEMS, contentItems);
        messages.forEach((name, value) -> claims.put(DL + name, value));
        SignatureProvider rs256 = session.getProvider(SignatureProvider.class, Algorithm.RS256);
        return new JWSBuilder().type("JWT").jsonContent(claims).sign(rs256.signer());
    }
}
