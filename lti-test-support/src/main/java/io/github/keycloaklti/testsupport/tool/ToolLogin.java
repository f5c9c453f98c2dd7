package io.github.keycloaklti.testsupport.tool;

import java.util.Map;

/**
 * A completed login at the tool: the ID token's claims, the userinfo, and the access and refresh tokens it received
 * (the refresh token null when Keycloak sent none).
 */
public record ToolLogin(String id, String subject, String username, Map<String, Object> idTokenClaims,
                        Map<String, Object> userInfo, String accessToken, String refreshToken) {

    public Object claim(String name) {
        return idTokenClaims.get(name);
    }
}
