package io.github.keycloaklti.launch;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.common.VerificationException;
import org.keycloak.crypto.AsymmetricSignatureVerifierContext;
import org.keycloak.crypto.ECDSASignatureVerifierContext;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureVerifierContext;

import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.claims.LtiLaunch;

/**
 * The tool's checks of an LTI launch id_token (Security Framework 5.1.3, LTI Core 5.3), in the spec's order.
 * Each failed check throws a {@link LaunchRejectedException} naming the rule. Pure: no Keycloak state, so every
 * rule is unit-tested; the nonce's single use and the deployment registry are checked by the caller.
 */
public final class LaunchValidator {

    /** The message types the extension knows; the last two only for tools that accept them ({@link MessageTypes}). */
    private static final Set<String> SUPPORTED_MESSAGE_TYPES = Set.of(LtiClaims.RESOURCE_LINK_REQUEST,
            LtiClaims.DEEP_LINKING_REQUEST, LtiClaims.SUBMISSION_REVIEW_REQUEST, LtiClaims.CONTEXT_LAUNCH_REQUEST);

    private final String issuer;
    private final String clientId;
    private final Set<String> allowedAlgorithms;
    private final long clockSkewSeconds;

    public LaunchValidator(String issuer, String clientId, Set<String> allowedAlgorithms, long clockSkewSeconds) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.clockSkewSeconds = clockSkewSeconds;
    }

    public LtiLaunch validate(String idToken, String expectedNonce, String expectedTargetLinkUri,
                              Instant now, PlatformKeySource keys) {
        CompactJws jws = verifiedSignature(idToken, keys);
        IdTokenClaims claims = IdTokenClaims.parse(jws.payload());
        checkIssuerAndAudience(claims);
        checkTimes(claims, now);
        String nonce = claims.string("nonce");
        if (nonce == null) {
            throw new LaunchRejectedException(LaunchError.NONCE_MISSING);
        }
        if (!nonce.equals(expectedNonce)) {
            throw new LaunchRejectedException(LaunchError.NONCE_MISMATCH);
        }
        return ltiMessage(claims, expectedTargetLinkUri);
    }

    /** A compact JWS split into its parts: the header's and payload's JSON, the signing input, the signature. */
    private record CompactJws(IdTokenClaims header, byte[] payload, byte[] signingInput, byte[] signature) {

        /**
         * Security Framework 5.1.3 step 1: three base64url parts. The JDK's decoder over the exact parts (a
         * general-purpose JOSE parser's string rewriting and header binding cost as much as the RSA verify on a 2 KB
         * launch); the header read as plain JSON, since only {@code alg} and {@code kid} matter here.
         */
        static CompactJws parse(String token) {
            int first = token.indexOf('.');
            int second = first < 0 ? -1 : token.indexOf('.', first + 1);
            if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
                return null;
            }
            try {
                Base64.Decoder base64 = Base64.getUrlDecoder();
                IdTokenClaims header = IdTokenClaims.parse(base64.decode(token.substring(0, first)));
                byte[] payload = base64.decode(token.substring(first + 1, second));
                byte[] signature = base64.decode(token.substring(second + 1));
                return new CompactJws(header, payload,
                        token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature);
            } catch (IllegalArgumentException | LaunchRejectedException e) {
                return null;
            }
        }
    }

    /**
     * Security Framework 5.1.3 steps 1 and 6: the algorithm the registration allows, the key the platform publishes
     * under the token's kid, and Keycloak's own signature verifier contexts over them (JCA through Keycloak's crypto
     * provider: FIPS-aware, no second JOSE library).
     */
    private CompactJws verifiedSignature(String idToken, PlatformKeySource keys) {
        CompactJws jws = CompactJws.parse(idToken.trim());
        if (jws == null) {
            throw new LaunchRejectedException(LaunchError.MALFORMED_JWT);
        }
        String alg = jws.header().string("alg");
        if (alg == null || "none".equalsIgnoreCase(alg)) {
            throw new LaunchRejectedException(LaunchError.ALG_NONE);
        }
        if (!allowedAlgorithms.contains(alg)) {
            throw new LaunchRejectedException(LaunchError.ALG_NOT_ALLOWED, alg, String.join(", ", allowedAlgorithms));
        }
        String kid = jws.header().string("kid");
        if (kid == null || kid.isBlank()) {
            throw new LaunchRejectedException(LaunchError.KID_MISSING);
        }
        PublicKey key = keys.find(kid, alg);
        boolean valid;
        try {
            valid = jws.signature().length > 0 && verifierFor(alg, key, kid).verify(jws.signingInput(), jws.signature());
        } catch (VerificationException e) {
            valid = false;
        }
        if (!valid) {
            throw new LaunchRejectedException(LaunchError.SIGNATURE_INVALID, kid);
        }
        return jws;
    }

    private static SignatureVerifierContext verifierFor(String alg, PublicKey key, String kid) {
        KeyWrapper wrapper = new KeyWrapper();
        wrapper.setKid(kid);
        wrapper.setAlgorithm(alg);
        wrapper.setPublicKey(key);
        wrapper.setUse(KeyUse.SIG);
        if ((alg.startsWith("RS") || alg.startsWith("PS")) && key instanceof RSAPublicKey) {
            wrapper.setType(KeyType.RSA);
            return new AsymmetricSignatureVerifierContext(wrapper);
        }
        if (alg.startsWith("ES") && key instanceof ECPublicKey) {
            wrapper.setType(KeyType.EC);
            return new ECDSASignatureVerifierContext(wrapper);
        }
        // the key published under this kid is of another type than the token's algorithm claims
        throw new LaunchRejectedException(LaunchError.SIGNATURE_INVALID, kid);
    }

    private void checkIssuerAndAudience(IdTokenClaims claims) {
        if (claims.get("iss") == null) {
            throw new LaunchRejectedException(LaunchError.ISS_MISSING, issuer);
        }
        if (!issuer.equals(claims.issuer())) {
            throw new LaunchRejectedException(LaunchError.ISS_MISMATCH, String.valueOf(claims.get("iss")), issuer);
        }
        List<String> audience = claims.audience();
        if (audience == null || audience.isEmpty()) {
            throw new LaunchRejectedException(LaunchError.AUD_MISSING, clientId);
        }
        if (!audience.contains(clientId)) {
            throw new LaunchRejectedException(LaunchError.AUD_MISMATCH, String.valueOf(audience), clientId);
        }
        String azp = string(claims, "azp");
        if (audience.size() > 1 && azp == null) {
            throw new LaunchRejectedException(LaunchError.AZP_MISSING);
        }
        if (azp != null && !azp.equals(clientId)) {
            throw new LaunchRejectedException(LaunchError.AZP_MISMATCH, azp, clientId);
        }
    }

    private void checkTimes(IdTokenClaims claims, Instant now) {
        Date exp = date(claims, "exp");
        if (exp == null) {
            throw new LaunchRejectedException(LaunchError.EXP_MISSING);
        }
        if (now.isAfter(exp.toInstant().plusSeconds(clockSkewSeconds))) {
            throw new LaunchRejectedException(LaunchError.EXPIRED, exp.toInstant().toString());
        }
        Date iat = date(claims, "iat");
        if (iat == null) {
            throw new LaunchRejectedException(LaunchError.IAT_MISSING);
        }
        if (iat.toInstant().isAfter(now.plusSeconds(clockSkewSeconds))) {
            throw new LaunchRejectedException(LaunchError.IAT_IN_FUTURE, iat.toInstant().toString());
        }
    }

    private LtiLaunch ltiMessage(IdTokenClaims claims, String expectedTargetLinkUri) {
        String subject = string(claims, "sub");
        String version = string(claims, LtiClaims.VERSION);
        String messageType = string(claims, LtiClaims.MESSAGE_TYPE);
        if (claims.get("sub") == null && claims.get(LtiClaims.VERSION) == null
                && claims.get(LtiClaims.MESSAGE_TYPE) == null) {
            // a correctly signed token for nobody and nothing: a platform that lost its own login session (in an
            // iframe, a platform session cookie without SameSite=None is not sent) and launched as "nobody"
            throw new LaunchRejectedException(LaunchError.NO_LTI_CLAIMS);
        }
        if (subject == null || subject.isBlank()) {
            // LTI Core 5.3.6 allows anonymous launches; a tool login needs a user, so we refuse them clearly.
            throw new LaunchRejectedException(LaunchError.SUB_MISSING);
        }
        if (version == null) {
            throw new LaunchRejectedException(LaunchError.VERSION_MISSING);
        }
        if (!LtiClaims.SUPPORTED_VERSION.equals(version)) {
            throw new LaunchRejectedException(LaunchError.VERSION_UNSUPPORTED, version);
        }
        if (messageType == null) {
            throw new LaunchRejectedException(LaunchError.MESSAGE_TYPE_MISSING);
        }
        if (!SUPPORTED_MESSAGE_TYPES.contains(messageType)) {
            throw new LaunchRejectedException(LaunchError.MESSAGE_TYPE_UNSUPPORTED, String.valueOf(messageType));
        }
        String deploymentId = string(claims, LtiClaims.DEPLOYMENT_ID);
        if (deploymentId == null || deploymentId.isBlank()) {
            throw new LaunchRejectedException(LaunchError.DEPLOYMENT_MISSING);
        }
        String targetLinkUri = string(claims, LtiClaims.TARGET_LINK_URI);
        if (targetLinkUri == null || targetLinkUri.isBlank()) {
            throw new LaunchRejectedException(LaunchError.TARGET_LINK_URI_MISSING);
        }
        if (!targetLinkUri.equals(expectedTargetLinkUri)) {
            throw new LaunchRejectedException(LaunchError.TARGET_LINK_URI_MISMATCH, targetLinkUri,
                    String.valueOf(expectedTargetLinkUri));
        }
        Object rolesClaim = claims.get(LtiClaims.ROLES);
        if (rolesClaim == null) {
            throw new LaunchRejectedException(LaunchError.ROLES_MISSING);
        }
        if (!(rolesClaim instanceof List<?> roleList) || roleList.stream().anyMatch(r -> !(r instanceof String))) {
            throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, LtiClaims.ROLES);
        }
        switch (messageType) {
            case LtiClaims.RESOURCE_LINK_REQUEST -> requireResourceLink(claims);
            case LtiClaims.DEEP_LINKING_REQUEST -> {
                Object settings = claims.get(LtiClaims.DEEP_LINKING_SETTINGS);
                if (!(settings instanceof Map<?, ?> map) || !(map.get("deep_link_return_url") instanceof String url)
                        || url.isBlank()) {
                    throw new LaunchRejectedException(LaunchError.DEEP_LINKING_SETTINGS_MISSING);
                }
            }
            case LtiClaims.SUBMISSION_REVIEW_REQUEST -> {
                // AGS 2.0, submission review: the link, the line item under review, and whose submission it is
                requireResourceLink(claims);
                if (!(claims.get(LtiClaims.AGS_ENDPOINT) instanceof Map<?, ?> ags) || !(ags.get("lineitem") instanceof String)) {
                    throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, LtiClaims.AGS_ENDPOINT + " (lineitem)");
                }
                if (!(claims.get(LtiClaims.FOR_USER) instanceof Map<?, ?> forUser)
                        || !(forUser.get("user_id") instanceof String userId) || userId.isBlank()) {
                    throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, LtiClaims.FOR_USER + " (user_id)");
                }
            }
            default -> { // a context launch: a course, no resource link
                if (!(claims.get(LtiClaims.CONTEXT) instanceof Map<?, ?> context) || !(context.get("id") instanceof String)) {
                    throw new LaunchRejectedException(LaunchError.CLAIM_MALFORMED, LtiClaims.CONTEXT + " (id)");
                }
            }
        }
        Map<String, Object> ltiClaims = new LinkedHashMap<>();
        claims.all().forEach((name, value) -> {
            if (name.startsWith(LtiClaims.SPEC_PREFIX) && value != null) {
                ltiClaims.put(name, value);
            }
        });
        List<String> roles = roleList.stream().map(String.class::cast).toList();
        Date expiry = claims.date("exp");
        return new LtiLaunch(claims.issuer(), subject, messageType, deploymentId, targetLinkUri, roles,
                string(claims, "email"), string(claims, "given_name"), string(claims, "family_name"),
                string(claims, "name"), string(claims, "picture"), ltiClaims,
                expiry == null ? 0L : expiry.getTime() / 1000);
    }

    private static void requireResourceLink(IdTokenClaims claims) {
        Object link = claims.get(LtiClaims.RESOURCE_LINK);
        if (!(link instanceof Map<?, ?> map) || !(map.get("id") instanceof String id) || id.isBlank()) {
            throw new LaunchRejectedException(LaunchError.RESOURCE_LINK_MISSING);
        }
    }

    private static String string(IdTokenClaims claims, String name) {
        return claims.string(name);
    }

    private static Date date(IdTokenClaims claims, String name) {
        return claims.date(name);
    }
}
