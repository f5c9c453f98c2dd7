package io.github.keycloaklti.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Row ids derived from what identifies the row (SHA-256 of the parts, base64url, 43 characters), so that every node
 * names the same row for the same thing and concurrent first writers converge on one row instead of duplicating it.
 */
public final class StableId {

    private StableId() {
    }

    public static String of(String... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha256.update(part.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
