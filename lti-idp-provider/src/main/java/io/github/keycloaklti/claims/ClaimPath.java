package io.github.keycloaklti.claims;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks up a value in a launch by a path such as {@code https://purl.imsglobal.org/spec/lti/claim/context.id}.
 * LTI claim names contain dots themselves, so the path is split after the longest claim name it starts with,
 * and the rest is read as dot-separated keys of nested objects.
 */
public final class ClaimPath {

    private ClaimPath() {
    }

    public static Object resolve(LtiLaunch launch, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        Map<String, Object> claims = topLevel(launch);
        String claimName = null;
        for (String name : claims.keySet()) {
            boolean prefix = path.equals(name) || path.startsWith(name + ".");
            if (prefix && (claimName == null || name.length() > claimName.length())) {
                claimName = name;
            }
        }
        if (claimName == null) {
            return null;
        }
        Object value = claims.get(claimName);
        if (path.length() == claimName.length()) {
            return value;
        }
        for (String key : path.substring(claimName.length() + 1).split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }

    private static Map<String, Object> topLevel(LtiLaunch launch) {
        Map<String, Object> claims = new HashMap<>(launch.ltiClaims());
        putIfPresent(claims, "iss", launch.issuer());
        putIfPresent(claims, "sub", launch.subject());
        putIfPresent(claims, "email", launch.email());
        putIfPresent(claims, "given_name", launch.givenName());
        putIfPresent(claims, "family_name", launch.familyName());
        putIfPresent(claims, "name", launch.name());
        putIfPresent(claims, "picture", launch.picture());
        return claims;
    }

    private static void putIfPresent(Map<String, Object> claims, String name, Object value) {
        if (value != null) {
            claims.put(name, value);
        }
    }

    /** Values as a mapper writes them into attributes and notes: strings as they are, lists item by item. */
    public static List<String> asStrings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(v -> v != null).map(v -> v instanceof String s ? s : ClaimJson.write(v)).toList();
        }
        return List.of(value instanceof String s ? s : ClaimJson.write(value));
    }
}
