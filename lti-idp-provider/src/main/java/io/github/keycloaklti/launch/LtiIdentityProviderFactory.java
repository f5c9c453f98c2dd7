package io.github.keycloaklti.launch;

import java.util.List;
import java.util.Map;

import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.PlatformPresets;
import io.github.keycloaklti.registration.ToolUrls;


/** The identity provider type {@code lti} ("LTI 1.3"): one instance per platform registration. */
public class LtiIdentityProviderFactory extends AbstractIdentityProviderFactory<LtiIdentityProvider> {

    public static final String PROVIDER_ID = LtiPlatformConfig.PROVIDER_ID;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getName() {
        return "LTI 1.3";
    }

    @Override
    public String getHelpText() {
        return "A learning platform (LMS) whose LTI 1.3 launches log learners into the realm's tools.";
    }

    @Override
    public LtiIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new LtiIdentityProvider(session, new LtiPlatformConfig(model));
    }

    @Override
    public IdentityProviderModel createConfig() {
        LtiPlatformConfig config = new LtiPlatformConfig();
        // Platforms are the source of truth for names and emails: later launches update the user.
        config.setSyncMode(IdentityProviderSyncMode.FORCE);
        return config;
    }

    @Override
    public Map<String, String> parseConfig(KeycloakSession session, String config) {
        return Map.of();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(PlatformPresets.PRESET).label("Platform preset")
                .helpText("Fills the issuer and endpoints of a known platform that you leave blank").type(ProviderConfigProperty.LIST_TYPE)
                .options("none", "moodle", "canvas", "blackboard", "brightspace", "sakai", "schoology").defaultValue("none").add()
                .property().name(PlatformPresets.SITE_URL).label("Platform site URL")
                .helpText("The platform's address, e.g. https://moodle.example.edu (with the Moodle, Brightspace and Sakai presets)")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.ISSUER).label("Platform issuer")
                .helpText("The 'iss' of the platform's launches, e.g. https://moodle.example.edu").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.AUTHORIZATION_URL).label("Platform authentication request URL")
                .helpText("The platform's OIDC authorization endpoint").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.JWKS_URL).label("Platform public keyset URL")
                .helpText("The platform's JWKS URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.TOKEN_URL).label("Platform access token URL")
                .helpText("For NRPS and AGS calls").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.TOKEN_AUDIENCE).label("Token audience")
                .helpText("The 'aud' of service token assertions, when the platform wants another than its token URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.DEPLOYMENT_IDS).label("Deployment IDs")
                .helpText("Deployments of this tool on the platform").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(LtiPlatformConfig.RECORD_NEW_DEPLOYMENTS).label("Record new deployments on first launch")
                .helpText("Accept launches from unknown deployment ids and add them to the list").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(LtiPlatformConfig.TOOL_CLIENT_IDS).label("Tool clients")
                .helpText("Realm clients this platform may launch; the one whose redirect URIs admit the target_link_uri is chosen").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).required(true).add()
                .property().name(LtiPlatformConfig.ALLOWED_CLOCK_SKEW).label("Allowed clock skew (seconds)")
                .helpText("Tolerance for exp and iat").type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(LtiPlatformConfig.DEFAULT_CLOCK_SKEW_SECONDS)).add()
                .property().name(LtiPlatformConfig.ALLOWED_ALGORITHMS).label("Allowed signature algorithms")
                .helpText("RS256 unless the platform signs with another asymmetric algorithm").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(ToolUrls.LOGIN_INITIATION_URL).label("For the LMS: login initiation URL")
                .helpText("Filled in by Keycloak when you save: give it to the LMS as the tool's OIDC login / initiate login URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.DEEP_LINKING_URL).label("For the LMS: redirect and deep linking URL")
                .helpText("Filled in by Keycloak when you save (the redirect URI above): the tool's redirect URI and deep linking URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.TOOL_JWKS_URL).label("For the LMS: tool keyset URL")
                .helpText("Filled in by Keycloak when you save: the tool's public keyset (JWKS) URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.CANVAS_CONFIGURATION_URL).label("For Canvas: configuration URL")
                .helpText("Filled in by Keycloak when you save: paste into Canvas's developer key \"Enter URL\"").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.USERNAME_TEMPLATE).label("Username template")
                .helpText("Placeholders ${ALIAS}, ${SUB}, ${EMAIL}, ${GIVEN_NAME}, ${FAMILY_NAME}, ${NAME}").type(ProviderConfigProperty.STRING_TYPE).defaultValue(LtiPlatformConfig.DEFAULT_USERNAME_TEMPLATE).add()
                .build();
    }
}
