package io.github.keycloaklti.servicecontext;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Adds {@link ServiceContextEntity} and its Liquibase changelog to Keycloak's database. */
public class ServiceContextEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "lti-service-context";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ServiceContextEntity.class);
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

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
