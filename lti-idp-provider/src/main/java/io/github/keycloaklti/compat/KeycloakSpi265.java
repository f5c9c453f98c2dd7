package io.github.keycloaklti.compat;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.sessions.StickySessionEncoderProvider;


/** Keycloak 26.5 and later (compiled against 26.7's SPI). */
final class KeycloakSpi265 implements KeycloakSpi {

    /** Present from 26.5 on: how {@link SelectedSpi} tells the releases apart. */
    static final String MARKER = "org.keycloak.broker.provider.UserAuthenticationIdentityProvider";

    @Override
    public String releases() {
        return "26.5 and later";
    }

    @Override
    public String identityProviderClass() {
        return "io.github.keycloaklti.launch.LtiIdentityProviderOn265";
    }

    @Override
    public Authenticated authenticated(AuthResult result) {
        return result == null ? null : new Authenticated(result.user(), result.session(), result.client());
    }

    @Override
    public String withRoute(StickySessionEncoderProvider encoder, String signedId, String rootSessionId) {
        return encoder.encodeSessionId(signedId, rootSessionId);
    }

    /** 26.5 made the flag a {@code Boolean}. */
    @Override
    public void hideOnLogin(IdentityProviderModel registration) {
        registration.setHideOnLogin(Boolean.TRUE);
    }
}
