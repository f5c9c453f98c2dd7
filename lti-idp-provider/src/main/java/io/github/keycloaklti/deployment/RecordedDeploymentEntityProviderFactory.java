package io.github.keycloaklti.deployment;

import java.util.List;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.store.LtiTables;

/** Adds {@link RecordedDeploymentEntity} to Keycloak's database; its rows go with their realm and registration. */
public class RecordedDeploymentEntityProviderFactory extends LtiTables {

    public static final String ID = "lti-deployment";

    public RecordedDeploymentEntityProviderFactory() {
        super(ID, "META-INF/lti-deployment-changelog.xml", List.of(RecordedDeploymentEntity.class));
    }

    @Override
    protected void realmRemoved(KeycloakSession session, String realmId) {
        RecordedDeployments.forgetAll(session, realmId, null);
    }

    @Override
    protected void registrationRemoved(KeycloakSession session, String realmId, String alias) {
        RecordedDeployments.forgetAll(session, realmId, alias);
    }
}
