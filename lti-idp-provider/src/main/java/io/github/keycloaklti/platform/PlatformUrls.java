package io.github.keycloaklti.platform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The one URL policy for everything Keycloak fetches from or sends to a platform (keysets, token and service
 * endpoints, Dynamic Registration) and for the URLs an admin or a registering platform enters.
 * <ul>
 * <li>https only; plain http only for the exact loopback literals {@code localhost}, {@code 127.0.0.1} and
 * {@code [::1]}, and only where the development switch {@code allow-loopback-platforms} is on;</li>
 * <li>no user info, no fragment;</li>
 * <li>before each fetch the host is resolved and every address checked: loopback, link-local, private (RFC 1918,
 * unique local), wildcard, multicast and carrier-grade NAT addresses are refused unless a switch admits them
 * (loopback: only the exact literals above; private networks: {@code allow-private-network-platforms}).</li>
 * </ul>
 * The switches are the operator's ({@link PlatformPolicy}).
 */
public final class PlatformUrls {

    private static final Set<String> LOOPBACK_LITERALS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private PlatformUrls() {
    }

    public static boolean isTrustedTokenOrigin(String url) {
        String origin = origin(url);
        return origin != null && PlatformPolicy.current().trustedTokenOrigins().contains(origin);
    }

    /**
     * A URL's origin as browsers compare them: scheme, host and port, lower case, the port always written
     * ({@code https://lms.example.edu:443}); null when the URL has none.
     */
    public static String origin(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
    }

    /** Whether both URLs have one origin (scheme, host and port). */
    public static boolean sameOrigin(String a, String b) {
        String origin = origin(a);
        return origin != null && origin.equals(origin(b));
    }

    /** A URL refused by the policy; the message names the field and the rule, never an address it resolved to. */
    public static final class RefusedUrlException extends IllegalArgumentException {
        public RefusedUrlException(String message) {
            super(message);
        }
    }

    /**
     * Checks a URL as entered (admin form, admin REST, Dynamic Registration), without network access.
     *
     * @param what the field's name in messages
     */
    public static URI checkEntered(String value, String what) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedUrlException(what + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || host == null || host.isEmpty()) {
            throw new RefusedUrlException(what + " must be an absolute URL");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedUrlException(what + " must be an https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new RefusedUrlException(what + " must not carry user info or a fragment");
        }
        boolean loopbackLiteral = LOOPBACK_LITERALS.contains(host);
        if (loopbackLiteral && !PlatformPolicy.current().allowLoopback()) {
            throw new RefusedUrlException(what + " must not point to this machine (loopback); for development, "
                    + "start Keycloak with --spi-realm-restapi-extension--lti--allow-loopback-platforms=true");
        }
        if (scheme.equals("http") && !loopbackLiteral) {
            throw new RefusedUrlException(what + " must use HTTPS (plain HTTP only for localhost in development)");
        }
        InetAddress literal = ipLiteral(host);
        if (literal != null && !loopbackLiteral && refused(literal)) {
            throw new RefusedUrlException(what + " must not point to a loopback, link-local or private address");
        }
        return uri;
    }

    /**
     * Checks a URL right before Keycloak calls it: {@link #checkEntered} plus every address its host resolves to.
     * A name that resolves to a refused address (DNS pointing inside) is refused like the address itself.
     */
    public static URI checkBeforeFetch(String value, String what) {
        URI uri = checkEntered(value, what);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (LOOPBACK_LITERALS.contains(host)) {
            return uri; // admitted by the development switch in checkEntered
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedUrlException(what + " names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (refused(address)) {
                throw new RefusedUrlException(what + " must not point to a loopback, link-local or private address");
            }
        }
        return uri;
    }

    private static boolean refused(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isMulticastAddress() || isSpecialIpv4(address) || isIpv4Mapped(address)
                || isUnroutableTransition(address)) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            return refused(embedded);
        }
        boolean privateNetwork = address.isSiteLocalAddress() || isUniqueLocal(address);
        return privateNetwork && !PlatformPolicy.current().allowPrivateNetworks();
    }

    /** 0/8, carrier-grade NAT 100.64/10, IETF 192.0.0/24, benchmarking 198.18/15, reserved 240/4 and broadcast. */
    private static boolean isSpecialIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || first >= 240 || first == 100 && (second & 0xc0) == 64
                || first == 192 && second == 0 && (b[2] & 0xff) == 0 || first == 198 && (second & 0xfe) == 18;
    }

    /** Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) tunnel to addresses nobody can check here. */
    private static boolean isUnroutableTransition(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return false;
        }
        boolean teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0;
        boolean localNat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && b[4] == 0 && b[5] == 1;
        return teredo || localNat64;
    }

    /**
     * The IPv4 address inside a well-known NAT64 address (64:ff9b::/96, what DNS64 gives IPv6-only networks for
     * public IPv4 hosts) or a 6to4 address (2002::/16); null for any other address.
     */
    private static InetAddress embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return null;
        }
        byte[] v4 = null;
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && IntStream.range(4, 12).allMatch(i -> b[i] == 0)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        }
        try {
            return v4 == null ? null : InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** ::ffff:a.b.c.d written as IPv6: Java resolves it to IPv4 already; anything else of the kind is refused. */
    private static boolean isIpv4Mapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address) || b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }

    /** The address a host written as an IP literal stands for (including short forms like 127.1); else null. */
    private static InetAddress ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = h.contains(":") ? h.matches("[0-9a-fA-F:.]+") : h.matches("[0-9.]+");
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
