package io.github.keycloaklti.registration;

import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;

/** Tells whether a registration is being saved through the identity-provider admin endpoints. */
final class AdminRequest {

    private AdminRequest() {
    }

    /**
     * True for {@code POST/PUT /admin/realms/R/identity-provider/instances...}; false for realm imports (at startup,
     * realm creation from JSON, partial import), where clients may be created after identity providers.
     */
    static boolean isIdentityProviderEdit() {
        try {
            KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
            if (session == null || session.getContext().getUri() == null) {
                return false;
            }
            return session.getContext().getUri().getPath().contains("/identity-provider/instances");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
