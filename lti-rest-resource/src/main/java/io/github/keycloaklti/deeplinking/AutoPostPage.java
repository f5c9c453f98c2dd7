package io.github.keycloaklti.deeplinking;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.page.ScriptedPage;

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
        URI target = URI.create(returnUrl);
        String origin = target.getScheme() + "://" + target.getRawAuthority();
        return ScriptedPage.render(session, "lti-deep-linking-response.ftl",
                Map.of("ltiReturnUrl", returnUrl, "ltiJwt", jwt), "form-action " + origin + "; ", "no-referrer");
    }
}
