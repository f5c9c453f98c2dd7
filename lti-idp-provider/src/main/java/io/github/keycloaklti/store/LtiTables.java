package io.github.keycloaklti.store;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * Tables of the extension in Keycloak's database, each with its own Liquibase changelog and provider id (its server
 * options' namespace), whose rows go with what they belong to: a subclass says what it removes when Keycloak
 * removes a realm, an LTI registration or a client.
 */
public abstract class LtiTables implements JpaEntityProviderFactory, JpaEntityProvider {

    private final String id;
    private final String changelog;
    private final List<Class<?>> entities;

    protected LtiTables(String id, String changelog, List<Class<?>> entities) {
        this.id = id;
        this.changelog = changelog;
        this.entities = entities;
    }

    /** Rows of a removed realm. */
    protected abstract void realmRemoved(KeycloakSession session, String realmId);

    /** Rows of a removed LTI registration. */
    protected abstract void registrationRemoved(KeycloakSession session, String realmId, String alias);

    /** Rows of a removed client; none by default. */
    protected void clientRemoved(KeycloakSession session, String realmId, String clientId) {
    }

    /** Anything to start once the factory is up (a retention task); nothing by default. */
    protected void started(KeycloakSessionFactory factory) {
    }

    @Override
    public final JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public final List<Class<?>> getEntities() {
        return entities;
    }

    @Override
    public final String getChangelogLocation() {
        return changelog;
    }

    @Override
    public final String getFactoryId() {
        return id;
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public final void postInit(KeycloakSessionFactory factory) {
        started(factory);
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                realmRemoved(removed.getKeycloakSession(), removed.getRealm().getId());
            } else if (event instanceof RealmModel.IdentityProviderRemovedEvent removed
                    && LtiPlatformConfig.PROVIDER_ID.equals(removed.getRemovedIdentityProvider().getProviderId())) {
                registrationRemoved(removed.getKeycloakSession(), removed.getRealm().getId(),
                        removed.getRemovedIdentityProvider().getAlias());
            } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
                clientRemoved(removed.getKeycloakSession(), removed.getClient().getRealm().getId(),
                        removed.getClient().getClientId());
            }
        });
    }

    @Override
    public final void close() {
    }
}
