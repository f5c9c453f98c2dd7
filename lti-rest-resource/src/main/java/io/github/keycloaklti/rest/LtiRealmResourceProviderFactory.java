package io.github.keycloaklti.rest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.platform.PlatformUrls;
import io.github.keycloaklti.services.AnswerBudget;
import io.github.keycloaklti.services.PlatformCallBulkhead;
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

    @Override
    public void init(Config.Scope config) {
        // --spi-realm-restapi-extension--lti--max-platform-calls=N (service calls at once on this node), and
        // --spi-realm-restapi-extension--lti--platform-call-share-percent=P (the part one registration may use)
        // --spi-realm-restapi-extension--lti--platform-answer-budget-mb=M (what all answers being handled hold)
        serviceTokens = new ServiceTokenCache(config.getInt("maxPlatformCalls", PlatformCallBulkhead.DEFAULT_MAX_CALLS),
                config.getInt("platformCallSharePercent", PlatformCallBulkhead.DEFAULT_SHARE_PERCENT),
                config.getLong("platformAnswerBudgetMb", AnswerBudget.DEFAULT_BYTES / (1024 * 1024)) * 1024 * 1024);
        // --spi-realm-restapi-extension--lti--platform-connect-timeout-millis, ...-read-timeout-millis and
        // ...-call-deadline-millis: every call to a platform (tokens, services, Dynamic Registration);
        // ...-keyset-deadline-millis: keyset fetches, which launches wait for
        PlatformCalls.Limits defaults = PlatformCalls.Limits.DEFAULT;
        PlatformCalls.configure(new PlatformCalls.Limits(
                Math.max(100, config.getInt("platformConnectTimeoutMillis", defaults.connectMillis())),
                Math.max(100, config.getInt("platformReadTimeoutMillis", defaults.readMillis())),
                Math.max(100, config.getInt("platformCallDeadlineMillis", defaults.deadlineMillis())),
                Math.max(100, config.getInt("platformKeysetDeadlineMillis", defaults.keysetDeadlineMillis()))));
        // --spi-realm-restapi-extension--lti--allow-loopback-platforms=true: platforms on localhost, plain HTTP
        // allowed (development only); --spi-realm-restapi-extension--lti--allow-private-network-platforms=true:
        // platforms on private addresses (a campus network). Both off by default; they govern every URL the
        // extension checks or calls (registrations, keysets, tokens, services, Dynamic Registration).
        PlatformUrls.configure(config.getBoolean("allowLoopbackPlatforms", false),
                config.getBoolean("allowPrivateNetworkPlatforms", false));
        // --spi-realm-restapi-extension--lti--trusted-token-origins=https://auth.brightspace.com,...: token services
        // outside their issuers' origin that registrations may name (the presets' are known without it)
        String[] trusted = config.getArray("trustedTokenOrigins");
        PlatformUrls.trustTokenOrigins(trusted == null ? Set.of()
                : Arrays.stream(trusted).map(String::trim).filter(o -> !o.isEmpty()).collect(Collectors.toSet()));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
