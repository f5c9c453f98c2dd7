package io.github.keycloaklti.registration;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What is known of the big platforms' issuers and endpoints. With {@code preset} and {@code siteUrl} (and the
 * client id, for Blackboard), a registration's blank {@code issuer}, {@code authorizationUrl}, {@code jwksUrl},
 * {@code tokenUrl} and {@code tokenAudience} take the preset's values: worked out when read, never written into the
 * registration (saving only saves); values the admin typed always win.
 */
public final class PlatformPresets {

    public static final String PRESET = "preset";
    public static final String SITE_URL = "siteUrl";

    private record Preset(String issuer, String authorization, String jwks, String token, String tokenAudience) {
    }

    private static final Map<String, Preset> PRESETS = Map.of(
            // Moodle: Site administration > Plugins > External tool > Manage tools > "View configuration details"
            // lists Platform ID = wwwroot and these endpoints (docs.moodle.org/en/LTI_and_Moodle).
            "moodle", new Preset("{site}", "{site}/mod/lti/auth.php", "{site}/mod/lti/certs.php",
                    "{site}/mod/lti/token.php", null),
            // Canvas cloud: one issuer for every customer; endpoints on sso.canvaslms.com since 2023
            // (canvas.instructure.com/doc/api/file.lti_dev_key_config.html, "Step 2").
            "canvas", new Preset("https://canvas.instructure.com", "https://sso.canvaslms.com/api/lti/authorize_redirect",
                    "https://sso.canvaslms.com/api/lti/security/jwks", "https://sso.canvaslms.com/login/oauth2/token", null),
            // Blackboard Learn: tools register at the Anthology developer portal, whose gateway serves every Learn
            // site (docs.anthology.com, "LTI 1.3 tool registration"); the keyset is per application id.
            "blackboard", new Preset("https://blackboard.com", "https://developer.blackboard.com/api/v1/gateway/oidcauth",
                    "https://developer.blackboard.com/api/v1/management/applications/{clientId}/jwks.json",
                    "https://developer.blackboard.com/api/v1/gateway/oauth2/jwttoken", null),
            // D2L Brightspace: the tenant is the issuer; tokens come from D2L's auth service, which expects this
            // audience in client assertions (docs.valence.desire2learn.com, "LTI Advantage" and "OAuth 2.0").
            "brightspace", new Preset("{site}", "{site}/d2l/lti/authenticate", "{site}/d2l/.well-known/jwks",
                    "https://auth.brightspace.com/core/connect/token", "https://api.brightspace.com/auth/token"),
            // Sakai: issuer and endpoints under the site (sakai's LTI Advantage documentation in its lti module);
            // its token URL names the tool's id in Sakai, so the admin copies it from Sakai's tool page.
            "sakai", new Preset("{site}", "{site}/imsoidc/lti13/oidc_auth", "{site}/imsblis/lti13/keyset", null, null),
            // Schoology: one issuer and one LTI service for every school (schoology developer docs, "LTI 1.3").
            "schoology", new Preset("https://schoology.schoology.com",
                    "https://lti-service.svc.schoology.com/lti-service/authorize-redirect",
                    "https://lti-service.svc.schoology.com/lti-service/.well-known/jwks",
                    "https://lti-service.svc.schoology.com/lti-service/access-token", null));

    private PlatformPresets() {
    }

    /**
     * The preset's value for {@code key} (issuer, an endpoint, the token audience) of this registration, or null:
     * no preset, the preset has no such value, or it needs the site or client id and the registration has none.
     * Values the admin typed are not looked at here; {@link LtiPlatformConfig} prefers them.
     */
    static String valueFor(LtiPlatformConfig config, String key) {
        Preset preset;
        try {
            preset = preset(config);
        } catch (IllegalArgumentException unknown) {
            return null; // refused when saved; never a value
        }
        String pattern = preset == null ? null : pattern(preset, key);
        String site = site(config);
        String clientId = config.getClientId();
        if (pattern == null || (pattern.contains("{site}") && site == null)
                || (pattern.contains("{clientId}") && clientId == null)) {
            return null;
        }
        return pattern.replace("{site}", site == null ? "" : site).replace("{clientId}", clientId == null ? "" : clientId);
    }

    /** Refuses an unknown preset, and a preset that needs the site where the admin gave neither it nor the value. */
    static void check(LtiPlatformConfig config) {
        Preset preset = preset(config);
        if (preset == null || site(config) != null) {
            return;
        }
        for (String key : List.of(LtiPlatformConfig.ISSUER, LtiPlatformConfig.AUTHORIZATION_URL,
                LtiPlatformConfig.JWKS_URL, LtiPlatformConfig.TOKEN_URL, LtiPlatformConfig.TOKEN_AUDIENCE)) {
            String typed = config.getConfig().get(key);
            String pattern = pattern(preset, key);
            if (pattern != null && pattern.contains("{site}") && (typed == null || typed.isBlank())) {
                throw new IllegalArgumentException(LtiPlatformConfig.named(SITE_URL) + " is required with this preset "
                        + "(the platform's address, e.g. https://moodle.example.edu), or give "
                        + LtiPlatformConfig.named(key) + " yourself");
            }
        }
    }

    private static Preset preset(LtiPlatformConfig config) {
        String name = config.getConfig().get(PRESET);
        if (name == null || name.isBlank() || name.equalsIgnoreCase("none")) {
            return null;
        }
        Preset preset = PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException(LtiPlatformConfig.named(PRESET) + " '" + name + "' is unknown; use one of "
                    + String.join(", ", PRESETS.keySet().stream().sorted().toList()));
        }
        return preset;
    }

    private static String site(LtiPlatformConfig config) {
        String site = config.getConfig().get(SITE_URL);
        return site == null || site.isBlank() ? null : site.trim().replaceAll("/+$", "");
    }

    private static String pattern(Preset preset, String key) {
        return switch (key) {
            case LtiPlatformConfig.ISSUER -> preset.issuer();
            case LtiPlatformConfig.AUTHORIZATION_URL -> preset.authorization();
            case LtiPlatformConfig.JWKS_URL -> preset.jwks();
            case LtiPlatformConfig.TOKEN_URL -> preset.token();
            case LtiPlatformConfig.TOKEN_AUDIENCE -> preset.tokenAudience();
            default -> null;
        };
    }
}
