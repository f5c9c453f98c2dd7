package io.github.keycloaklti.registration;

import java.net.URI;

import org.keycloak.models.ClientModel;

/**
 * Where the LMS sends launches for a tool (its {@code target_link_uri}), as the admin names it on the tool client:
 * the client attribute {@value #ATTRIBUTE}, else the client's Home URL (Base URL, resolved against its Root URL),
 * else its Root URL. Null when the client names none.
 */
public final class ToolLaunchUrl {

    public static final String ATTRIBUTE = "lti.target_link_uri";

    private ToolLaunchUrl() {
    }

    public static String of(ClientModel client) {
        String attribute = client.getAttribute(ATTRIBUTE);
        if (attribute != null && !attribute.isBlank()) {
            return attribute.trim();
        }
        String root = blankToNull(client.getRootUrl());
        String home = blankToNull(client.getBaseUrl());
        if (home != null) {
            if (URI.create(home).isAbsolute()) {
                return home;
            }
            if (root != null) {
                return root.replaceAll("/+$", "") + (home.startsWith("/") ? home : "/" + home);
            }
        }
        return root;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
