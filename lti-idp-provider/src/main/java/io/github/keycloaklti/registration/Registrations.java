package io.github.keycloaklti.registration;

import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;

/** The realm's LTI registrations, found by alias: only identity providers of type {@code lti} count. */
public final class Registrations {

    private Registrations() {
    }

    /** The registration {@code alias} (a copy, safe to change and save), enabled or not; empty if none. */
    public static Optional<LtiPlatformConfig> find(KeycloakSession session, String alias) {
        IdentityProviderModel model = alias == null ? null : session.identityProviders().getByAlias(alias);
        if (model == null || !LtiPlatformConfig.PROVIDER_ID.equals(model.getProviderId())) {
            return Optional.empty();
        }
        return Optional.of(new LtiPlatformConfig(new IdentityProviderModel(model)));
    }

    /** The enabled registrations that may launch this tool client (it is among their tool clients). */
    public static Stream<LtiPlatformConfig> launching(KeycloakSession session, String clientId) {
        return session.identityProviders().getAllStream()
                .filter(model -> LtiPlatformConfig.PROVIDER_ID.equals(model.getProviderId()) && model.isEnabled())
                .map(model -> new LtiPlatformConfig(new IdentityProviderModel(model)))
                .filter(platform -> platform.getToolClientIds().contains(clientId));
    }

    /** The registration {@code alias} if it exists and is enabled. */
    public static Optional<LtiPlatformConfig> findEnabled(KeycloakSession session, String alias) {
        return find(session, alias).filter(IdentityProviderModel::isEnabled);
    }
}
