package io.github.keycloaklti.page;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;

/**
 * A page of the extension that runs one script of its own (auto-posts, Platform Storage, cookie checks) and may be
 * shown inside the platform's frame: rendered from the login theme's template with the attributes given, under a
 * Content-Security-Policy that allows only that script (a fresh nonce, {@code ltiScriptNonce}), inline styles, and
 * what the caller adds; never cached, never sniffed.
 */
public final class ScriptedPage {

    private ScriptedPage() {
    }

    /**
     * @param extraDirectives CSP directives beyond the defaults, each ending with "; " (e.g. {@code "connect-src 'self'; "})
     * @param referrerPolicy  the page's {@code Referrer-Policy}
     */
    public static Response render(KeycloakSession session, String template, Map<String, ?> attributes,
                                  String extraDirectives, String referrerPolicy) {
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders(); // Keycloak's defaults forbid framing; this page sets its own below
        }
        String nonce = SecretGenerator.getInstance().randomString(24);
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class).setAttribute("ltiScriptNonce", nonce);
        attributes.forEach(forms::setAttribute);
        return Response.fromResponse(forms.createForm(template))
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; "
                        + extraDirectives + "style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", referrerPolicy)
                .header("Cache-Control", "no-store")
                .build();
    }
}
