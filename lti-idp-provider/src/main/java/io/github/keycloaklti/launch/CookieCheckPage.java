package io.github.keycloaklti.launch;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.page.ScriptedPage;

/**
 * The login-initiation answer inside the platform's iframe: a page that asks Keycloak whether the browser kept its
 * login cookie (a third-party cookie there). Kept: it goes on to the platform at once. Blocked (browsers blocking
 * third-party cookies): it tries again with a partitioned cookie; blocked again (browsers without partitioned
 * cookies): it says so in one sentence and offers to open the launch in a new window, where the cookie is
 * first-party and the launch completes. Never a bare error.
 */
final class CookieCheckPage {

    private CookieCheckPage() {
    }

    /**
     * @param cookieCheck the URL that answers whether this request carried the cookie of this login
     * @param partitionedRetryUrl where to go when the cookie was blocked: the partitioned-cookie try of this
     *        initiation; null on that try itself (then the page offers a new window)
     */
    static Response render(KeycloakSession session, String cookieCheck, String authenticationRequest,
                           String initiationUrl, String partitionedRetryUrl) {
        return ScriptedPage.render(session, "lti-launch-continue.ftl", Map.of(
                        "ltiContinueUrl", authenticationRequest,
                        "ltiNewWindowUrl", initiationUrl,
                        "ltiPartitionedRetryUrl", partitionedRetryUrl == null ? "" : partitionedRetryUrl,
                        "ltiCookieCheckUrl", cookieCheck),
                "connect-src 'self'; ", "no-referrer");
    }
}
