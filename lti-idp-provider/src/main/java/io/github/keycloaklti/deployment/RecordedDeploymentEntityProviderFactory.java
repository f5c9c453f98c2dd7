package io.github.keycloaklti.deployment;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.registration.LtiPlatformConfig;

/** Adds {@link RecordedDeploymentEntity} to Keycloak's database; its rows go with their realm and registration. */
public class RecordedDeploymentEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "lti-deployment";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(RecordedDeploymentEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/lti-deployment-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                RecordedDeployments.forgetAll(removed.getKeycloakSession(), removed.getRealm().getId(), null);
            } else if (event instanceof RealmModel.IdentityProviderRemovedEvent removed
                    && LtiPlatformConfig.PROVIDER_ID.equals(removed.getRemovedIdentityProvider().getProviderId())) {
                RecordedDeployments.forgetAll(removed.getKeycloakSession(), removed.getRealm().getId(),
                        removed.getRemovedIdentityProvider().getAlias());
            }
        });
    }

    @Override
    public void close() {
    }
}
