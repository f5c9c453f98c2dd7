package io.github.keycloaklti.platform;

import java.net.URI;
import java.util.Locale;

/** Where a platform's service URLs may lead: only inside the container a launch recorded. */
public final class ServiceUrls {

    private ServiceUrls() {
    }

    /** Whether {@code lineItem} is a line item of the container {@code lineItems} (in it, and not the container). */
    public static boolean isLineItemOf(String lineItem, String lineItems) {
        return within(lineItem, lineItems) && !lineItem.equals(lineItems);
    }

    /**
     * Whether {@code url} lies in the container {@code base}: same scheme, host and port, no user info or fragment,
     * and a path at or below the container's. Paths that a server or Keycloak's HTTP client might rewrite are
     * refused outright rather than normalized: dot segments, encoded dots, slashes or backslashes, empty segments
     * ({@code //}), path parameters ({@code ;}) and backslashes anywhere.
     */
    public static boolean within(String url, String base) {
        if (url == null || base == null || url.indexOf('\\') >= 0) {
            return false;
        }
        try {
            URI u = new URI(url);
            URI b = new URI(base);
            if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase(b.getScheme())
                    || u.getHost() == null || !u.getHost().equalsIgnoreCase(b.getHost()) || u.getPort() != b.getPort()
                    || u.getRawUserInfo() != null || u.getRawFragment() != null || !isPlainPath(u.getRawPath())) {
                return false;
            }
            String path = b.getRawPath() == null ? "" : b.getRawPath();
            return u.getRawPath().equals(path) || u.getRawPath().startsWith(path.endsWith("/") ? path : path + "/");
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isPlainPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || !rawPath.startsWith("/")) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%25")
                || rawPath.contains(";") || rawPath.contains("//")) {
            return false;
        }
        for (String segment : rawPath.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
