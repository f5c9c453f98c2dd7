package io.github.keycloaklti.registration;

import java.util.List;
import java.util.Optional;

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
     * The authentication origins of the enabled registrations that may launch this tool client (it is among their
     * tool clients): one query of their tool lists and typed authentication URLs; only a registration that leaves its
     * URL to a preset is loaded. A realm of a company with a registration per school (thousands) costs a framed tool
     * login one query, not thousands of registrations.
     */
    public static List<String> authorizationOriginsLaunching(KeycloakSession session, String clientId) {
        List<Object[]> rows = session.getProvider(JpaConnectionProvider.class).getEntityManager().createQuery(
                        "select i.alias, value(t), value(a) from IdentityProviderEntity i join i.config t"
                                + " left join i.config a on key(a) = :authorization where i.realmId = :realm"
                                + " and i.providerId = :type and i.enabled = true and key(t) = :tools", Object[].class)
                .setParameter("realm", session.getContext().getRealm().getId())
                .setParameter("type", LtiPlatformConfig.PROVIDER_ID)
                .setParameter("tools", LtiPlatformConfig.TOOL_CLIENT_IDS)
                .setParameter("authorization", LtiPlatformConfig.AUTHORIZATION_URL)
                .getResultList();
        return rows.stream().filter(row -> MultiValue.parse((String) row[1]).contains(clientId))
                .map(row -> row[2] instanceof String url && !url.isBlank() ? LtiPlatformConfig.originOf(url.trim())
                        : find(session, (String) row[0]).map(LtiPlatformConfig::getAuthorizationOrigin).orElse(null))
                .filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The registration {@code alias} if it exists and is enabled. */
    public static Optional<LtiPlatformConfig> findEnabled(KeycloakSession session, String alias) {
        return find(session, alias).filter(IdentityProviderModel::isEnabled);
    }
}
