package io.github.keycloaklti.claims;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.util.JsonSerialization;

/**
 * The LTI claims the extension itself acts on, as types: read from the raw claims once, where they are needed. The raw
 * map stays only to pass every claim through to the tool's tokens. A claim whose shape is not the spec's reads as
 * absent.
 */
public final class LaunchClaims {

    /** {@code https://purl.imsglobal.org/spec/lti/claim/context} (LTI Core 5.4.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Context(String id, String label, String title) {
    }

    /** {@code .../lti-dl/claim/deep_linking_settings} (Deep Linking 2.0, 4.4.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeepLinkingSettings(
            @JsonProperty("deep_link_return_url") String returnUrl,
            @JsonProperty("accept_types") List<String> acceptTypes,
            @JsonProperty("accept_presentation_document_targets") List<String> acceptPresentationDocumentTargets,
            @JsonProperty("accept_multiple") Boolean acceptMultiple,
            @JsonProperty("accept_lineitem") Boolean acceptLineItem,
            @JsonProperty("data") Object data) {

        public boolean acceptsMultiple() {
            return !Boolean.FALSE.equals(acceptMultiple);
        }

        public boolean acceptsLineItems() {
            return !Boolean.FALSE.equals(acceptLineItem);
        }
    }

    /** {@code .../lti-nrps/claim/namesroleservice} (NRPS 2.0, 3.6.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NamesRoleService(@JsonProperty("context_memberships_url") String contextMembershipsUrl) {
    }

    /** {@code .../lti-ags/claim/endpoint} (AGS 2.0, 3.4). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AgsEndpoint(
            @JsonProperty("scope") List<String> scope,
            @JsonProperty("lineitems") String lineItems,
            @JsonProperty("lineitem") String lineItem) {
    }

    private LaunchClaims() {
    }

    public static Optional<Context> context(Map<String, Object> claims) {
        return read(claims, LtiClaims.CONTEXT, Context.class).filter(c -> c.id() != null);
    }

    public static Optional<DeepLinkingSettings> deepLinkingSettings(Map<String, Object> claims) {
        return read(claims, LtiClaims.DEEP_LINKING_SETTINGS, DeepLinkingSettings.class);
    }

    public static Optional<NamesRoleService> namesRoleService(Map<String, Object> claims) {
        return read(claims, LtiClaims.NAMES_ROLE_SERVICE, NamesRoleService.class);
    }

    public static Optional<AgsEndpoint> agsEndpoint(Map<String, Object> claims) {
        return read(claims, LtiClaims.AGS_ENDPOINT, AgsEndpoint.class);
    }

    /** The launch's roles (strings only; anything else in the array is no role). */
    public static List<String> roles(Map<String, Object> claims) {
        return claims.get(LtiClaims.ROLES) instanceof List<?> list
                ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
    }

    public static Optional<String> string(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    private static <T> Optional<T> read(Map<String, Object> claims, String name, Class<T> type) {
        Object value = claims.get(name);
        if (!(value instanceof Map<?, ?>)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JsonSerialization.mapper.convertValue(value, type));
        } catch (IllegalArgumentException notTheSpecsShape) {
            return Optional.empty();
        }
    }
}
