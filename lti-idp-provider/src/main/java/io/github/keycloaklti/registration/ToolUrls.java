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
        Computed urls = of(base, realm, config);
        config.getConfig().put(LOGIN_INITIATION_URL, urls.loginInitiationUrl());
        config.getConfig().put(DEEP_LINKING_URL, urls.launchUrl());
        config.getConfig().put(TOOL_JWKS_URL, urls.jwksUrl());
        if (urls.canvasConfigurationUrl() != null) {
            config.getConfig().put(CANVAS_CONFIGURATION_URL, urls.canvasConfigurationUrl());
        } else {
            config.getConfig().remove(CANVAS_CONFIGURATION_URL);
        }
    }

    /**
     * A registration's URLs as Keycloak serves them under {@code base}: login initiation, the launch (redirect and
     * deep-linking) URL, the tool's keys, and Canvas's configuration URL (null but for Canvas).
     */
    public record Computed(String loginInitiationUrl, String launchUrl, String jwksUrl, String canvasConfigurationUrl) {
    }

    public static Computed of(URI base, RealmModel realm, LtiPlatformConfig config) {
        return of(base, realm, config.getAlias(), config.isCanvas());
    }

    /** The URLs of registration {@code alias}, before it exists (Dynamic Registration names them to the platform). */
    public static Computed of(URI base, RealmModel realm, String alias, boolean canvas) {
        String realmUrl = Urls.realmIssuer(base, realm.getName());
        String launchUrl = Urls.identityProviderAuthnResponse(base, alias, realm.getName()).toString();
        return new Computed(launchUrl + "/login", launchUrl, realmUrl + "/protocol/openid-connect/certs",
                canvas ? realmUrl + "/lti/platforms/" + alias + "/canvas-configuration" : null);
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
