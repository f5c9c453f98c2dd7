package io.github.keycloaklti.launch;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

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
     * @param partitionedRetryUrl where to go when the cookie was blocked: the partitioned-cookie try of this
     *        initiation; null on that try itself (then the page offers a new window)
     */
    static Response render(KeycloakSession session, RealmModel realm, String authenticationRequest, String initiationUrl,
                           String partitionedRetryUrl) {
        String nonce = SecretGenerator.getInstance().randomString(24);
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders();
        }
        String cookieCheck = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())
                + "/lti/cookie-check";
        Response page = session.getProvider(LoginFormsProvider.class)
                .setAttribute("ltiContinueUrl", authenticationRequest)
                .setAttribute("ltiNewWindowUrl", initiationUrl)
                .setAttribute("ltiPartitionedRetryUrl", partitionedRetryUrl == null ? "" : partitionedRetryUrl)
                .setAttribute("ltiCookieCheckUrl", cookieCheck)
                .setAttribute("ltiScriptNonce", nonce)
                .createForm("lti-launch-continue.ftl");
        return Response.fromResponse(page)
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; "
                        + "connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }
}
