package io.github.keycloaklti.handoff;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;

import io.github.keycloaklti.page.ScriptedPage;
import io.github.keycloaklti.registration.Registrations;

/**
 * A tool's own login inside the platform's iframe, where Keycloak knows nobody (the browser keeps no Keycloak cookie
 * there, and the tool did not pass the launch hint on): Keycloak's login form would come next, and browsers refuse
 * to show it in a frame ("refused to connect"). Instead, a page that may be framed: it takes the launch hint from the
 * platform's storage where a launch through storage left one, and otherwise says so in one sentence and offers the
 * same login in a new window, where Keycloak's cookies are first-party.
 */
final class FramedToolLogin {

    private static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";
    /** Added by the page when it repeats the request with a hint from the storage: never ask the storage twice. */
    static final String TRIED_PARAM = "kc_lti_hint_tried";

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
     * for this tool client ({@code lti.get_data}, see {@code PlatformStorage.handoffPage}), only of the
     * authentication origins of the registrations that launch this client, and, given one, repeats this
     * authorization request with it as {@code login_hint} and the marker {@value #TRIED_PARAM}: the launch-hint step
     * decides as for any hint. A request with the marker, or whose parameters may come from a request object (which
     * Keycloak lets override the query's {@code login_hint}), never asks the storage (no loop). Where the platform
     * has none (no storage, nothing stored, no answer within 4 seconds), the page offers the new window.
     */
    static Response readHintOrOfferNewWindow(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> query = context.getUriInfo().getQueryParameters();
        boolean mayAsk = "GET".equals(context.getHttpRequest().getHttpMethod()) && !query.containsKey(TRIED_PARAM)
                && !query.containsKey(OIDCLoginProtocol.REQUEST_PARAM)
                && !query.containsKey(OIDCLoginProtocol.REQUEST_URI_PARAM);
        String clientId = context.getAuthenticationSession().getClient().getClientId();
        List<String> origins = !mayAsk ? List.of()
                : Registrations.authorizationOriginsLaunching(context.getSession(), clientId);
        if (origins.isEmpty()) {
            return page(context, withoutOurParameters(context), "", List.of());
        }
        return page(context, context.getUriInfo().getRequestUri().toString(),
                LaunchHints.storageKey(context.getRealm(), clientId), origins);
    }

    /**
     * The page after a launch hint was refused in a frame (used, expired, another client's): the new window only,
     * for the same request without that hint (never the storage again: no loop).
     */
    static Response offerNewWindow(AuthenticationFlowContext context) {
        return page(context, withoutOurParameters(context), "", List.of());
    }

    /** The request's URL without a launch hint (spent or refused) and without the marker of a storage try. */
    private static String withoutOurParameters(AuthenticationFlowContext context) {
        UriBuilder uri = UriBuilder.fromUri(context.getUriInfo().getRequestUri()).replaceQueryParam(TRIED_PARAM);
        String hint = context.getUriInfo().getQueryParameters().getFirst(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        if (hint != null && hint.startsWith(LaunchHints.PREFIX)) {
            uri.replaceQueryParam(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        }
        return uri.build().toString();
    }

    private static Response page(AuthenticationFlowContext context, String loginUrl, String storageKey,
                                 List<String> platformOrigins) {
        return ScriptedPage.render(context.getSession(), "lti-tool-login-new-window.ftl",
                Map.of("ltiNewWindowUrl", loginUrl, "ltiHintStorageKey", storageKey,
                        "ltiPlatformOrigins", String.join(" ", platformOrigins)), "", "no-referrer");
    }
}
