package io.github.keycloaklti.dynamicregistration;

import com.fasterxml.jackson.databind.JsonNode;

import org.keycloak.http.simple.SimpleHttpResponse;

import io.github.keycloaklti.logging.LogText;

/**
 * Why a platform refused a registration, in its own words (RFC 7591 3.2.2: {@code error}, {@code error_description};
 * Moodle answers {@code domain_targetlinkuri_mismatch}, for instance): one line, cut, never markup once shown (the
 * pages escape it). Null when the platform said nothing readable.
 */
final class PlatformRefusal {

    private PlatformRefusal() {
    }

    static String reason(SimpleHttpResponse response) {
        try {
            JsonNode body = response.asJson();
            if (body == null || !body.isObject()) {
                return null;
            }
            String error = body.path("error").isTextual() ? body.path("error").asText() : null;
            String description = body.path("error_description").isTextual() ? body.path("error_description").asText()
                    : null;
            if (error == null && description == null) {
                return null;
            }
            return LogText.of(error == null ? description : description == null ? error : error + " (" + description + ")");
        } catch (Exception notJson) {
            return null;
        }
    }
}
