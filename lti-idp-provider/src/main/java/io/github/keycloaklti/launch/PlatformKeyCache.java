package io.github.keycloaklti.launch;

import java.security.PublicKey;

import org.jboss.logging.Logger;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.PublicKeysWrapper;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.keys.PublicKeyLoader;
import org.keycloak.keys.PublicKeyStorageProvider;
import org.keycloak.keys.PublicKeyStorageUtils;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JWKSUtils;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.platform.InFlight;
import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.platform.PlatformUrls;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * The platform's keys through Keycloak's public key storage: cached cluster-wide per registration, refetched
 * from {@code jwksUrl} on an unknown kid at most once per Keycloak's minimum interval (so a flood of unknown
 * kids never floods the platform), and dropped when the registration is updated.
 */
public final class PlatformKeyCache implements PlatformKeySource {

    private static final Logger LOG = Logger.getLogger(PlatformKeyCache.class);

    /** A keyset holds a few keys: far below this. */
    private static final long MAX_JWKS_BYTES = 512 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LtiPlatformConfig platform;

    public PlatformKeyCache(KeycloakSession session, RealmModel realm, LtiPlatformConfig platform) {
        this.session = session;
        this.realm = realm;
        this.platform = platform;
    }

    @Override
    public PublicKey find(String kid, String algorithm) {
        JwksLoader loader = new JwksLoader(session, platform.getJwksUrl());
        String modelKey = PublicKeyStorageUtils.getIdpModelCacheKey(realm.getId(), platform.getInternalId());
        KeyWrapper key;
        // While Keycloak fetches a registration's keyset, the launches that need it wait for that one fetch (bounded
        // by its deadline); beyond a few such waits per registration, a launch is refused at once, so that one slow
        // platform never holds the node's worker threads
        InFlight waits = LtiIdentityProviderFactory.keysetWaits(session);
        if (!waits.tryEnter(modelKey)) {
            LOG.warnf("LTI platform '%s': %d launches already wait for its keyset; refused one more",
                    LogText.of(platform.getAlias()), waits.maxPerKey());
            throw new LaunchRejectedException(LaunchError.JWKS_UNAVAILABLE, platform.getJwksUrl());
        }
        try {
            key = session.getProvider(PublicKeyStorageProvider.class).getPublicKey(modelKey, kid, algorithm, loader);
        } catch (RuntimeException e) {
            LOG.warnf("LTI platform '%s': cannot load keys from %s: %s", LogText.of(platform.getAlias()),
                    LogText.of(platform.getJwksUrl()), LogText.of(e.getMessage()));
            throw new LaunchRejectedException(LaunchError.JWKS_UNAVAILABLE, platform.getJwksUrl());
        } finally {
            waits.leave(modelKey);
        }
        if (key == null || !(key.getPublicKey() instanceof PublicKey publicKey)) {
            if (loader.failure != null) {
                throw new LaunchRejectedException(LaunchError.JWKS_UNAVAILABLE, platform.getJwksUrl());
            }
            throw new LaunchRejectedException(LaunchError.KEY_UNKNOWN, kid, platform.getJwksUrl());
        }
        return publicKey;
    }

    private static final class JwksLoader implements PublicKeyLoader {
        private final KeycloakSession session;
        private final String jwksUrl;
        private Exception failure;

        JwksLoader(KeycloakSession session, String jwksUrl) {
            this.session = session;
            this.jwksUrl = jwksUrl;
        }

        @Override
        public PublicKeysWrapper loadKeys() throws Exception {
            try {
                PlatformUrls.checkBeforeFetch(jwksUrl, "jwksUrl");
                JSONWebKeySet keys;
                // Keycloak's key storage runs one load per registration at a time, and concurrent launches wait for
                // it: the call's deadline bounds how long any of them waits
                try (SimpleHttpResponse response = PlatformCalls.startKeysetFetch(session, MAX_JWKS_BYTES).http()
                        .doGet(jwksUrl).acceptJson().asResponse()) {
                    if (response.getStatus() != 200) {
                        throw new IllegalStateException("the keyset answered " + response.getStatus());
                    }
                    keys = JsonSerialization.readValue(response.asString(), JSONWebKeySet.class);
                }
                // Many platforms omit "use" on their keys; a JWKS published for LTI holds signing keys.
                return JWKSUtils.getKeyWrappersForUse(keys, JWK.Use.SIG, true);
            } catch (Exception e) {
                failure = e;
                throw e;
            }
        }
    }
}
