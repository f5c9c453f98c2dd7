package io.github.keycloaklti.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.claims.LtiLaunch;

class LaunchValidatorTest {

    private static final String ISSUER = "https://lms.example.edu";
    private static final String CLIENT_ID = "tool-client";
    private static final String NONCE = "n-123";
    private static final String TARGET = "https://tool.example/launch";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final RSAKey KEY = rsaKey("kid-1");

    private final LaunchValidator validator = new LaunchValidator(ISSUER, CLIENT_ID, Set.of("RS256"), 30);

    @org.junit.jupiter.api.BeforeAll
    static void keycloaksCryptoProvider() {
        // inside Keycloak the server has done this; signatures are verified through it (FIPS-aware)
        org.keycloak.common.crypto.CryptoIntegration.init(LaunchValidatorTest.class.getClassLoader());
    }

    private static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PlatformKeySource keys(String kid, PublicKey key) {
        return (requestedKid, alg) -> {
            if (!kid.equals(requestedKid)) {
                throw new LaunchRejectedException(LaunchError.KEY_UNKNOWN, requestedKid, "jwks");
            }
            return key;
        };
    }

    private static PlatformKeySource platformKeys() {
        try {
            return keys("kid-1", KEY.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("user-1").audience(CLIENT_ID)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(60)))
                .claim("nonce", NONCE).claim("email", "ada@example.org").claim("given_name", "Ada")
                .claim(LtiClaims.VERSION, "1.3.0").claim(LtiClaims.MESSAGE_TYPE, LtiClaims.RESOURCE_LINK_REQUEST)
                .claim(LtiClaims.DEPLOYMENT_ID, "d1").claim(LtiClaims.TARGET_LINK_URI, TARGET)
                .claim(LtiClaims.ROLES, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"))
                .claim(LtiClaims.RESOURCE_LINK, Map.of("id", "rl-1"))
                .claim(LtiClaims.CONTEXT, Map.of("id", "c1"))
                .claim("https://www.instructure.com/placement", "course_navigation");
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signed(Consumer<JWTClaimsSet.Builder> tweak) {
        JWTClaimsSet.Builder claims = validClaims();
        tweak.accept(claims);
        try {
            return sign(claims.build(), JWSAlgorithm.RS256, "kid-1", new RSASSASigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private LtiLaunch validate(String token) {
        return validator.validate(token, NONCE, TARGET, NOW, platformKeys());
    }

    private void assertRefused(String token, LaunchError expected) {
        assertThatThrownBy(() -> validate(token)).isInstanceOfSatisfying(LaunchRejectedException.class,
                e -> assertThat(e.error()).isEqualTo(expected));
    }

    @Test
    void aValidLaunchGivesTheLaunchWithItsLtiClaimsOnly() {
        LtiLaunch launch = validate(signed(c -> { }));

        assertThat(launch.subject()).isEqualTo("user-1");
        assertThat(launch.deploymentId()).isEqualTo("d1");
        assertThat(launch.email()).isEqualTo("ada@example.org");
        assertThat(launch.hasRole("Learner")).isTrue();
        assertThat(launch.ltiClaims()).containsKeys(LtiClaims.CONTEXT, LtiClaims.RESOURCE_LINK, LtiClaims.ROLES)
                .doesNotContainKey("https://www.instructure.com/placement").doesNotContainKey("nonce");
    }

    @Test
    void anAudienceArrayWithTheRightAzpIsAccepted() {
        LtiLaunch launch = validate(signed(c -> c.audience(List.of(CLIENT_ID, "other")).claim("azp", CLIENT_ID)));
        assertThat(launch.subject()).isEqualTo("user-1");
    }

    @Test
    void clockSkewIsTolerated() {
        assertThat(validate(signed(c -> c.expirationTime(Date.from(NOW.minusSeconds(20)))))).isNotNull();
        assertThat(validate(signed(c -> c.issueTime(Date.from(NOW.plusSeconds(20)))))).isNotNull();
    }

    @Test
    void aDeepLinkingRequestNeedsItsReturnUrl() {
        assertRefused(signed(c -> c.claim(LtiClaims.MESSAGE_TYPE, LtiClaims.DEEP_LINKING_REQUEST)),
                LaunchError.DEEP_LINKING_SETTINGS_MISSING);
        LtiLaunch launch = validate(signed(c -> c.claim(LtiClaims.MESSAGE_TYPE, LtiClaims.DEEP_LINKING_REQUEST)
                .claim(LtiClaims.RESOURCE_LINK, null)
                .claim(LtiClaims.DEEP_LINKING_SETTINGS, Map.of("deep_link_return_url", "https://lms/return"))));
        assertThat(launch.isDeepLinking()).isTrue();
    }

    enum ClaimRule {
        EXPIRED(LaunchError.EXPIRED, c -> c.expirationTime(Date.from(NOW.minusSeconds(31)))),
        EXP_MISSING(LaunchError.EXP_MISSING, c -> c.expirationTime(null)),
        IAT_IN_FUTURE(LaunchError.IAT_IN_FUTURE, c -> c.issueTime(Date.from(NOW.plusSeconds(31)))),
        IAT_MISSING(LaunchError.IAT_MISSING, c -> c.issueTime(null)),
        ISS(LaunchError.ISS_MISMATCH, c -> c.issuer("https://other.example")),
        AUD(LaunchError.AUD_MISMATCH, c -> c.audience("other")),
        AZP_MISSING(LaunchError.AZP_MISSING, c -> c.audience(List.of(CLIENT_ID, "other"))),
        AZP(LaunchError.AZP_MISMATCH, c -> c.claim("azp", "other")),
        NONCE(LaunchError.NONCE_MISMATCH, c -> c.claim("nonce", "other")),
        NONCE_MISSING(LaunchError.NONCE_MISSING, c -> c.claim("nonce", null)),
        SUB(LaunchError.SUB_MISSING, c -> c.subject(null)),
        VERSION(LaunchError.VERSION_UNSUPPORTED, c -> c.claim(LtiClaims.VERSION, "1.1")),
        MESSAGE_TYPE(LaunchError.MESSAGE_TYPE_UNSUPPORTED, c -> c.claim(LtiClaims.MESSAGE_TYPE, "LtiStartProctoring")),
        DEPLOYMENT(LaunchError.DEPLOYMENT_MISSING, c -> c.claim(LtiClaims.DEPLOYMENT_ID, null)),
        TARGET_MISSING(LaunchError.TARGET_LINK_URI_MISSING, c -> c.claim(LtiClaims.TARGET_LINK_URI, null)),
        TARGET(LaunchError.TARGET_LINK_URI_MISMATCH, c -> c.claim(LtiClaims.TARGET_LINK_URI, "https://tool.example/x")),
        ROLES(LaunchError.ROLES_MISSING, c -> c.claim(LtiClaims.ROLES, null)),
        ROLES_TYPE(LaunchError.CLAIM_MALFORMED, c -> c.claim(LtiClaims.ROLES, List.of(1, 2))),
        RESOURCE_LINK(LaunchError.RESOURCE_LINK_MISSING, c -> c.claim(LtiClaims.RESOURCE_LINK, Map.of("id", ""))),
        NONCE_TYPE(LaunchError.CLAIM_MALFORMED, c -> c.claim("nonce", 42));

        final LaunchError error;
        final Consumer<JWTClaimsSet.Builder> tweak;

        ClaimRule(LaunchError error, Consumer<JWTClaimsSet.Builder> tweak) {
            this.error = error;
            this.tweak = tweak;
        }
    }

    @ParameterizedTest
    @EnumSource(ClaimRule.class)
    void eachClaimRuleRefusesWithItsOwnError(ClaimRule rule) {
        assertRefused(signed(rule.tweak), rule.error);
    }

    @Test
    void anEmptyRolesListIsAllowed() {
        assertThat(validate(signed(c -> c.claim(LtiClaims.ROLES, List.of()))).roles()).isEmpty();
    }

    @Test
    void signatureRules() throws JOSEException {
        JWTClaimsSet claims = validClaims().build();
        assertRefused("garbage", LaunchError.MALFORMED_JWT);
        assertRefused(new PlainJWT(claims).serialize(), LaunchError.ALG_NONE);
        assertRefused(sign(claims, JWSAlgorithm.HS256, "kid-1", new MACSigner(KEY.toRSAPublicKey().getEncoded())),
                LaunchError.ALG_NOT_ALLOWED);
        assertRefused(sign(claims, JWSAlgorithm.RS256, null, new RSASSASigner(KEY)), LaunchError.KID_MISSING);
        assertRefused(sign(claims, JWSAlgorithm.RS256, "kid-2", new RSASSASigner(KEY)), LaunchError.KEY_UNKNOWN);
        assertRefused(sign(claims, JWSAlgorithm.RS256, "kid-1", new RSASSASigner(rsaKey("kid-1"))),
                LaunchError.SIGNATURE_INVALID);
        String valid = signed(c -> { });
        assertRefused(valid.substring(0, valid.length() - 4) + "AAAA", LaunchError.SIGNATURE_INVALID);
    }

    @Test
    void otherAsymmetricAlgorithmsOnlyWhereTheRegistrationAllowsThem() throws JOSEException {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        String token = sign(validClaims().build(), JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec));
        PlatformKeySource ecKeys = keys("ec-1", ec.toECPublicKey());

        assertThatThrownBy(() -> validator.validate(token, NONCE, TARGET, NOW, ecKeys))
                .isInstanceOfSatisfying(LaunchRejectedException.class,
                        e -> assertThat(e.error()).isEqualTo(LaunchError.ALG_NOT_ALLOWED));
        LaunchValidator allowingEs256 = new LaunchValidator(ISSUER, CLIENT_ID, Set.of("RS256", "ES256"), 30);
        assertThat(allowingEs256.validate(token, NONCE, TARGET, NOW, ecKeys).subject()).isEqualTo("user-1");
    }

    @Test
    void aKeyOfAnotherTypeThanTheAlgorithmIsRefused() throws JOSEException {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("kid-1").generate();
        LaunchValidator allowingEs256 = new LaunchValidator(ISSUER, CLIENT_ID, Set.of("RS256", "ES256"), 30);
        String token = sign(validClaims().build(), JWSAlgorithm.ES256, "kid-1", new ECDSASigner(ec));
        assertThatThrownBy(() -> allowingEs256.validate(token, NONCE, TARGET, NOW, platformKeys()))
                .isInstanceOfSatisfying(LaunchRejectedException.class,
                        e -> assertThat(e.error()).isEqualTo(LaunchError.SIGNATURE_INVALID));
    }
}
