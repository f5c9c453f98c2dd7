package io.github.keycloaklti.launch;

import java.io.IOException;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.keycloak.util.JsonSerialization;

/**
 * The claims of a verified id_token, parsed once with Jackson straight from the payload bytes (the JOSE library's
 * own claims parsing costs as much as the RS256 verification itself; see the launch-validation benchmark). Typed
 * getters treat a claim of the wrong JSON type as malformed.
 */
final class IdTokenClaims {

    /** Keycloak's own configured mapper. */
    private static final ObjectMapper JSON = JsonSerialization.mapper;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Map<String, Object> claims;

    private IdTokenClaims(Map<String, Object> claims) {
        this.claims = claims;
    }

    /** @throws LaunchRejectedException {@link LaunchError#MALFORMED_JWT} when the payload is not a JSON object */
    static IdTokenClaims parse(byte[] payload) {
        try {
            Map<String, Object> parsed = JSON.readValue(payload, OBJECT);
            if (parsed == null) {
                throw new LaunchRejectedException(LaunchError.MALFORMED_JWT);
            }
            return new IdTokenClaims(parsed);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LaunchRejectedException rejected) {
                throw rejected;
            }
            throw new LaunchRejectedException(LaunchError.MALFORMED_JWT);
        }
    }

    Map<String, Object> all() {
        return Collections.unmodifiableMap(claims);
    }

    Object get(String name) {
        return claims.get(name);
    }

    /** The issuer when it is a string; null otherwise (then it matches no registration). */
    String issuer() {
        return claims.get("iss") instanceof String iss ? iss : null;
    }

    /** {@code aud} as a list: one string or an array of strings; null when absent or of another shape. */
    List<String> audience() {
        Object aud = claims.get("aud");
        if (aud instanceof String single) {
            return List.of(single);
        }
        if (aud instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        return null;
    }

    String string(String name) {
        Object value = claims.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, name);
    }

    /** A NumericDate claim (seconds since the epoch). */
    Date date(String name) {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number seconds) {
            return new Date((long) (seconds.doubleValue() * 1000));
        }
        throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, name);
    }
}
