package io.github.keycloaklti.servicecontext;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

import io.github.keycloaklti.store.LtiTables;

/**
 * Adds {@link ServiceContextEntity}, {@link LineItemOwnerEntity} and their Liquibase changelog to Keycloak's database.
 * Service contexts live no longer than their realm, registration and tool client, nor than the retention after
 * their last launch.
 */
public class ServiceContextEntityProviderFactory extends LtiTables {

    public static final String ID = "lti-service-context";
    /** Contexts not launched for this many days are removed ({@code retention-days}; 0 keeps them forever). */
    static final int DEFAULT_RETENTION_DAYS = 400;
    /** How often the retention runs ({@code retention-check-interval}, seconds). */
    static final int DEFAULT_RETENTION_CHECK_SECONDS = 6 * 3600;

    private int retentionDays = DEFAULT_RETENTION_DAYS;
    private int retentionCheckSeconds = DEFAULT_RETENTION_CHECK_SECONDS;

    public ServiceContextEntityProviderFactory() {
        super(ID, "META-INF/lti-service-context-changelog.xml", List.of(ServiceContextEntity.class,
                LineItemOwnerEntity.class));
    }

    @Override
    public void init(Config.Scope config) {
        retentionDays = Math.max(0, config.getInt("retentionDays", DEFAULT_RETENTION_DAYS));
        retentionCheckSeconds = Math.max(1, config.getInt("retentionCheckInterval", DEFAULT_RETENTION_CHECK_SECONDS));
    }

    @Override
    protected void started(KeycloakSessionFactory factory) {
        if (retentionDays > 0) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                    .scheduleTask(new ServiceContextRetention(retentionDays * 86_400_000L),
                            retentionCheckSeconds * 1000L, ServiceContextRetention.TASK_NAME));
        }
    }

    @Override
    protected void realmRemoved(KeycloakSession session, String realmId) {
        ServiceContexts.forget(session, realmId, null, null);
    }

    @Override
    protected void registrationRemoved(KeycloakSession session, String realmId, String alias) {
        ServiceContexts.forget(session, realmId, alias, null);
    }

    @Override
    protected void clientRemoved(KeycloakSession session, String realmId, String clientId) {
        ServiceContexts.forget(session, realmId, null, clientId);
    }
}
