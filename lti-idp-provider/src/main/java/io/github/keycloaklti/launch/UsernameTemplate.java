package io.github.keycloaklti.launch;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * The Keycloak username of a platform user, from the registration's template. Placeholders: {@code ${ALIAS}},
 * {@code ${SUB}}, {@code ${EMAIL}}, {@code ${GIVEN_NAME}}, {@code ${FAMILY_NAME}}, {@code ${NAME}}. A template
 * that renders empty (a claim the platform did not send) falls back to the default {@code ${ALIAS}.${SUB}}.
 */
final class UsernameTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private UsernameTemplate() {
    }

    static String render(String template, String alias, LtiLaunch launch) {
        String rendered = substitute(template, alias, launch);
        if (rendered.isBlank()) {
            rendered = substitute(LtiPlatformConfig.DEFAULT_USERNAME_TEMPLATE, alias, launch);
        }
        return rendered.toLowerCase(Locale.ROOT);
    }

    private static String substitute(String template, String alias, LtiLaunch launch) {
        Map<String, String> values = new HashMap<>();
        values.put("ALIAS", alias);
        values.put("SUB", launch.subject());
        values.put("EMAIL", launch.email());
        values.put("GIVEN_NAME", launch.givenName());
        values.put("FAMILY_NAME", launch.familyName());
        values.put("NAME", launch.name());
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder result = new StringBuilder();
        boolean missing = false;
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null || value.isBlank()) {
                missing = true;
                value = "";
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return missing ? "" : result.toString().trim();
    }
}
