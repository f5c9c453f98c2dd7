package io.github.keycloaklti.compat264;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.sessions.StickySessionEncoderProvider;

import io.github.keycloaklti.compat.Authenticated;
import io.github.keycloaklti.compat.KeycloakSpi;

/** Keycloak 26.4 (compiled against its SPI); chosen by name where 26.5's identity-provider SPI is absent. */
public final class KeycloakSpi264 implements KeycloakSpi {

    @Override
    public String releases() {
        return "26.4";
    }

    @Override
    public String identityProviderClass() {
        return LtiIdentityProviderOn264.class.getName();
    }

    @Override
    public Authenticated authenticated(AuthResult result) {
        return result == null ? null : new Authenticated(result.getUser(), result.getSession(), result.getClient());
    }

    /** 26.4's encoder takes the signed id alone, as 26.4 writes its own cookie. */
    @Override
    public String withRoute(StickySessionEncoderProvider encoder, String signedId, String rootSessionId) {
        return encoder.encodeSessionId(signedId);
    }

    /** 26.4's flag is a {@code boolean}. */
    @Override
    public void hideOnLogin(IdentityProviderModel registration) {
        registration.setHideOnLogin(true);
    }
}
