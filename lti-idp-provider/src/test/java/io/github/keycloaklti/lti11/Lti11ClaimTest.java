package io.github.keycloaklti.lti11;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.lti11.Lti11Claim.Mode;
import io.github.keycloaklti.lti11.Lti11Claim.Outcome;
import io.github.keycloaklti.lti11.Lti11Claim.Result;

class Lti11ClaimTest {

    /** The example of LTI 1.3 Core's migration guide: its launch, its secret, its signature. */
    private static final Lti11Claim.Launch SPEC_LAUNCH = new Lti11Claim.Launch("https://lmsvendor.com",
            "PM48OJSfGDTAzAo", "689302", 1551290856L, "172we8671fd8z");
    private static final String SPEC_SECRET = "my-lti11-secret";
    private static final String SPEC_SIGNATURE = "lWd54kFo5qU7xshAna6v8BwoBm6tmUjc6GTax6+12ps=";

    private static Map<String, Object> launchClaims(Map<String, Object> lti1p1) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("https://purl.imsglobal.org/spec/lti/claim/context", Map.of("id", "c1"));
        if (lti1p1 != null) {
            claims.put(Lti11Claim.PLATFORM_CLAIM, lti1p1);
        }
        return claims;
    }

    private static Map<String, Object> specClaim(String signature) {
        return Map.of("user_id", "34212", "oauth_consumer_key", "179248902", "oauth_consumer_key_sign", signature);
    }

    /** What an earlier release kept of a launch (the platform's claims as sent) reaches no token of this one. */
    @Test
    void aLaunchKeptByAnEarlierReleaseLosesThePlatformsClaimsAsSentButNotWhatThisOneAccepted() {
        Map<String, Object> kept = launchClaims(specClaim(SPEC_SIGNATURE));
        kept.put(Lti11Claim.LEGACY_USER_ID_CLAIM, "34212");
        kept.put(Lti11Claim.TOKEN_CLAIM, Map.of("user_id", "34212"));

        assertThat(Lti11Claim.withoutPlatformClaims(kept)).containsOnlyKeys(
                "https://purl.imsglobal.org/spec/lti/claim/context", Lti11Claim.TOKEN_CLAIM);
        assertThat(kept).as("left as it was").containsKey(Lti11Claim.PLATFORM_CLAIM);
        Map<String, Object> plain = launchClaims(null);
        assertThat(Lti11Claim.withoutPlatformClaims(plain)).isSameAs(plain);
    }

    @Test
    void theSignatureIsTheSpecsExample() {
        assertThat(Lti11Claim.signature(SPEC_SECRET, "179248902", SPEC_LAUNCH)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void verifyModeAcceptsTheSpecsSignatureAndPassesTheIdentifiersOnWithoutIt() {
        Result result = Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null, launchClaims(specClaim(SPEC_SIGNATURE)),
                SPEC_LAUNCH);
        assertThat(result.outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(result.identifiers()).containsEntry("user_id", "34212").containsEntry("oauth_consumer_key", "179248902")
                .containsEntry("verified_by", "signature").doesNotContainKey("oauth_consumer_key_sign");
        Map<String, Object> applied = Lti11Claim.applied(launchClaims(specClaim(SPEC_SIGNATURE)), result);
        assertThat(applied).doesNotContainKey(Lti11Claim.PLATFORM_CLAIM).containsKey("lti11")
                .containsKey("https://purl.imsglobal.org/spec/lti/claim/context");
    }

    @Test
    void verifyModeDropsASignatureOfAnotherSecretOrAnotherLaunch() {
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, "another-secret", null, launchClaims(specClaim(SPEC_SIGNATURE)),
                SPEC_LAUNCH).outcome()).isEqualTo(Outcome.SIGNATURE_INVALID);
        Lti11Claim.Launch replayed = new Lti11Claim.Launch("https://lmsvendor.com", "PM48OJSfGDTAzAo", "689302",
                1551290856L, "another-nonce");
        Result result = Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null, launchClaims(specClaim(SPEC_SIGNATURE)),
                replayed);
        assertThat(result.outcome()).isEqualTo(Outcome.SIGNATURE_INVALID);
        assertThat(Lti11Claim.applied(launchClaims(specClaim(SPEC_SIGNATURE)), result))
                .doesNotContainKeys(Lti11Claim.PLATFORM_CLAIM, "lti11");
    }

    @Test
    void verifyModeNeedsASecretASignatureAndTheRegistrationsConsumerKey() {
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, null, null, launchClaims(specClaim(SPEC_SIGNATURE)), SPEC_LAUNCH)
                .outcome()).isEqualTo(Outcome.NO_SECRET);
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null,
                launchClaims(Map.of("user_id", "34212", "oauth_consumer_key", "179248902")), SPEC_LAUNCH).outcome())
                .isEqualTo(Outcome.UNSIGNED);
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, "another-key", launchClaims(specClaim(SPEC_SIGNATURE)),
                SPEC_LAUNCH).outcome()).isEqualTo(Outcome.CONSUMER_KEY_MISMATCH);
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, "179248902", launchClaims(specClaim(SPEC_SIGNATURE)),
                SPEC_LAUNCH).outcome()).isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void trustModePassesAnUnverifiableClaimOnAndSaysSo() {
        Result canvas = Lti11Claim.evaluate(Mode.TRUST, null, null, launchClaims(specClaim("not-the-hmac")), SPEC_LAUNCH);
        assertThat(canvas.outcome()).isEqualTo(Outcome.TRUSTED);
        assertThat(canvas.identifiers()).containsEntry("user_id", "34212").containsEntry("verified_by", "admin_trust");
    }

    @Test
    void brightspacesLegacyUserIdStandsInForAMissingUserId() {
        Map<String, Object> claims = launchClaims(Map.of("oauth_consumer_key", "179248902",
                "oauth_consumer_key_sign", SPEC_SIGNATURE, "resource_link_id", "rl-11"));
        claims.put(Lti11Claim.LEGACY_USER_ID_CLAIM, "legacy-7");
        Result result = Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null, claims, SPEC_LAUNCH);
        assertThat(result.outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(result.userId()).isEqualTo("legacy-7");
        assertThat(result.identifiers()).containsEntry("resource_link_id", "rl-11");
        assertThat(Lti11Claim.applied(claims, result)).doesNotContainKey(Lti11Claim.LEGACY_USER_ID_CLAIM);

        Map<String, Object> unmigratedLink = launchClaims(null);
        unmigratedLink.put(Lti11Claim.LEGACY_USER_ID_CLAIM, "legacy-7");
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null, unmigratedLink, SPEC_LAUNCH).outcome())
                .as("nothing signed: nothing verified").isEqualTo(Outcome.UNSIGNED);
    }

    @Test
    void offAndAbsentPassNothingOn() {
        Result off = Lti11Claim.evaluate(Mode.OFF, SPEC_SECRET, null, launchClaims(specClaim(SPEC_SIGNATURE)), SPEC_LAUNCH);
        assertThat(off.outcome()).isEqualTo(Outcome.OFF);
        assertThat(Lti11Claim.applied(launchClaims(specClaim(SPEC_SIGNATURE)), off))
                .doesNotContainKeys(Lti11Claim.PLATFORM_CLAIM, "lti11");
        assertThat(Lti11Claim.evaluate(Mode.VERIFY, SPEC_SECRET, null, launchClaims(null), SPEC_LAUNCH).outcome())
                .isEqualTo(Outcome.ABSENT);
        assertThat(Mode.of("")).isEqualTo(Mode.OFF);
        assertThat(Mode.of("Verify")).isEqualTo(Mode.VERIFY);
        assertThat(Mode.of("sometimes")).isNull();
    }

    @Test
    void aConsumerKeyTheRegistrationNamesMustBeTheClaimsEvenInTrustMode() {
        Map<String, Object> withoutKey = launchClaims(Map.of("user_id", "34212"));
        assertThat(Lti11Claim.evaluate(Mode.TRUST, null, "179248902", withoutKey, SPEC_LAUNCH).outcome())
                .isEqualTo(Outcome.CONSUMER_KEY_MISMATCH);
        assertThat(Lti11Claim.evaluate(Mode.TRUST, null, null, withoutKey, SPEC_LAUNCH).outcome())
                .isEqualTo(Outcome.TRUSTED);
    }
}
