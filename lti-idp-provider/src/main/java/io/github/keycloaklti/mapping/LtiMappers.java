package io.github.keycloaklti.mapping;

import org.keycloak.broker.provider.BrokeredIdentityContext;

import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/** What the LTI identity-provider mappers share: the provider type they apply to and the launch they read. */
final class LtiMappers {

    static final String[] COMPATIBLE_PROVIDERS = {LtiPlatformConfig.PROVIDER_ID};
    static final String CLAIM = "claim";

    private LtiMappers() {
    }

    static LtiLaunch launchOf(BrokeredIdentityContext context) {
        Object launch = context.getContextData().get(LtiLaunch.CONTEXT_DATA_KEY);
        return launch instanceof LtiLaunch ltiLaunch ? ltiLaunch : null;
    }
}
