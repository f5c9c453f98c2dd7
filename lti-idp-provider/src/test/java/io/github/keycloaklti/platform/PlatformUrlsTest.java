package io.github.keycloaklti.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL policy of everything Keycloak calls for a platform: what is refused, with and without the switches. */
class PlatformUrlsTest {

    @AfterEach
    void switchesOff() {
        PlatformPolicy.install(PlatformPolicy.DEFAULT.withUrls(false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://moodle.example.edu/mod/lti/certs.php", "https://canvas.instructure.com/x",
            "https://203.0.113.7/jwks", "https://[2001:db8::1]/jwks", "https://[64:ff9b::cb00:7107]/jwks",
            "https://[2002:cb00:7107::1]/jwks"})
    void publicHttpsUrlsAreAccepted(String url) {
        assertThat(PlatformUrls.checkEntered(url, "jwksUrl").toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://moodle.example.edu/certs", "ftp://moodle.example.edu/certs", "/relative",
            "https://user:pw@moodle.example.edu/certs", "https://moodle.example.edu/certs#x", "not a url"})
    void plainHttpOtherSchemesUserInfoAndFragmentsAreRefused(String url) {
        assertThatThrownBy(() -> PlatformUrls.checkEntered(url, "jwksUrl"))
                .isInstanceOf(PlatformUrls.RefusedUrlException.class).hasMessageContaining("jwksUrl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8081/jwks", "https://127.0.0.1/jwks", "https://[::1]/jwks"})
    void loopbackLiteralsOnlyWithTheDevelopmentSwitch(String url) {
        assertThatThrownBy(() -> PlatformUrls.checkEntered(url, "jwksUrl"))
                .hasMessageContaining("allow-loopback-platforms");
        PlatformPolicy.install(PlatformPolicy.DEFAULT.withUrls(true, false));
        assertThat(PlatformUrls.checkBeforeFetch(url, "jwksUrl")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.attacker.invalid/jwks", "http://127.0.0.2/jwks", "https://127.1/jwks",
            "https://2130706433/jwks", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/jwks",
            "https://192.168.0.10/jwks", "https://172.16.5.5/jwks", "https://100.64.0.1/jwks", "https://0.0.0.0/jwks",
            "https://[fd00::1]/jwks", "https://[fe80::1]/jwks", "https://[::ffff:127.0.0.1]/jwks", "https://[::]/jwks",
            "https://[64:ff9b::a00:5]/jwks", "https://[64:ff9b::7f00:1]/jwks", "https://[2002:a00:5::1]/jwks",
            "https://[2002:a9fe:a9fe::1]/jwks", "https://[2001:0:4136:e378::1]/jwks", "https://[64:ff9b:1::1]/jwks",
            "https://0.1.2.3/jwks", "https://192.0.0.192/jwks", "https://198.18.0.1/jwks", "https://240.0.0.1/jwks",
            "https://255.255.255.255/jwks"})
    void internalAddressesAreRefusedEvenWithTheLoopbackSwitch(String url) {
        PlatformPolicy.install(PlatformPolicy.DEFAULT.withUrls(true, false));
        assertThatThrownBy(() -> PlatformUrls.checkBeforeFetch(url, "jwksUrl"))
                .isInstanceOf(PlatformUrls.RefusedUrlException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://10.1.2.3/jwks", "https://192.168.0.10/jwks", "https://[fd00::1]/jwks"})
    void privateNetworksOnlyWithTheirSwitch(String url) {
        assertThatThrownBy(() -> PlatformUrls.checkEntered(url, "jwksUrl")).hasMessageContaining("private");
        PlatformPolicy.install(PlatformPolicy.DEFAULT.withUrls(false, true));
        assertThat(PlatformUrls.checkEntered(url, "jwksUrl")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost.localdomain.invalid/jwks"})
    void namesThatDoNotResolveAreRefusedBeforeAnyCall(String url) {
        assertThatThrownBy(() -> PlatformUrls.checkBeforeFetch(url, "jwksUrl")).hasMessageContaining("resolve");
    }
}
