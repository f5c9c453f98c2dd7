package io.github.keycloaklti.launch;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.broker.provider.util.IdentityBrokerState;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.sessions.StickySessionEncoderProvider;

import io.github.keycloaklti.compat.KeycloakSpi;
import io.github.keycloaklti.deployment.RecordedDeployments;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.ToolResolver;

/**
 * Third-party initiated login (Security Framework 5.1.1.1, LTI Core 4.1): checks what the platform sent,
 * resolves the tool, starts a Keycloak login for that tool and sends the browser to the platform's
 * authentication endpoint with a fresh state and nonce (Security Framework 5.1.1.2).
 */
final class LoginInitiator {

    /** Query parameter of the second, partitioned-cookie try of a login initiation inside an iframe. */
    static final String PARTITIONED_PARAM = "kc_lti_partitioned";
    private static final String PARTITIONED_ATTEMPT = "1";
    /** Parameters of the cookie check: the login (its client and tab) whose cookie the browser must send. */
    static final String COOKIE_CHECK_CLIENT_PARAM = "client";
    static final String COOKIE_CHECK_TAB_PARAM = "tab";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LtiPlatformConfig platform;
    private final String launchUri;

    LoginInitiator(KeycloakSession session, RealmModel realm, LtiPlatformConfig platform, String launchUri) {
        this.session = session;
        this.realm = realm;
        this.platform = platform;
        this.launchUri = launchUri;
    }

    Response initiate(MultivaluedMap<String, String> params) {
        checkLengths(params);
        String iss = params.getFirst("iss");
        if (iss == null || iss.isBlank()) {
            throw new LaunchRejectedException(LaunchError.LOGIN_ISS_MISSING);
        }
        if (!iss.equals(platform.getIssuer())) {
            throw new LaunchRejectedException(LaunchError.LOGIN_ISS_UNKNOWN, iss, platform.getAlias());
        }
        String loginHint = params.getFirst("login_hint");
        if (loginHint == null || loginHint.isBlank()) {
            throw new LaunchRejectedException(LaunchError.LOGIN_HINT_MISSING);
        }
        String targetLinkUri = params.getFirst("target_link_uri");
        if (targetLinkUri == null || targetLinkUri.isBlank()) {
            throw new LaunchRejectedException(LaunchError.LOGIN_TARGET_LINK_URI_MISSING);
        }
        String clientId = params.getFirst("client_id");
        if (clientId != null && !clientId.equals(platform.getClientId())) {
            throw new LaunchRejectedException(LaunchError.LOGIN_CLIENT_ID_MISMATCH, clientId, platform.getAlias());
        }
        // Canvas sends "deployment_id"; LTI Core 4.1.2 names it "lti_deployment_id".
        String deploymentId = params.getFirst("lti_deployment_id");
        if (deploymentId == null) {
            deploymentId = params.getFirst("deployment_id");
        }
        if (deploymentId != null && !platform.isRecordNewDeployments()
                && !RecordedDeployments.isKnown(session, realm.getId(), platform, deploymentId)) {
            throw new LaunchRejectedException(LaunchError.LOGIN_DEPLOYMENT_UNKNOWN, deploymentId, platform.getAlias());
        }
        ClientModel tool = ToolResolver.resolve(session, realm, platform, targetLinkUri)
                .orElseThrow(() -> new LaunchRejectedException(LaunchError.TOOL_NOT_FOUND, safeUri(targetLinkUri),
                        platform.getAlias()));
        if (!ToolResolver.initiateLoginUriAdmitted(session, tool)) {
            throw new LaunchRejectedException(LaunchError.TOOL_LOGIN_URI_NOT_ALLOWED, tool.getClientId());
        }

        AuthenticationSessionModel authSession = startToolLogin(tool, targetLinkUri);
        String nonce = SecretGenerator.getInstance().randomString(32);
        String fetchDest = session.getContext().getRequestHeaders().getHeaderString("Sec-Fetch-Dest");
        boolean inFrame = "iframe".equalsIgnoreCase(fetchDest);
        String storageTarget = inFrame ? PlatformStorage.target(params.getFirst(PlatformStorage.TARGET_PARAM)) : null;
        String state = storageTarget == null ? brokerState(authSession)
                : PlatformStorage.state(brokerState(authSession), authSession);
        authSession.setAuthNote(LaunchNotes.PLATFORM_ALIAS, platform.getAlias());
        authSession.setAuthNote(LaunchNotes.NONCE, nonce);
        authSession.setAuthNote(LaunchNotes.STATE, state);
        authSession.setAuthNote(LaunchNotes.TARGET_LINK_URI, targetLinkUri);
        if (deploymentId != null) {
            authSession.setAuthNote(LaunchNotes.LOGIN_DEPLOYMENT_ID, deploymentId);
        }

        Map<String, String> request = new LinkedHashMap<>();
        request.put("scope", "openid");
        request.put("response_type", "id_token");
        request.put("response_mode", "form_post");
        request.put("prompt", "none");
        request.put("client_id", platform.getClientId());
        request.put("redirect_uri", launchUri);
        request.put("login_hint", loginHint);
        request.put("lti_message_hint", params.getFirst("lti_message_hint"));
        request.put("state", state);
        request.put("nonce", nonce);
        String authenticationRequest = QueryString.append(platform.getAuthorizationUrl(), request);
        if (storageTarget != null) {
            // the platform keeps the login's secret for this frame (Platform Storage): no cookie needed; where
            // storage fails, this initiation again without it takes the cookie path below
            String pageOrigin = PlatformStorage.pageOrigin(session);
            String proof = PlatformStorage.issueProof(authSession, storageTarget, pageOrigin);
            return PlatformStorage.storePage(session, storageTarget,
                    platform.getAuthorizationOrigin(), pageOrigin,
                    PlatformStorage.key(state), proof,
                    authenticationRequest, initiationUrl(params, PlatformStorage.TARGET_PARAM));
        }
        if (inFrame) {
            // Inside the platform's iframe Keycloak's cookies are third-party: check that the browser kept them
            // before going on. Where it did not, a second try keeps the login cookie partitioned (CHIPS: a cookie
            // for Keycloak inside this platform only, which browsers keep where they block third-party cookies);
            // where even that fails, the page offers a new window.
            boolean partitioned = PARTITIONED_ATTEMPT.equals(params.getFirst(PARTITIONED_PARAM));
            Response page = CookieCheckPage.render(session, cookieCheckUrl(authSession), authenticationRequest,
                    initiationUrl(params),
                    partitioned ? null : initiationUrl(params) + "&" + PARTITIONED_PARAM + "=" + PARTITIONED_ATTEMPT);
            if (partitioned) {
                authSession.setClientNote(LaunchNotes.PARTITIONED, "true");
                return Response.fromResponse(page).header("Set-Cookie", partitionedLoginCookie(authSession)).build();
            }
            return page;
        }
        return Response.status(Response.Status.FOUND).location(URI.create(authenticationRequest)).build();
    }

    /**
     * What an anonymous login initiation may make Keycloak keep (in the authentication session, for the login's
     * lifetime): each parameter bounded before anything is created, so that nobody parks large values by the hundred.
     * Real platforms send tens to hundreds of characters (Canvas's {@code lti_message_hint} is a JWT of about one KB).
     */
    static final Map<String, Integer> MAX_PARAMETER_CHARS = Map.of(
            "iss", 1024, "target_link_uri", 2048, "login_hint", 1024, "lti_message_hint", 4096,
            "client_id", 255, "lti_deployment_id", 255, "deployment_id", 255, PlatformStorage.TARGET_PARAM, 255);

    private static void checkLengths(MultivaluedMap<String, String> params) {
        MAX_PARAMETER_CHARS.forEach((name, max) -> {
            for (String value : params.getOrDefault(name, List.of())) {
                if (value != null && value.length() > max) {
                    throw new LaunchRejectedException(LaunchError.LOGIN_PARAMETER_TOO_LONG, name, String.valueOf(max));
                }
            }
        });
    }

    /**
     * A fresh root authentication session for every launch: reusing the browser's would refuse a second learner
     * on a shared computer ("already authenticated as different user"); a fresh one replaces the previous session.
     */
    private AuthenticationSessionModel startToolLogin(ClientModel tool, String targetLinkUri) {
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session)
                .createAuthenticationSession(realm, true);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(tool);
        authSession.setProtocol(LtiLaunchProtocol.ID);
        authSession.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        authSession.setRedirectUri(targetLinkUri);
        session.getContext().setAuthenticationSession(authSession);
        return authSession;
    }

    private String brokerState(AuthenticationSessionModel authSession) {
        String code = new ClientSessionCode<>(session, realm, authSession).getOrGenerateCode();
        ClientModel client = authSession.getClient();
        return IdentityBrokerState.decoded(code, client.getId(), client.getClientId(), authSession.getTabId(), null)
                .getEncoded();
    }

    /**
     * Keycloak's login cookie again, with the same value, but {@code Partitioned} (CHIPS): kept by browsers that
     * block third-party cookies, and sent only to Keycloak inside this platform's pages. Only set on the second try,
     * once the plain cookie was found blocked, so that a browser never holds both with different values.
     */
    private String partitionedLoginCookie(AuthenticationSessionModel authSession) {
        String rootId = authSession.getParentSession().getId();
        String signed = new AuthenticationSessionManager(session).signAndEncodeToBase64AuthSessionId(rootId);
        String value = KeycloakSpi.current().withRoute(session.getProvider(StickySessionEncoderProvider.class),
                signed, rootId);
        return "AUTH_SESSION_ID=" + value + "; Path=/realms/" + realm.getName() + "/; Secure; HttpOnly; "
                + "SameSite=None; Partitioned";
    }

    /**
     * Where the frame's page asks whether the browser sent the cookie of <em>this</em> login: a cookie of an earlier
     * launch (a partitioned one, kept where the new plain cookie was dropped) must not count, or the launch would
     * carry the stale cookie and fail (the second launch in a frame).
     */
    private String cookieCheckUrl(AuthenticationSessionModel authSession) {
        Map<String, String> login = new LinkedHashMap<>();
        login.put(COOKIE_CHECK_CLIENT_PARAM, authSession.getClient().getClientId());
        login.put(COOKIE_CHECK_TAB_PARAM, authSession.getTabId());
        return QueryString.append(launchUri + "/login/cookie-check", login);
    }

    /** This login initiation again, as a GET URL: what a new top-level window opens. */
    private String initiationUrl(MultivaluedMap<String, String> params) {
        return initiationUrl(params, PARTITIONED_PARAM);
    }

    /** The same, without the parameter {@code left}. */
    private String initiationUrl(MultivaluedMap<String, String> params, String left) {
        Map<String, String> single = new LinkedHashMap<>();
        params.forEach((name, values) -> {
            if (!values.isEmpty() && !left.equals(name) && !PARTITIONED_PARAM.equals(name)) {
                single.put(name, values.get(0));
            }
        });
        return QueryString.append(launchUri + "/login", single);
    }

    static String safeUri(String uri) {
        return uri.length() > 200 ? uri.substring(0, 200) + "…" : uri;
    }
}
