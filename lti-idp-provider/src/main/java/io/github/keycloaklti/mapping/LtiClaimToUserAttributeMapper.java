package io.github.keycloaklti.mapping;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;


/**
 * Copies a launch claim into a user attribute, e.g. {@code https://purl.imsglobal.org/spec/lti/claim/lis.person_sourcedid}
 * into {@code sis_id}. Objects are stored as JSON; lists as one value per item.
 */
public class LtiClaimToUserAttributeMapper extends AbstractLtiClaimMapper {

    public static final String PROVIDER_ID = "lti-claim-to-user-attribute-mapper";
    public static final String USER_ATTRIBUTE = "user.attribute";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        CONFIG.add(claimProperty("https://purl.imsglobal.org/spec/lti/claim/context.id"));
        ProviderConfigProperty attribute = new ProviderConfigProperty();
        attribute.setName(USER_ATTRIBUTE);
        attribute.setLabel("User attribute name");
        attribute.setType(ProviderConfigProperty.USER_PROFILE_ATTRIBUTE_LIST_TYPE);
        CONFIG.add(attribute);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public String getDisplayCategory() {
        return "Attribute Importer";
    }

    @Override
    public String getDisplayType() {
        return "LTI Claim to User Attribute";
    }

    @Override
    public String getHelpText() {
        return "Store a claim of the LTI launch in a user attribute.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user,
                              IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        apply(user, mapperModel, context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user,
                                   IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        apply(user, mapperModel, context);
    }

    private static void apply(UserModel user, IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        String attribute = mapperModel.getConfig().get(USER_ATTRIBUTE);
        if (LtiMappers.launchOf(context) == null || attribute == null || attribute.isBlank()) {
            return;
        }
        List<String> values = claimValues(mapperModel, context);
        if (values.isEmpty()) {
            user.removeAttribute(attribute);
        } else {
            user.setAttribute(attribute, values);
        }
    }
}
