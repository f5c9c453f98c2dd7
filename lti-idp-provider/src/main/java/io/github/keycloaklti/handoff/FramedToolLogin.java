package io.github.keycloaklti.handoff;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;

import io.github.keycloaklti.page.ScriptedPage;

/**
 * A tool's own login inside the platform's iframe, where Keycloak knows nobody (the browser keeps no Keycloak cookie
 * there, and the tool did not pass the launch hint on): Keycloak's login form would come next, and browsers refuse
 * to show it in a frame ("refused to connect"). Instead, a page that may be framed: it takes the launch hint from the
 * platform's storage where a launch through storage left one, and otherwise says so in one sentence and offers the
 * same login in a new window, where Keycloak's cookies are first-party.
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

    /**
     * The frameable page. Where the request is a GET, it first asks the platform's storage for a launch hint left
     * for this tool client ({@code lti.get_data}, see {@code PlatformStorage.handoffPage}) and, given one, repeats
     * this authorization request with it as {@code login_hint}: the launch-hint step decides as for any hint. Where
     * the platform has none (no storage, nothing stored, no answer within 4 seconds), the page offers the new window.
     */
    static Response readHintOrOfferNewWindow(AuthenticationFlowContext context) {
        boolean get = "GET".equals(context.getHttpRequest().getHttpMethod());
        String key = get ? LaunchHints.storageKey(context.getRealm(),
                context.getAuthenticationSession().getClient().getClientId()) : "";
        return page(context, context.getUriInfo().getRequestUri().toString(), key);
    }

    /**
     * The page after a launch hint was refused in a frame (used, expired, another client's): the new window only,
     * for the same request without that hint (never the storage again: no loop).
     */
    static Response offerNewWindow(AuthenticationFlowContext context) {
        String withoutHint = UriBuilder.fromUri(context.getUriInfo().getRequestUri())
                .replaceQueryParam(OIDCLoginProtocol.LOGIN_HINT_PARAM).build().toString();
        return page(context, withoutHint, "");
    }

    private static Response page(AuthenticationFlowContext context, String loginUrl, String storageKey) {
        return ScriptedPage.render(context.getSession(), "lti-tool-login-new-window.ftl",
                Map.of("ltiNewWindowUrl", loginUrl, "ltiHintStorageKey", storageKey), "", "no-referrer");
    }
}
