package io.github.keycloaklti.mapping;

import java.util.List;

import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaklti.claims.ClaimPath;
import io.github.keycloaklti.claims.LtiLaunch;

/** What the mappers that copy one launch claim somewhere share: the claim setting and its lookup. */
abstract class AbstractLtiClaimMapper extends AbstractIdentityProviderMapper {

    static ProviderConfigProperty claimProperty(String example) {
        ProviderConfigProperty claim = new ProviderConfigProperty();
        claim.setName(LtiMappers.CLAIM);
        claim.setLabel("Claim");
        claim.setHelpText("Claim name, optionally followed by .key for a value inside it, e.g. " + example);
        claim.setType(ProviderConfigProperty.STRING_TYPE);
        return claim;
    }

    @Override
    public String[] getCompatibleProviders() {
        return LtiMappers.COMPATIBLE_PROVIDERS;
    }

    /** The configured claim's values in this launch, as strings; empty when absent or not an LTI launch. */
    static List<String> claimValues(IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        LtiLaunch launch = LtiMappers.launchOf(context);
        return launch == null ? List.of() : ClaimPath.asStrings(launch.claim(mapperModel.getConfig().get(LtiMappers.CLAIM)));
    }
}
