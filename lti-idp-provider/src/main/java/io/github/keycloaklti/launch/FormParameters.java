package io.github.keycloaklti.launch;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Query strings, decoded by us rather than by the framework, so that a malformed one is a launch refused with a
 * page, not a server error.
 */
final class FormParameters {

    static MultivaluedMap<String, String> parse(String encoded) {
        MultivaluedMap<String, String> params = new MultivaluedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        try {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.add(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new LaunchRejectedException(LaunchError.MALFORMED_REQUEST);
        }
        return params;
    }
}
