package io.github.keycloaklti.deeplinking;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;

/**
 * The page that hands the signed response to the platform: a form posting {@code JWT} to the return URL, sent at
 * once by a script, with a visible button when scripts are off. Rendered from the theme template
 * {@code lti-deep-linking-response.ftl}; its Content-Security-Policy allows that one script and a form post to the
 * platform's origin, nothing else.
 */
final class AutoPostPage {

    private AutoPostPage() {
    }

    static Response render(KeycloakSession session, String returnUrl, String jwt) {
        String nonce = SecretGenerator.getInstance().randomString(24);
        URI target = URI.create(returnUrl);
        String origin = target.getScheme() + "://" + target.getRawAuthority();
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders();
        }
        Response page = session.getProvider(LoginFormsProvider.class)
                .setAttribute("ltiReturnUrl", returnUrl)
                .setAttribute("ltiJwt", jwt)
                .setAttribute("ltiScriptNonce", nonce)
                .createForm("lti-deep-linking-response.ftl");
        return Response.fromResponse(page)
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; "
                        + "style-src 'unsafe-inline'; form-action " + origin + "; base-uri 'none'; frame-ancestors *")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }
}
