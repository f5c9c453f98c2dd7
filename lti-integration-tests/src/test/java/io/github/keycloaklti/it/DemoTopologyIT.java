package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.demo.DemoServices;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * The compose file's stack without containers (see {@code DockerFilesTest}): the demo realm imported as the
 * keycloak service imports it, the demo's platform and tool started as the demo service starts them (listening on
 * all interfaces, their URLs on {@code localhost:8081} and {@code localhost:8082}, the realm set up through the
 * admin REST); a learner who clicks "Launch as learner" on the platform lands in the demo tool as themselves.
 */
@ExtendWith(KeycloakExtension.class)
class DemoTopologyIT {

    @Test
    void aLearnerClickingLaunchOnTheDemoPlatformLandsInTheDemoTool(KeycloakServer server, Keycloak admin)
            throws Exception {
        RealmRepresentation realm;
        try (InputStream json = DemoServices.class.getResourceAsStream("/demo/demo-realm.json")) {
            realm = JsonSerialization.readValue(json, RealmRepresentation.class);
        }
        admin.realms().create(realm);
        try (DemoServices services = DemoServices.start(server.baseUrl(), "0.0.0.0")) {
            assertThat(services.platform().baseUrl()).isEqualTo("http://localhost:8081");
            assertThat(services.tool().baseUrl()).isEqualTo("http://localhost:8082");
            BrowserlessUserAgent browser = new BrowserlessUserAgent(server.sslContext());

            BrowserlessUserAgent.Page landed = browser.navigate(services.platform().baseUrl()
                    + "/start?as=learner&user=demo-topology");

            assertThat(landed.uri().toString()).as(landed.text()).startsWith(services.tool().callbackUrl());
            assertThat(landed.document().getElementById("username").text()).endsWith("demo-topology");
            assertThat(landed.document().getElementById("roles").text()).contains("membership#Learner");
        } finally {
            admin.realm(realm.getRealm()).remove();
        }
    }
}
