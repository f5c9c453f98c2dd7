package io.github.keycloaklti.rest;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.github.keycloaklti.platform.PlatformPolicy;
import io.github.keycloaklti.services.ServiceTokenCache;

/** The realm resource {@code lti}: everything under {@code /realms/R/lti}. */
public class LtiRealmResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "lti";

    /** Platform service tokens held by this node (a cache: losing it costs a token request). */
    private ServiceTokenCache serviceTokens = new ServiceTokenCache();

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new LtiRealmResourceProvider(session, serviceTokens);
    }

    @Override
    public String getId() {
        return ID;
    }

    /**
     * The platform options are all {@code --spi-realm-restapi-extension--lti--...} options, read in one place
     * ({@link PlatformPolicy}, by the identity provider factory's init, which runs before any post-init): this
     * factory only sizes its service-call bulkhead and answer budget from them.
     */
    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        PlatformPolicy policy = PlatformPolicy.current();
        serviceTokens = new ServiceTokenCache(policy.maxServiceCalls(), policy.serviceCallSharePercent(),
                policy.answerBudgetBytes());
    }

    @Override
    public void close() {
    }
}
