package io.github.keycloaklti.launch;

import java.time.Instant;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.util.IdentityBrokerState;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.deployment.RecordedDeployments;
import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * The platform's authentication response (Security Framework 5.1.1.3 to 5.1.3): finds the login this browser
 * started by its state, validates the id_token, spends the nonce, and hands the platform's user to Keycloak's
 * broker, with the launch's claims as user-session notes.
 */
final class LaunchReceiver {

    private static final Logger LOG = Logger.getLogger(LaunchReceiver.class);
    private static final String NONCE_KEY_PREFIX = "lti-nonce:";
    /** Far above any real launch (a few KB), far below what would cost us to parse. */
    static final int MAX_ID_TOKEN_CHARS = 64 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LtiIdentityProvider provider;
    private final BrokerCallback callback;

    LaunchReceiver(KeycloakSession session, RealmModel realm, LtiIdentityProvider provider,
                   BrokerCallback callback) {
        this.session = session;
        this.realm = realm;
        this.provider = provider;
        this.callback = callback;
    }

    Response receive(MultivaluedMap<String, String> form) {
        LtiPlatformConfig platform = provider.getConfig();
        String error = form.getFirst("error");
        if (error != null) {
            throw new LaunchRejectedException(LaunchError.PLATFORM_ERROR, LoginInitiator.safeUri(error),
                    LoginInitiator.safeUri(String.valueOf(form.getFirst("error_description"))));
        }
        String state = form.getFirst("state");
        if (state == null || state.isBlank()) {
            throw new LaunchRejectedException(LaunchError.STATE_MISSING);
        }
        String idToken = form.getFirst("id_token");
        if (idToken == null || idToken.isBlank()) {
            throw new LaunchRejectedException(LaunchError.ID_TOKEN_MISSING);
        }
        if (idToken.length() > MAX_ID_TOKEN_CHARS) {
            throw new LaunchRejectedException(LaunchError.MALFORMED_JWT);
        }
        boolean storageMode = PlatformStorage.isStorageState(state);
        AuthenticationSessionModel started = storageMode ? null : loginOfThisBrowser(state);
        if (storageMode) {
            AuthenticationSessionModel named = namedLogin(state);
            String proof = form.getFirst(PlatformStorage.PROOF_PARAM);
            if (proof == null) {
                // no proof yet: this browser's cookie, if it kept one, or the secret from the platform's storage
                started = cookieLoginOrNull(state);
                if (started == null) {
                    if (named == null) {
                        throw new LaunchRejectedException(LaunchError.STATE_UNKNOWN);
                    }
                    return PlatformStorage.readPage(session, named,
                            platform.getAuthorizationOrigin(), PlatformStorage.key(state),
                            session.getContext().getUri().getRequestUri().toString(), idToken, state);
                }
                storageMode = false;
            } else {
                if (!PlatformStorage.postedByOwnPage(session)) {
                    // Login CSRF: a proof posted from any other page (an attacker's, auto-posting his own launch)
                    // must never log this browser in
                    throw new LaunchRejectedException(LaunchError.STORAGE_PROOF_CROSS_SITE);
                }
                if (named == null || !PlatformStorage.spendProof(named, proof)) {
                    throw new LaunchRejectedException(LaunchError.STATE_UNKNOWN);
                }
                started = named;
                session.getContext().setAuthenticationSession(started);
                PlatformStorage.rememberForHandoff(started,
                        platform.getAuthorizationOrigin());
            }
        }
        if (!platform.getAlias().equals(started.getAuthNote(LaunchNotes.PLATFORM_ALIAS))) {
            throw new LaunchRejectedException(LaunchError.STATE_OTHER_PLATFORM, platform.getAlias());
        }
        LaunchValidator validator = new LaunchValidator(platform.getIssuer(), platform.getClientId(),
                platform.getAllowedAlgorithms(), platform.getAllowedClockSkewSeconds());
        LtiLaunch launch;
        try {
            launch = validator.validate(idToken, started.getAuthNote(LaunchNotes.NONCE),
                    started.getAuthNote(LaunchNotes.TARGET_LINK_URI), Instant.now(),
                    new PlatformKeyCache(session, realm, platform));
        } catch (LaunchRejectedException e) {
            discard(started);
            throw e;
        }
        if (!MessageTypes.accepts(started.getClient(), launch.messageType())) {
            discard(started);
            throw new LaunchRejectedException(LaunchError.MESSAGE_TYPE_NOT_ACCEPTED, launch.messageType(),
                    started.getClient().getClientId());
        }
        checkDeployment(started, launch, platform);
        String nonce = started.getAuthNote(LaunchNotes.NONCE);
        spendNonce(nonce, platform, launch.expiresAt());
        Lti11Launch.Applied lti11 = Lti11Launch.apply(session, realm, platform, launch, nonce);
        launch = lti11.launch();

        AuthenticationSessionModel authSession = storageMode ? started
                : callback.authenticationSession(PlatformStorage.brokerState(state));
        authSession.removeAuthNote(LaunchNotes.NONCE);
        authSession.removeAuthNote(LaunchNotes.STATE);

        BrokeredIdentityContext identity = new BrokeredIdentityContext(launch.subject(), platform);
        provider.identify(identity);
        identity.setAuthenticationSession(authSession);
        identity.setUsername(UsernameTemplate.render(platform.getUsernameTemplate(), platform.getAlias(), launch));
        identity.setEmail(launch.email());
        identity.setFirstName(launch.firstName());
        identity.setLastName(launch.lastName());
        identity.setBrokerUserId(platform.getAlias() + "." + launch.subject());
        identity.getContextData().put(LtiLaunch.CONTEXT_DATA_KEY, launch);
        Lti11Launch.linkImportedUser(session, realm, platform, launch, lti11.result());
        Response answer = callback.authenticated(identity);
        if (FirstLaunch.isFirstLogin(authSession)) {
            // Keycloak redirects a new user into its first-login flow: the registration's flow runs here instead,
            // so that a frame without cookies lands too and a taken account gets the extension's page
            answer = FirstLaunch.complete(session, realm, provider, authSession, identity, !storageMode,
                    callback::authenticated);
        }
        LaunchMetrics.success(platform.getAlias(), launch.messageType());
        LOG.debugf("LTI launch accepted: platform '%s', message %s, deployment '%s'", platform.getAlias(),
                LogText.of(launch.messageType()), LogText.of(launch.deploymentId()));
        return answer;
    }

    /** A storage-mode login found through its cookie, when the browser kept one; null otherwise. */
    private AuthenticationSessionModel cookieLoginOrNull(String state) {
        try {
            return loginOfThisBrowser(state);
        } catch (LaunchRejectedException e) {
            return null;
        }
    }

    /** The login a storage-mode state names (not yet proven to belong to this browser); null when unknown. */
    private AuthenticationSessionModel namedLogin(String state) {
        try {
            IdentityBrokerState parsed = IdentityBrokerState.encoded(PlatformStorage.brokerState(state), realm);
            ClientModel client = parsed.getClientId() == null ? null : realm.getClientByClientId(parsed.getClientId());
            return PlatformStorage.login(session, realm, state, client, parsed.getTabId());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Security Framework 7.3.1: the state must belong to a login this browser started, and must not be spent. */
    private AuthenticationSessionModel loginOfThisBrowser(String state) {
        IdentityBrokerState parsed;
        ClientModel client;
        try {
            parsed = IdentityBrokerState.encoded(PlatformStorage.brokerState(state), realm);
            client = parsed.getClientId() == null ? null : realm.getClientByClientId(parsed.getClientId());
        } catch (RuntimeException e) {
            throw new LaunchRejectedException(LaunchError.STATE_UNKNOWN);
        }
        if (client == null || parsed.getTabId() == null) {
            throw new LaunchRejectedException(LaunchError.STATE_UNKNOWN);
        }
        AuthenticationSessionModel authSession = new AuthenticationSessionManager(session)
                .getCurrentAuthenticationSession(realm, client, parsed.getTabId());
        if (authSession == null || !state.equals(authSession.getAuthNote(LaunchNotes.STATE))) {
            throw new LaunchRejectedException(LaunchError.STATE_UNKNOWN);
        }
        return authSession;
    }

    private void checkDeployment(AuthenticationSessionModel authSession, LtiLaunch launch, LtiPlatformConfig platform) {
        String deploymentId = launch.deploymentId();
        String announced = authSession.getAuthNote(LaunchNotes.LOGIN_DEPLOYMENT_ID);
        if (announced != null && !announced.equals(deploymentId)) {
            discard(authSession);
            throw new LaunchRejectedException(LaunchError.DEPLOYMENT_UNKNOWN, deploymentId, platform.getAlias());
        }
        if (RecordedDeployments.isKnown(session, realm.getId(), platform, deploymentId)) {
            return;
        }
        if (!platform.isRecordNewDeployments()) {
            discard(authSession);
            throw new LaunchRejectedException(LaunchError.DEPLOYMENT_UNKNOWN, deploymentId, platform.getAlias());
        }
        RecordedDeployments.record(session, realm.getId(), platform.getAlias(), deploymentId);
        LOG.infof("LTI platform '%s': recorded new deployment '%s' on first launch", platform.getAlias(),
                LogText.of(deploymentId));
    }

    /**
     * The nonce is spent cluster-wide, for as long as a token carrying it could still be accepted: until the
     * id_token's expiry plus the allowed skew (platforms use minutes, not hours; an hour at most).
     */
    private void spendNonce(String nonce, LtiPlatformConfig platform, long expiresAt) {
        long skew = platform.getAllowedClockSkewSeconds();
        long untilExpiry = expiresAt - Time.currentTime() + skew;
        long lifespan = Math.max(60L, Math.min(3600L + skew, untilExpiry));
        String key = NONCE_KEY_PREFIX + realm.getId() + ":" + platform.getAlias() + ":" + nonce;
        if (!session.singleUseObjects().putIfAbsent(key, lifespan)) {
            throw new LaunchRejectedException(LaunchError.NONCE_REPLAYED);
        }
    }

    private void discard(AuthenticationSessionModel authSession) {
        new AuthenticationSessionManager(session).removeAuthenticationSession(realm, authSession, true);
    }
}
