package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.it.BadLaunchIT.StartedLogin;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;

/**
 * The platform's keys as platforms publish and use them (1EdTech certification): keys without {@code alg}, a key
 * rotated after Keycloak cached the old one, and JWS headers that name keys ({@code jku}, {@code jwk},
 * {@code x5c}, {@code x5u}), which are never used: only the registration's keyset counts.
 */
class PlatformKeysIT extends LtiRealmTest {

    private static HttpResponse<String> post(StartedLogin login, String idToken) {
        return login.browser().postOnce(lti.launchUri(), Map.of("id_token", idToken, "state", login.state()));
    }

    private static LtiMessage learner() {
        return LtiMessage.resourceLink().user("keys-" + UUID.randomUUID(), "Kay", "Set");
    }

    @Test
    void aPlatformKeyPublishedWithoutAlgVerifiesLaunches() {
        lti.platform().jwksWithoutAlg(true);
        try {
            lti.platform().rotateKey(); // a kid Keycloak has not cached: the keyset is read as published now
            sleepPastKeycloaksRefetchInterval();
            StartedLogin login = BadLaunchIT.startLogin(learner());

            var landed = login.browser().follow(post(login, lti.platform().idToken(login.message(), login.nonce())));

            assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        } finally {
            lti.platform().jwksWithoutAlg(false);
        }
    }

    @Test
    void aKeyRotatedAfterKeycloakCachedTheOldOneIsFetchedOnceThenAccepted() {
        StartedLogin first = BadLaunchIT.startLogin(learner());
        assertThat(first.browser().follow(post(first, lti.platform().idToken(first.message(), first.nonce())))
                .uri().toString()).startsWith(lti.tool().callbackUrl());
        lti.platform().rotateKey();
        sleepPastKeycloaksRefetchInterval();
        int fetches = lti.platform().jwksRequests();

        for (int launch = 0; launch < 3; launch++) {
            StartedLogin login = BadLaunchIT.startLogin(learner());
            var landed = login.browser().follow(post(login, lti.platform().idToken(login.message(), login.nonce())));
            assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        }
        assertThat(lti.platform().jwksRequests()).as("one refetch for the new kid, then the cache").isEqualTo(fetches + 1);
    }

    @Test
    void keysNamedInTheHeaderAreIgnoredOnlyTheRegistrationsKeysetCounts() throws Exception {
        RSAKey attacker = PlatformEmulator.newKey();
        RSAKey platformKey = lti.platform().signingKey();
        int usersBefore = lti.userCount();

        // the attacker's own key, its public half embedded and linked, under the platform's kid: refused
        StartedLogin forged = BadLaunchIT.startLogin(learner());
        JWSHeader forgedHeader = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(platformKey.getKeyID()).jwk(attacker.toPublicJWK())
                .jwkURL(URI.create("https://attacker.example/jwks"))
                .x509CertURL(URI.create("https://attacker.example/cert.pem"))
                .build();
        HttpResponse<String> refused = post(forged, lti.platform().idToken(forged.message(), forged.nonce(),
                forgedHeader, attacker));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("lti_signature_invalid");
        assertThat(lti.userCount()).isEqualTo(usersBefore);

        // the platform's own key with the same headers: they change nothing, the launch is accepted
        StartedLogin honest = BadLaunchIT.startLogin(learner());
        JWSHeader noisyHeader = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(platformKey.getKeyID()).jwk(attacker.toPublicJWK())
                .jwkURL(URI.create("https://attacker.example/jwks"))
                .x509CertChain(List.of(Base64.encode("not a certificate")))
                .build();
        var landed = honest.browser().follow(post(honest, lti.platform().idToken(honest.message(), honest.nonce(),
                noisyHeader, platformKey)));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
    }

    /**
     * Keycloak refetches a keyset at most every 10 seconds per registration (its public-key storage's minimum; the
     * test server's is 2 seconds: {@code KeycloakExtension}).
     */
    private static void sleepPastKeycloaksRefetchInterval() {
        try {
            Thread.sleep(3_100); // Keycloak compares whole seconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
