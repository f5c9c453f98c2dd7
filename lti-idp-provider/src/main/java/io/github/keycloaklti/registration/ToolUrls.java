package io.github.keycloaklti.registration;

import java.net.URI;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * The URLs an LMS admin needs, written into the registration's config each time it is saved, so that the admin
 * console's provider page shows them next to the redirect URI, ready to copy. Keycloak's, not the admin's: they are
 * recomputed on every save.
 */
public final class ToolUrls {

    public static final String LOGIN_INITIATION_URL = "loginInitiationUrl";
    public static final String TOOL_JWKS_URL = "toolJwksUrl";
    public static final String DEEP_LINKING_URL = "deepLinkingUrl";
    public static final String CANVAS_CONFIGURATION_URL = "canvasConfigurationUrl";

    private ToolUrls() {
    }

    static void fill(LtiPlatformConfig config, RealmModel realm) {
        URI base = requestBase();
        if (base == null || config.getAlias() == null) {
            return;
        }
        String realmUrl = Urls.realmIssuer(base, realm.getName());
        String launchUri = Urls.identityProviderAuthnResponse(base, config.getAlias(), realm.getName()).toString();
        config.getConfig().put(LOGIN_INITIATION_URL, launchUri + "/login");
        config.getConfig().put(DEEP_LINKING_URL, launchUri);
        config.getConfig().put(TOOL_JWKS_URL, realmUrl + "/protocol/openid-connect/certs");
        String canvas = canvasConfigurationUrl(realmUrl, config);
        if (canvas != null) {
            config.getConfig().put(CANVAS_CONFIGURATION_URL, canvas);
        } else {
            config.getConfig().remove(CANVAS_CONFIGURATION_URL);
        }
    }

    /**
     * The URL a Canvas admin pastes into a developer key's "Enter URL"; null for a registration that is not Canvas's
     * (nothing another platform could use).
     */
    public static String canvasConfigurationUrl(String realmUrl, LtiPlatformConfig config) {
        return config.isCanvas() ? realmUrl + "/lti/platforms/" + config.getAlias() + "/canvas-configuration" : null;
    }

    private static URI requestBase() {
        try {
            KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
            return session == null || session.getContext().getUri() == null ? null : session.getContext().getUri().getBaseUri();
        } catch (RuntimeException e) {
            return null; // a realm import at startup: no request
        }
    }
}
