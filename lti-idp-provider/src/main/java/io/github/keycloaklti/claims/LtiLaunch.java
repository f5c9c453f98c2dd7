package io.github.keycloaklti.claims;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A validated launch: who, from which platform registration, with which message, and every LTI claim the
 * platform sent (spec-namespaced claims, kept as parsed JSON values for the tool's tokens), and when the id_token
 * expires (epoch seconds; 0 when unknown).
 * Keycloak serialises it as JSON with the brokered identity during the first-broker-login flow.
 */
public record LtiLaunch(
        String issuer,
        String subject,
        String messageType,
        String deploymentId,
        String targetLinkUri,
        List<String> roles,
        String email,
        String givenName,
        String familyName,
        String name,
        String picture,
        Map<String, Object> ltiClaims,
        long expiresAt) {

    public static final String CONTEXT_DATA_KEY = "io.github.keycloaklti.launch";

    @JsonIgnore
    public boolean isDeepLinking() {
        return LtiClaims.DEEP_LINKING_REQUEST.equals(messageType);
    }

    public List<LtiRole> ltiRoles() {
        return roles.stream().filter(r -> r != null && !r.isBlank()).map(LtiRole::of).toList();
    }

    public boolean hasRole(String configuredRole) {
        return ltiRoles().stream().anyMatch(role -> role.matches(configuredRole));
    }

    /** A claim of the launch by name, or a nested value by a dotted path below an LTI claim (see {@link ClaimPath}). */
    public Object claim(String path) {
        return ClaimPath.resolve(this, path);
    }
}
