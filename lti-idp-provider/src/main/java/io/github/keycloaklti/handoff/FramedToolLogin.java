package io.github.keycloaklti.handoff;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;

import io.github.keycloaklti.page.ScriptedPage;

/**
 * A tool's own login inside the platform's iframe, where Keycloak knows nobody (the browser keeps no Keycloak cookie
 * there, and the tool did not pass the launch hint on): Keycloak's login form would come next, and browsers refuse
 * to show it in a frame ("refused to connect"). Instead, a page that may be framed says so in one sentence and
 * offers the same login in a new window, where Keycloak's cookies are first-party.
 */
final class FramedToolLogin {

    private static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";

    private FramedToolLogin() {
    }

    /**
     * Whether this is an authorization request loaded in a frame ({@code Sec-Fetch-Dest: iframe}), by a browser with
     * no SSO session here, that may be answered with a page ({@code prompt=none} gets the tool's error as always).
     */
    static boolean wouldShowKeycloaksFormInAFrame(AuthenticationFlowContext context) {
        String destination = context.getHttpRequest().getHttpHeaders().getHeaderString("Sec-Fetch-Dest");
        String prompt = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.PROMPT_PARAM);
        return "iframe".equals(destination)
                && context.getUriInfo().getRequestUri().getRawPath().endsWith(AUTHORIZATION_PATH)
                && (prompt == null || !prompt.contains(OIDCLoginProtocol.PROMPT_VALUE_NONE))
                && AuthenticationManager.authenticateIdentityCookie(context.getSession(), context.getRealm(), true) == null;
    }

    static Response newWindowPage(AuthenticationFlowContext context) {
        return ScriptedPage.render(context.getSession(), "lti-tool-login-new-window.ftl",
                Map.of("ltiNewWindowUrl", context.getUriInfo().getRequestUri().toString()), "", "no-referrer");
    }
}
