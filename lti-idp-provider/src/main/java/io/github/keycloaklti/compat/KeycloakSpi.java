package io.github.keycloaklti.compat;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.sessions.StickySessionEncoderProvider;


/**
 * The few calls whose signatures differ between the Keycloak releases the one JAR serves: 26.5 split the identity
 * provider's callback into {@code UserAuthenticationIdentityProvider}, made {@code AuthResult} a record and gave the
 * sticky-session encoder the session id apart from the message, and made an identity provider's hide-on-login flag a
 * {@code Boolean}. {@link KeycloakSpi265} is compiled against 26.7's
 * SPI (26.5 and later); {@code KeycloakSpi264}, in module {@code lti-compat-264}, against 26.4's. Everything else
 * calls Keycloak the same way in both.
 */
public interface KeycloakSpi {

    /** The SPI of the Keycloak this JAR runs in, chosen once. */
    static KeycloakSpi current() {
        return SelectedSpi.CURRENT;
    }

    /** Which Keycloak releases this implementation serves, for the log. */
    String releases();

    /**
     * The class of a platform registration as this Keycloak's identity-provider SPI wants it (by name: the launch
     * package builds it, so that this package knows none of the launch's types).
     */
    String identityProviderClass();

    /** Keycloak's answer to "who is this" (a bearer token, a login cookie), or null for nobody. */
    Authenticated authenticated(AuthResult result);

    /** Keeps a registration off the login page (26.5 made the flag a {@code Boolean}, 26.4's is a {@code boolean}). */
    void hideOnLogin(IdentityProviderModel registration);

    /** A signed authentication-session id with this node's route, as Keycloak writes it into its cookie. */
    String withRoute(StickySessionEncoderProvider encoder, String signedId, String rootSessionId);
}
