package io.github.keycloaklti.registration;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Canvas cloud publishes one issuer for every customer ({@code https://canvas.instructure.com} and its beta and
 * test twins). Anyone can claim that issuer, so a registration with it is accepted only when every endpoint
 * Keycloak talks to is on Instructure's own hosts: otherwise a stranger could pose as some institution's Canvas.
 */
public final class CanvasCloud {

    private static final Set<String> ISSUER_HOSTS = Set.of("canvas.instructure.com", "canvas.beta.instructure.com",
            "canvas.test.instructure.com");
    private static final Set<String> INSTRUCTURE_DOMAINS = Set.of("instructure.com", "canvaslms.com");

    private CanvasCloud() {
    }

    public static boolean isCloudIssuer(String issuer) {
        String host = host(issuer);
        return host != null && ISSUER_HOSTS.contains(host);
    }

    /** Whether the URL is served by Instructure (a host of instructure.com or canvaslms.com, over https). */
    public static boolean isInstructureHost(String url) {
        String host = host(url);
        if (host == null || !url.trim().toLowerCase(Locale.ROOT).startsWith("https://")) {
            return false;
        }
        return INSTRUCTURE_DOMAINS.stream().anyMatch(domain -> host.equals(domain) || host.endsWith("." + domain));
    }

    private static String host(String url) {
        try {
            String host = url == null ? null : new URI(url.trim()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return null;
        }
    }
}
