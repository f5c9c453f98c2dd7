package io.github.keycloaklti.launch;

import java.security.PublicKey;

/** The platform's public signing keys, by key id. */
public interface PlatformKeySource {

    /**
     * @throws LaunchRejectedException {@link LaunchError#KEY_UNKNOWN} when the platform does not publish the
     *         key, {@link LaunchError#JWKS_UNAVAILABLE} when its keyset cannot be fetched
     */
    PublicKey find(String kid, String algorithm);
}
