package io.github.keycloaklti.registration;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.connections.jpa.JpaConnectionProvider;
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

    /**
     * The enabled registrations that may launch this tool client (it is among their tool clients). One query of
     * their tool lists, then only the matching registrations are loaded: a realm of a company with a registration
     * per school (thousands) costs a framed tool login one small query, not thousands of registrations.
     */
    public static Stream<LtiPlatformConfig> launching(KeycloakSession session, String clientId) {
        List<Object[]> tools = session.getProvider(JpaConnectionProvider.class).getEntityManager().createQuery(
                        "select i.alias, value(c) from IdentityProviderEntity i join i.config c where i.realmId = :realm"
                                + " and i.providerId = :type and i.enabled = true and key(c) = :key", Object[].class)
                .setParameter("realm", session.getContext().getRealm().getId())
                .setParameter("type", LtiPlatformConfig.PROVIDER_ID)
                .setParameter("key", LtiPlatformConfig.TOOL_CLIENT_IDS)
                .getResultList();
        return tools.stream().filter(row -> MultiValue.parse((String) row[1]).contains(clientId))
                .map(row -> find(session, (String) row[0])).flatMap(Optional::stream)
                .filter(IdentityProviderModel::isEnabled);
    }

    /** The registration {@code alias} if it exists and is enabled. */
    public static Optional<LtiPlatformConfig> findEnabled(KeycloakSession session, String alias) {
        return find(session, alias).filter(IdentityProviderModel::isEnabled);
    }
}
