package io.github.keycloaklti.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Timed;

/**
 * Names the steps of a complete launch from the URLs a virtual browser requested, by who answered (Keycloak, the
 * platform, the tool) and what for, and sums each step's time per launch.
 */
final class Steps {

    private final String keycloak;
    private final String platform;
    private final String tool;

    Steps(String keycloakBaseUrl, String platformBaseUrl, String toolBaseUrl) {
        this.keycloak = keycloakBaseUrl;
        this.platform = platformBaseUrl;
        this.tool = toolBaseUrl;
    }

    String nameOf(URI uri) {
        String url = uri.toString();
        String path = uri.getPath();
        if (url.startsWith(keycloak)) {
            if (path.endsWith("/endpoint/login")) {
                return "keycloak: LTI login initiation";
            }
            if (path.endsWith("/protocol/openid-connect/auth")) {
                return "keycloak: tool's authorization request";
            }
            if (path.contains("/broker/") || path.contains("/login-actions/")) {
                return "keycloak: broker endpoint (launch or code exchange, user, session)";
            }
            return "keycloak: other";
        }
        if (url.startsWith(platform)) {
            return "platform: authentication";
        }
        if (url.startsWith(tool)) {
            return path.startsWith("/callback") ? "tool: callback (code exchange, ID token check, userinfo)"
                    : "tool: launch (redirect to Keycloak)";
        }
        return "other";
    }

    /** Milliseconds per step of one launch (requests of the same step summed). */
    Map<String, Double> of(List<Timed> timings) {
        Map<String, Double> steps = new LinkedHashMap<>();
        for (Timed timed : timings) {
            steps.merge(nameOf(timed.uri()), timed.nanos() / 1e6, Double::sum);
        }
        return steps;
    }
}
