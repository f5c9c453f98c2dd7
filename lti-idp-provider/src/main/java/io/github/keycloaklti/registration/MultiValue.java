package io.github.keycloaklti.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The one codec of multi-valued settings (deployment ids, tool clients, algorithms, roles): stored joined with
 * {@value #SEPARATOR} as Keycloak's admin console does; read from that, or from a JSON-style list admin REST users
 * sometimes write ({@code ["a","b"]}).
 */
public final class MultiValue {

    public static final String SEPARATOR = "##";

    private MultiValue() {
    }

    public static List<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String normalized = value.trim();
        String separator = SEPARATOR;
        if (normalized.startsWith("[") && normalized.endsWith("]")) {
            normalized = normalized.substring(1, normalized.length() - 1).replace("\"", "");
            separator = ",";
        }
        List<String> result = new ArrayList<>();
        Arrays.stream(normalized.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).forEach(result::add);
        return result;
    }

    public static String join(Collection<String> values) {
        return String.join(SEPARATOR, values);
    }
}
