package io.github.keycloaklti.claims;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;

import io.github.keycloaklti.lti11.Lti11Claim;

/**
 * Pairwise platform user ids, per tool client: where a client's LTI claims mapper turns them on, every platform user
 * id that client sees ({@code lti_platform.sub}, {@code lti11.user_id}, {@code for_user.user_id}, the roster's and the
 * results' user ids) is that client's own, so two tool vendors cannot join their learners by id; Keycloak turns them
 * back into the platform's where the tool sends one (scores, a result filter).
 *
 * <p>A pairwise id is a deterministic authenticated encryption of the platform's id under the client's key
 * (synthetic-IV construction from the JDK's own primitives: the IV is an HMAC of the platform's issuer and id, the
 * id is AES-256-GCM-encrypted with the issuer as associated data). Same learner, same client: same id, every launch;
 * another client's key: an unrelated id; an id made for another platform, or altered, never opens. The SIS id
 * ({@code lis.person_sourcedid}), the same for every tool of an institution, is left out for such a client.
 */
public final class PairwiseIds {

    /** Config of the client's {@code oidc-lti-claims-mapper}: whether its platform user ids are pairwise. */
    public static final String ENABLED = "lti.pairwise";
    /** Config of that mapper: the client's key (base64url, 256 bits), made when pairwise ids are turned on. */
    public static final String KEY = "lti.pairwise.key";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryption;
    private final SecretKeySpec iv;

    private PairwiseIds(byte[] key) {
        this.encryption = new SecretKeySpec(derive(key, "keycloak-lti pairwise encryption"), "AES");
        this.iv = new SecretKeySpec(derive(key, "keycloak-lti pairwise iv"), "HmacSHA256");
    }

    /** The pairwise ids a mapper's config asks for; empty when off (or without a usable key). */
    public static Optional<PairwiseIds> of(Map<String, String> mapperConfig) {
        if (mapperConfig == null || !Boolean.parseBoolean(mapperConfig.get(ENABLED))) {
            return Optional.empty();
        }
        byte[] key = decodeKey(mapperConfig.get(KEY));
        return key == null ? Optional.empty() : Optional.of(new PairwiseIds(key));
    }

    /** Whether a mapper's config asks for pairwise ids (with or without a usable key). */
    public static boolean requested(Map<String, String> mapperConfig) {
        return mapperConfig != null && Boolean.parseBoolean(mapperConfig.get(ENABLED));
    }

    /**
     * The claims for a client that asks for pairwise ids but has no usable key (its mapper made by a realm import or
     * inside a client's JSON, where Keycloak runs no mapper check): no platform user id at all, never the platform's.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withoutUserIds(Map<String, Object> claims) {
        Map<String, Object> withheld = new LinkedHashMap<>(claims);
        for (String[] field : new String[][] {{LtiClaims.PLATFORM, "sub"}, {Lti11Claim.TOKEN_CLAIM, "user_id"},
                {LtiClaims.FOR_USER, "user_id"}, {LtiClaims.FOR_USER, "person_sourcedid"},
                {LtiClaims.LIS, "person_sourcedid"}}) {
            if (withheld.get(field[0]) instanceof Map<?, ?> claim) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) claim);
                copy.remove(field[1]);
                withheld.put(field[0], copy);
            }
        }
        return withheld;
    }

    /**
     * The mapper config that decides a tool client's LTI claims: of its LTI claims mappers (its own, then its client
     * scopes'), the first that asks for pairwise ids, else the first.
     */
    public static Optional<Map<String, String>> mapperConfig(ClientModel client) {
        Stream<ProtocolMapperModel> scoped = Stream.concat(client.getClientScopes(true).values().stream(),
                client.getClientScopes(false).values().stream()).flatMap(ClientScopeModel::getProtocolMappersStream);
        java.util.List<Map<String, String>> configs = Stream.concat(client.getProtocolMappersStream(), scoped)
                .filter(mapper -> io.github.keycloaklti.registration.ToolClients.CLAIMS_MAPPER
                        .equals(mapper.getProtocolMapper()))
                .map(ProtocolMapperModel::getConfig).toList();
        // one that asks for pairwise ids wins: a client with any such mapper never sees the platform's ids
        return configs.stream().filter(PairwiseIds::requested).findFirst().or(() -> configs.stream().findFirst());
    }

    /** The pairwise ids of a tool client: its own LTI claims mapper's, else one of its client scopes'. */
    public static Optional<PairwiseIds> of(ClientModel client) {
        return mapperConfig(client).flatMap(PairwiseIds::of);
    }

    /** Whether a key is one this class can use. */
    public static boolean isKey(String value) {
        return decodeKey(value) != null;
    }

    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * Who a platform user id belongs to: the platform's issuer and the client id it gave the tool (registrations
     * that share an issuer, Canvas cloud's, Blackboard's, are told apart by it).
     */
    public static String platform(String issuer, String platformClientId) {
        return issuer + "\u0000" + (platformClientId == null ? "" : platformClientId);
    }

    /** This client's id for the user {@code userId} of {@code issuer} (see {@link #platform}). */
    public String hide(String issuer, String userId) {
        byte[] plain = userId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = Arrays.copyOf(mac(issuer, userId), IV_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(issuer.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] id = new byte[IV_BYTES + sealed.length];
            System.arraycopy(nonce, 0, id, 0, IV_BYTES);
            System.arraycopy(sealed, 0, id, IV_BYTES, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * A JSON answer's user id field (a roster member's, a result's) as this client sees it: hidden when it is a value
     * (a number counts by its text), removed otherwise, never passed on as the platform wrote it.
     */
    public void hideIn(com.fasterxml.jackson.databind.node.ObjectNode node, String field, String owner) {
        com.fasterxml.jackson.databind.JsonNode value = node.get(field);
        if (value != null && value.isValueNode() && !value.isNull()) {
            node.put(field, hide(owner, value.asText()));
        } else {
            node.remove(field);
        }
    }

    /** The platform's user id behind one of this client's ids for {@code issuer} (see {@link #platform}); empty else. */
    public Optional<String> reveal(String issuer, String pairwiseId) {
        byte[] id;
        try {
            id = pairwiseId == null || pairwiseId.length() > 2048 ? null : Base64.getUrlDecoder().decode(pairwiseId);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || id.length < IV_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, id, 0, IV_BYTES));
            cipher.updateAAD(issuer.getBytes(StandardCharsets.UTF_8));
            String userId = new String(cipher.doFinal(id, IV_BYTES, id.length - IV_BYTES), StandardCharsets.UTF_8);
            boolean ours = MessageDigest.isEqual(Arrays.copyOf(mac(issuer, userId), IV_BYTES),
                    Arrays.copyOf(id, IV_BYTES));
            return ours ? Optional.of(userId) : Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** A token's LTI claims (with {@code lti_platform}) as this client sees them. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> hideInClaims(Map<String, Object> claims) {
        if (!(claims.get(LtiClaims.PLATFORM) instanceof Map<?, ?> platform)
                || !(platform.get("iss") instanceof String issuer)) {
            return withoutUserIds(claims); // no platform to bind ids to: none at all, never the platform's
        }
        String owner = platform(issuer, platform.get("client_id") instanceof String id ? id : null);
        Map<String, Object> hidden = new LinkedHashMap<>(claims);
        hidden.put(LtiClaims.PLATFORM, hideUserId((Map<String, Object>) platform, "sub", owner));
        if (claims.get(Lti11Claim.TOKEN_CLAIM) instanceof Map<?, ?> lti11) {
            hidden.put(Lti11Claim.TOKEN_CLAIM, hideUserId((Map<String, Object>) lti11, "user_id", owner));
        }
        if (claims.get(LtiClaims.FOR_USER) instanceof Map<?, ?> forUser) {
            Map<String, Object> hiddenForUser = hideUserId((Map<String, Object>) forUser, "user_id", owner);
            hiddenForUser.remove("person_sourcedid");
            hidden.put(LtiClaims.FOR_USER, hiddenForUser);
        }
        if (claims.get(LtiClaims.LIS) instanceof Map<?, ?> lis) {
            Map<String, Object> withoutSisId = new LinkedHashMap<>((Map<String, Object>) lis);
            withoutSisId.remove("person_sourcedid");
            hidden.put(LtiClaims.LIS, withoutSisId);
        }
        return hidden;
    }

    /** The claim with its user id hidden; an id that is no string (a number) counts by its text. */
    private Map<String, Object> hideUserId(Map<String, Object> claim, String key, String owner) {
        Map<String, Object> copy = new LinkedHashMap<>(claim);
        Object userId = copy.get(key);
        if (userId instanceof String || userId instanceof Number || userId instanceof Boolean) {
            copy.put(key, hide(owner, String.valueOf(userId)));
        } else if (userId != null) {
            copy.remove(key);
        }
        return copy;
    }

    private byte[] mac(String issuer, String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(iv);
            mac.update(issuer.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static byte[] derive(byte[] key, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static byte[] decodeKey(String value) {
        try {
            byte[] key = value == null ? null : Base64.getUrlDecoder().decode(value.trim());
            return key != null && key.length >= 32 ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
