package io.github.keycloaklti.launch;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaklti.compat.KeycloakSpi;
import io.github.keycloaklti.logging.Product;
import io.github.keycloaklti.platform.InFlight;
import io.github.keycloaklti.platform.PlatformPolicy;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.PlatformPresets;
import io.github.keycloaklti.registration.ToolUrls;


/** The identity provider type {@code lti} ("LTI 1.3"): one instance per platform registration. */
public class LtiIdentityProviderFactory extends AbstractIdentityProviderFactory<LtiIdentityProvider> {

    public static final String PROVIDER_ID = LtiPlatformConfig.PROVIDER_ID;
    private static final Logger LOG = Logger.getLogger(LtiIdentityProviderFactory.class);
    /**
     * Says at startup which of Keycloak's identity-provider SPIs the extension speaks here (26.5 split the callback
     * out of IdentityProvider), and loudly if none: in an older Keycloak launch URLs would answer 204 with nothing done.
     */
    /** Launches of this node that may wait at once for one registration's keyset (option {@code keyset-waits}). */
    private InFlight keysetWaits = new InFlight(PlatformPolicy.DEFAULT.keysetWaits());

    /** This node's count of launches waiting for a registration's keyset. */
    static InFlight keysetWaits(KeycloakSession session) {
        Object factory = session.getKeycloakSessionFactory().getProviderFactory(IdentityProvider.class, PROVIDER_ID);
        return ((LtiIdentityProviderFactory) factory).keysetWaits;
    }

    @Override
    public void init(Config.Scope config) {
        // the one place where the operator's platform options are read (PlatformPolicy)
        PlatformPolicy policy = PlatformPolicy.read();
        PlatformPolicy.install(policy);
        keysetWaits = new InFlight(policy.keysetWaits());
        try {
            LOG.infof("keycloak-lti %s: identity providers for Keycloak %s (this build tested on Keycloak %s)",
                    Product.VERSION, KeycloakSpi.current().releases(), Product.TESTED_ON);
        } catch (LinkageError e) {
            LOG.errorf("keycloak-lti needs Keycloak 26.4 or later: %s. LTI launches cannot reach the extension; "
                    + "upgrade Keycloak (see the README's version table).", String.valueOf(e.getCause()));
        }
    }

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

    /** The registration's class for this Keycloak's SPI ({@link KeycloakSpi#identityProviderClass}), found once. */
    private static final Constructor<? extends LtiIdentityProvider> PROVIDER = providerConstructor();

    private static Constructor<? extends LtiIdentityProvider> providerConstructor() {
        try {
            return Class.forName(KeycloakSpi.current().identityProviderClass(), true,
                    LtiIdentityProviderFactory.class.getClassLoader()).asSubclass(LtiIdentityProvider.class)
                    .getConstructor(KeycloakSession.class, LtiPlatformConfig.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.errorf("keycloak-lti: no identity provider class for this Keycloak: %s", String.valueOf(e));
            return null;
        }
    }

    @Override
    public LtiIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        if (PROVIDER == null) {
            throw new IllegalStateException("keycloak-lti needs Keycloak 26.4 or later (see the log at startup)");
        }
        try {
            return PROVIDER.newInstance(session, new LtiPlatformConfig(model));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("keycloak-lti cannot create the registration '" + model.getAlias() + "'", e);
        }
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

    private static String label(String key) {
        return LtiPlatformConfig.LABELS.get(key);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(PlatformPresets.PRESET).label(label(PlatformPresets.PRESET))
                .helpText("Fills the issuer and endpoints of a known platform that you leave blank").type(ProviderConfigProperty.LIST_TYPE)
                .options("none", "moodle", "canvas", "blackboard", "brightspace", "sakai", "schoology").defaultValue("none").add()
                .property().name(PlatformPresets.SITE_URL).label(label(PlatformPresets.SITE_URL))
                .helpText("The platform's address, e.g. https://moodle.example.edu (with the Moodle, Brightspace and Sakai presets)")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.ISSUER).label(label(LtiPlatformConfig.ISSUER))
                .helpText("The platform's issuer: Moodle's \"Platform ID\", Canvas's https://canvas.instructure.com, Blackboard's https://blackboard.com; blank with a preset").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.AUTHORIZATION_URL).label(label(LtiPlatformConfig.AUTHORIZATION_URL))
                .helpText("Moodle: \"Authentication request URL\"; Canvas: \"OIDC authorization end-point\"; blank with a preset").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.JWKS_URL).label(label(LtiPlatformConfig.JWKS_URL))
                .helpText("Moodle: \"Public keyset URL\"; Canvas: \"JWK method: public JWK URL\"; blank with a preset").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.TOKEN_URL).label(label(LtiPlatformConfig.TOKEN_URL))
                .helpText("Moodle: \"Access token URL\": needed for rosters (NRPS) and grades (AGS); blank with a preset").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.TOKEN_AUDIENCE).label(label(LtiPlatformConfig.TOKEN_AUDIENCE))
                .helpText("The 'aud' of service token assertions, when the platform wants another than its token URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.DEPLOYMENT_IDS).label(label(LtiPlatformConfig.DEPLOYMENT_IDS))
                .helpText("The deployment id the platform shows for this tool (Moodle: \"Deployment ID\"; Canvas: the app's Deployment Id)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(LtiPlatformConfig.RECORD_NEW_DEPLOYMENTS).label(label(LtiPlatformConfig.RECORD_NEW_DEPLOYMENTS))
                .helpText("Accept launches from unknown deployment ids and add them to the list").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(LtiPlatformConfig.TOOL_CLIENT_IDS).label(label(LtiPlatformConfig.TOOL_CLIENT_IDS))
                .helpText("Realm clients this platform may launch; the one whose redirect URIs admit the target_link_uri is chosen").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).required(true).add()
                .property().name(LtiPlatformConfig.ALLOWED_CLOCK_SKEW).label(label(LtiPlatformConfig.ALLOWED_CLOCK_SKEW))
                .helpText("Tolerance for exp and iat").type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(LtiPlatformConfig.DEFAULT_CLOCK_SKEW_SECONDS)).add()
                .property().name(LtiPlatformConfig.ALLOWED_ALGORITHMS).label(label(LtiPlatformConfig.ALLOWED_ALGORITHMS))
                .helpText("RS256 unless the platform signs with another asymmetric algorithm").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(ToolUrls.LOGIN_INITIATION_URL).label("For the LMS: login initiation URL")
                .helpText("Filled in by Keycloak when you save: give it to the LMS as the tool's OIDC login / initiate login URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.DEEP_LINKING_URL).label("For the LMS: redirect and deep linking URL")
                .helpText("Filled in by Keycloak when you save (the redirect URI above): the tool's redirect URI and deep linking URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.TOOL_JWKS_URL).label("For the LMS: tool keyset URL")
                .helpText("Filled in by Keycloak when you save: the tool's public keyset (JWKS) URL").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(ToolUrls.CANVAS_CONFIGURATION_URL).label("For Canvas: configuration URL")
                .helpText("Filled in by Keycloak when you save: paste into Canvas's developer key \"Enter URL\"").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.LTI11_MIGRATION).label(label(LtiPlatformConfig.LTI11_MIGRATION))
                .helpText("For tools moving their LTI 1.1 customers: verify the platform's lti1p1 claim with the 1.1 shared secret (entered as the Client Secret above), trust it unverified (Canvas's signature does not verify), or off. What is accepted reaches the tool's tokens as the claim lti11").type(ProviderConfigProperty.LIST_TYPE)
                .options("off", "verify", "trust").defaultValue("off").add()
                .property().name(LtiPlatformConfig.LTI11_CONSUMER_KEY).label(label(LtiPlatformConfig.LTI11_CONSUMER_KEY))
                .helpText("Optional: the LTI 1.1 consumer key; a claim naming another is dropped").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.LTI11_USER_ATTRIBUTE).label(label(LtiPlatformConfig.LTI11_USER_ATTRIBUTE))
                .helpText("Optional: a user attribute (editable by admins only) holding the LTI 1.1 user id of users imported earlier; a first launch with that verified 1.1 user id becomes that user").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(LtiPlatformConfig.USERNAME_TEMPLATE).label(label(LtiPlatformConfig.USERNAME_TEMPLATE))
                .helpText("Placeholders ${ALIAS}, ${SUB}, ${EMAIL}, ${GIVEN_NAME}, ${FAMILY_NAME}, ${NAME}").type(ProviderConfigProperty.STRING_TYPE).defaultValue(LtiPlatformConfig.DEFAULT_USERNAME_TEMPLATE).add()
                .build();
    }
}
