package io.github.keycloaklti.mapping;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.broker.oidc.mappers.AbstractClaimToRoleMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.ConfigConstants;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaklti.claims.LtiLaunch;

/**
 * Grants a realm or client role when the launch carries an LTI role. The role may be written as a full URI
 * ({@code http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor}), a short context role
 * ({@code Instructor}), or relative to the LIS vocabulary ({@code institution/person#Faculty},
 * {@code membership/Instructor#TeachingAssistant}). Sync modes as Keycloak's own role mappers: with FORCE, a
 * later launch without the role takes the role away.
 */
public class LtiRoleMapper extends AbstractClaimToRoleMapper {

    public static final String PROVIDER_ID = "lti-role-mapper";
    public static final String LTI_ROLE = "lti.role";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        ProviderConfigProperty ltiRole = new ProviderConfigProperty();
        ltiRole.setName(LTI_ROLE);
        ltiRole.setLabel("LTI role");
        ltiRole.setHelpText("e.g. Instructor, Learner, membership#Administrator, institution/person#Faculty, or a full role URI");
        ltiRole.setType(ProviderConfigProperty.STRING_TYPE);
        CONFIG.add(ltiRole);
        ProviderConfigProperty role = new ProviderConfigProperty();
        role.setName(ConfigConstants.ROLE);
        role.setLabel("Role");
        role.setHelpText("Realm role, or client role as clientId.roleName, granted for this LTI role");
        role.setType(ProviderConfigProperty.ROLE_TYPE);
        CONFIG.add(role);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return LtiMappers.COMPATIBLE_PROVIDERS;
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public String getDisplayCategory() {
        return "Role Importer";
    }

    @Override
    public String getDisplayType() {
        return "LTI Role to Role";
    }

    @Override
    public String getHelpText() {
        return "Grant a realm or client role when the launch carries the given LTI role.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected boolean applies(IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        LtiLaunch launch = LtiMappers.launchOf(context);
        return launch != null && launch.hasRole(mapperModel.getConfig().get(LTI_ROLE));
    }
}
