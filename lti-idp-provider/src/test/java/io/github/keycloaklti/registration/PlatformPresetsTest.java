package io.github.keycloaklti.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlatformPresetsTest {

    private static LtiPlatformConfig config(String preset, String site, String clientId) {
        LtiPlatformConfig config = new LtiPlatformConfig();
        config.getConfig().put(PlatformPresets.PRESET, preset);
        if (site != null) {
            config.getConfig().put(PlatformPresets.SITE_URL, site);
        }
        if (clientId != null) {
            config.getConfig().put(LtiPlatformConfig.CLIENT_ID, clientId);
        }
        return config;
    }

    @Test
    void moodleEndpointsComeFromTheSiteUrl() {
        LtiPlatformConfig moodle = config("moodle", "https://moodle.example.edu/", "abc");
        assertThat(moodle.getIssuer()).isEqualTo("https://moodle.example.edu");
        assertThat(moodle.getAuthorizationUrl()).isEqualTo("https://moodle.example.edu/mod/lti/auth.php");
        assertThat(moodle.getJwksUrl()).isEqualTo("https://moodle.example.edu/mod/lti/certs.php");
        assertThat(moodle.getTokenUrl()).isEqualTo("https://moodle.example.edu/mod/lti/token.php");
    }

    @Test
    void canvasAndBlackboardNeedNoSiteAndBlackboardsKeysetNamesTheClient() {
        LtiPlatformConfig canvas = config("canvas", null, "10000000000001");
        assertThat(canvas.getIssuer()).isEqualTo("https://canvas.instructure.com");
        assertThat(canvas.getJwksUrl()).isEqualTo("https://sso.canvaslms.com/api/lti/security/jwks");

        LtiPlatformConfig blackboard = config("Blackboard", null, "app-123");
        assertThat(blackboard.getJwksUrl())
                .isEqualTo("https://developer.blackboard.com/api/v1/management/applications/app-123/jwks.json");
    }

    @Test
    void brightspaceSetsItsTokenAudience() {
        LtiPlatformConfig d2l = config("brightspace", "https://school.brightspace.com", "c");
        assertThat(d2l.getTokenAudience()).isEqualTo("https://api.brightspace.com/auth/token");
        assertThat(d2l.getAuthorizationUrl()).isEqualTo("https://school.brightspace.com/d2l/lti/authenticate");
    }

    @Test
    void valuesTheAdminTypedWinAndNothingIsWrittenIntoTheRegistration() {
        LtiPlatformConfig moodle = config("moodle", "https://moodle.example.edu", "abc");
        moodle.getConfig().put(LtiPlatformConfig.TOKEN_URL, "https://proxy.example.edu/token");
        assertThat(moodle.getTokenUrl()).isEqualTo("https://proxy.example.edu/token");
        assertThat(moodle.getConfig()).doesNotContainKeys(LtiPlatformConfig.ISSUER, LtiPlatformConfig.JWKS_URL);
    }

    @Test
    void aPresetThatNeedsTheSiteSaysSoAndUnknownPresetsAreRefused() {
        assertThatThrownBy(() -> PlatformPresets.check(config("sakai", null, "c")))
                .hasMessageContaining("(siteUrl) is required");
        assertThatThrownBy(() -> PlatformPresets.check(config("blackbored", null, "c")))
                .hasMessageContaining("unknown");
        LtiPlatformConfig none = config("none", null, null);
        assertThat(none.getIssuer()).isNull();
    }

    @Test
    void onlyCanvasRegistrationsAreCanvas() {
        assertThat(config("canvas", null, "1").isCanvas()).isTrue();
        LtiPlatformConfig byIssuer = config("none", null, "1");
        byIssuer.getConfig().put(LtiPlatformConfig.ISSUER, "https://canvas.instructure.com");
        assertThat(byIssuer.isCanvas()).isTrue();
        LtiPlatformConfig beta = config("none", null, "1");
        beta.getConfig().put(LtiPlatformConfig.ISSUER, "https://lms.example.edu");
        beta.getConfig().put(LtiPlatformConfig.AUTHORIZATION_URL, "https://sso.beta.canvaslms.com/api/lti/authorize_redirect");
        assertThat(beta.isCanvas()).isTrue();
        assertThat(config("moodle", "https://moodle.example.edu", "1").isCanvas()).isFalse();
        assertThat(config("blackboard", null, "1").isCanvas()).isFalse();
    }
}
