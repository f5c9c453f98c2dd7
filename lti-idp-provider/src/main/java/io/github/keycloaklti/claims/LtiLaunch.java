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

    /** This launch with other LTI claims (what the registration passes on of the platform's). */
    public LtiLaunch withLtiClaims(Map<String, Object> claims) {
        return new LtiLaunch(issuer, subject, messageType, deploymentId, targetLinkUri, roles, email, givenName,
                familyName, name, picture, claims, expiresAt);
    }

    @JsonIgnore
    public boolean isDeepLinking() {
        return LtiClaims.DEEP_LINKING_REQUEST.equals(messageType);
    }

    /**
     * The learner's first name: {@code given_name}, else what {@code name} holds before its last word (all of it when
     * it is one word: Open edX, and platforms at a "name only" privacy level, send {@code name} alone). Null when the
     * platform sent no name.
     */
    @JsonIgnore
    public String firstName() {
        if (!isBlank(givenName)) {
            return givenName.trim();
        }
        String[] parts = nameParts();
        return parts == null ? null : parts[0];
    }

    /** The learner's last name: {@code family_name}, else the last word of a {@code name} of several words. */
    @JsonIgnore
    public String lastName() {
        if (!isBlank(familyName)) {
            return familyName.trim();
        }
        String[] parts = nameParts();
        return parts == null || parts.length < 2 ? null : parts[1];
    }

    private String[] nameParts() {
        if (isBlank(name)) {
            return null;
        }
        String whole = name.trim();
        int last = whole.lastIndexOf(' ');
        return last < 0 ? new String[] {whole} : new String[] {whole.substring(0, last).trim(), whole.substring(last + 1)};
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
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
