package io.github.keycloaklti.servicecontext;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

import io.github.keycloaklti.registration.LtiPlatformConfig;

/** Adds {@link ServiceContextEntity}, {@link LineItemOwnerEntity} and their Liquibase changelog to Keycloak's database. */
public class ServiceContextEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "lti-service-context";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ServiceContextEntity.class, LineItemOwnerEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/lti-service-context-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public String getId() {
        return ID;
    }

    /** Contexts not launched for this many days are removed ({@code retention-days}; 0 keeps them forever). */
    static final int DEFAULT_RETENTION_DAYS = 400;
    /** How often the retention runs ({@code retention-check-interval}, seconds). */
    static final int DEFAULT_RETENTION_CHECK_SECONDS = 6 * 3600;

    private int retentionDays = DEFAULT_RETENTION_DAYS;
    private int retentionCheckSeconds = DEFAULT_RETENTION_CHECK_SECONDS;

    @Override
    public void init(Config.Scope config) {
        retentionDays = Math.max(0, config.getInt("retentionDays", DEFAULT_RETENTION_DAYS));
        retentionCheckSeconds = Math.max(1, config.getInt("retentionCheckInterval", DEFAULT_RETENTION_CHECK_SECONDS));
    }

    /**
     * Service contexts live no longer than their realm, registration and tool client (Keycloak's provider events),
     * nor than the retention after their last launch.
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (retentionDays > 0) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                    .scheduleTask(new ServiceContextRetention(retentionDays * 86_400_000L),
                            retentionCheckSeconds * 1000L, ServiceContextRetention.TASK_NAME));
        }
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                ServiceContexts.forget(removed.getKeycloakSession(), removed.getRealm().getId(), null, null);
            } else if (event instanceof RealmModel.IdentityProviderRemovedEvent removed
                    && LtiPlatformConfig.PROVIDER_ID.equals(removed.getRemovedIdentityProvider().getProviderId())) {
                ServiceContexts.forget(removed.getKeycloakSession(), removed.getRealm().getId(),
                        removed.getRemovedIdentityProvider().getAlias(), null);
            } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
                ServiceContexts.forget(removed.getKeycloakSession(), removed.getClient().getRealm().getId(), null,
                        removed.getClient().getClientId());
            }
        });
    }

    @Override
    public void close() {
    }
}
