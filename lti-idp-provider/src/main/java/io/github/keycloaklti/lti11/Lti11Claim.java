package io.github.keycloaklti.lti11;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The LTI 1.1 identifiers of a launch (LTI 1.3 Core, "LTI 1.1 migration claim"), as the registration's migration mode
 * decides: the platform's {@code lti1p1} claim and Brightspace's {@code lti11_legacy_user_id} never reach a tool as
 * sent; what the mode accepts reaches it as one claim, {@value #TOKEN_CLAIM}. Pure: no Keycloak here.
 * <ul>
 * <li>{@link Mode#VERIFY}: {@code oauth_consumer_key_sign} must be the HMAC-SHA256, keyed by the 1.1 shared secret,
 * of {@code oauth_consumer_key & deployment_id & iss & client_id & exp & nonce} (base64). A platform that signs it so
 * holds that consumer's secret: its 1.1 user and link ids are then the 1.1 consumer's own.</li>
 * <li>{@link Mode#TRUST}: the admin's explicit choice for platforms whose signature does not verify (Canvas) or that
 * sign only migrated links (Brightspace): the identifiers are passed on unverified, and say so.</li>
 * <li>{@link Mode#OFF}: nothing 1.1 reaches the tool.</li>
 * </ul>
 */
public final class Lti11Claim {

    /** The platform's claim (LTI 1.3 Core, 1.1 migration). */
    public static final String PLATFORM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/lti1p1";
    /** Brightspace's (and Canvas's) 1.1 user id, sent on every launch, signed by nothing. */
    public static final String LEGACY_USER_ID_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id";
    /** The tool's claim: the 1.1 identifiers the registration's mode accepted. */
    public static final String TOKEN_CLAIM = "lti11";
    public static final String VERIFIED_BY = "verified_by";

    /** A registration's migration mode (config key {@code lti11Migration}). */
    public enum Mode {
        OFF, VERIFY, TRUST;

        /** The mode a config value names; null for a value that names none. Blank is {@link #OFF}. */
        public static Mode of(String value) {
            if (value == null || value.isBlank()) {
                return OFF;
            }
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
            return null;
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What became of a launch's 1.1 identifiers. */
    public enum Outcome {
        /** The launch carried none. */
        ABSENT(false),
        /** The registration takes none (mode off). */
        OFF(false),
        VERIFIED(true),
        TRUSTED(true),
        /** Verify mode: the signature is not the HMAC of the launch with the registration's secret. */
        SIGNATURE_INVALID(false),
        /** Verify mode: no signature, or no consumer key, to verify (e.g. Brightspace's legacy id alone). */
        UNSIGNED(false),
        /** Verify mode without a secret in the registration. */
        NO_SECRET(false),
        /** The consumer key is not the one the registration names. */
        CONSUMER_KEY_MISMATCH(false);

        private final boolean accepted;

        Outcome(boolean accepted) {
            this.accepted = accepted;
        }

        public boolean accepted() {
            return accepted;
        }

        /** For events and metrics. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The signed parts of the launch, as validated. */
    public record Launch(String issuer, String clientId, String deploymentId, long expiresAt, String nonce) {
    }

    /**
     * @param outcome    what the mode decided
     * @param identifiers what the tool gets ({@code user_id}, {@code oauth_consumer_key}, {@code resource_link_id},
     *                   {@code context_id} where sent, and {@value #VERIFIED_BY}); empty unless accepted
     */
    public record Result(Outcome outcome, Map<String, Object> identifiers) {

        public boolean accepted() {
            return outcome.accepted();
        }

        /** The accepted 1.1 user id; null when none. */
        public String userId() {
            return identifiers.get("user_id") instanceof String id ? id : null;
        }
    }

    private Lti11Claim() {
    }

    /**
     * Decides on the launch's 1.1 claims.
     *
     * @param secret      the 1.1 shared secret (verify mode); null when the registration has none
     * @param consumerKey the 1.1 consumer key the registration names; null to take the signed one
     */
    public static Result evaluate(Mode mode, String secret, String consumerKey, Map<String, Object> claims,
                                  Launch launch) {
        Map<?, ?> sent = claims.get(PLATFORM_CLAIM) instanceof Map<?, ?> map ? map : Map.of();
        String legacyUserId = text(claims.get(LEGACY_USER_ID_CLAIM));
        if (sent.isEmpty() && legacyUserId == null) {
            return new Result(Outcome.ABSENT, Map.of());
        }
        if (mode == Mode.OFF) {
            return new Result(Outcome.OFF, Map.of());
        }
        String key = text(sent.get("oauth_consumer_key"));
        if (consumerKey != null && !consumerKey.equals(key)) {
            return new Result(Outcome.CONSUMER_KEY_MISMATCH, Map.of());
        }
        Outcome outcome;
        if (mode == Mode.TRUST) {
            outcome = Outcome.TRUSTED;
        } else {
            String signature = text(sent.get("oauth_consumer_key_sign"));
            if (key == null || signature == null) {
                outcome = Outcome.UNSIGNED;
            } else if (secret == null || secret.isEmpty()) {
                outcome = Outcome.NO_SECRET;
            } else {
                String expected = signature(secret, key, launch);
                outcome = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII)) ? Outcome.VERIFIED : Outcome.SIGNATURE_INVALID;
            }
        }
        if (!outcome.accepted()) {
            return new Result(outcome, Map.of());
        }
        Map<String, Object> identifiers = new LinkedHashMap<>();
        String userId = text(sent.get("user_id"));
        put(identifiers, "user_id", userId != null ? userId : legacyUserId);
        put(identifiers, "oauth_consumer_key", key);
        put(identifiers, "resource_link_id", text(sent.get("resource_link_id")));
        put(identifiers, "context_id", text(sent.get("context_id")));
        put(identifiers, "tool_consumer_instance_guid", text(sent.get("tool_consumer_instance_guid")));
        identifiers.put(VERIFIED_BY, outcome == Outcome.VERIFIED ? "signature" : "admin_trust");
        return new Result(outcome, identifiers);
    }

    /** The launch's LTI claims as the tool gets them: without the platform's 1.1 claims, with what was accepted. */
    public static Map<String, Object> applied(Map<String, Object> claims, Result result) {
        Map<String, Object> applied = new LinkedHashMap<>(claims);
        applied.remove(PLATFORM_CLAIM);
        applied.remove(LEGACY_USER_ID_CLAIM);
        applied.remove(TOKEN_CLAIM);
        if (result.accepted()) {
            applied.put(TOKEN_CLAIM, result.identifiers());
        }
        return applied;
    }

    /**
     * Kept claims of a launch without the platform's 1.1 claims as sent, for a token. What this release keeps never
     * holds them ({@link #applied}); what an earlier release kept may (a launch its node received during a rolling
     * update, a session from before the update), and a tool still never gets them.
     */
    public static Map<String, Object> withoutPlatformClaims(Map<String, Object> claims) {
        if (!claims.containsKey(PLATFORM_CLAIM) && !claims.containsKey(LEGACY_USER_ID_CLAIM)) {
            return claims;
        }
        Map<String, Object> kept = new LinkedHashMap<>(claims);
        kept.remove(PLATFORM_CLAIM);
        kept.remove(LEGACY_USER_ID_CLAIM);
        return kept;
    }

    /** {@code base64(HMAC-SHA256(secret, key & deployment_id & iss & client_id & exp & nonce))}. */
    public static String signature(String secret, String consumerKey, Launch launch) {
        String base = String.join("&", consumerKey, launch.deploymentId(), launch.issuer(), launch.clientId(),
                Long.toString(launch.expiresAt()), launch.nonce());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static void put(Map<String, Object> identifiers, String name, String value) {
        if (value != null) {
            identifiers.put(name, value);
        }
    }

    private static String text(Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        return value instanceof Number number ? number.toString() : null;
    }
}
