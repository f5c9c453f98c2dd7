package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

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
 * admin REST); a learner who clicks "Launch as learner" on the platform lands in the demo tool as themselves, and
 * still does after the README's Dynamic Registration walk-through has registered a second tool at the platform.
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

            // the README's Dynamic Registration walk-through, on the demo's platform: a second registration...
            HttpClient http = HttpClient.newBuilder().sslContext(server.sslContext()).build();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                            + "/admin/realms/" + realm.getRealm() + "/lti/dynamic-registration-links"))
                    .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"toolClientIds\": [\"demo-tool\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String link = (String) JsonSerialization.readValue(created.body(), Map.class).get("url");
            BrowserlessUserAgent.Page registered = browser.navigate(services.platform().dynamicRegistration()
                    .registrationUrl(link));
            assertThat(registered.text()).contains("Keycloak is registered");
            assertThat(services.platform().registrations()).hasSize(2);

            // ...and the course page's buttons still launch the demo's tool, whose services still answer
            BrowserlessUserAgent.Page again = browser.navigate(services.platform().baseUrl()
                    + "/start?as=instructor&user=after-registration");
            assertThat(again.uri().toString()).as(again.text()).startsWith(services.tool().callbackUrl());
            assertThat(again.document().getElementById("username").text()).endsWith("after-registration");
            HttpResponse<String> roster = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/"
                            + realm.getRealm() + "/lti/nrps/memberships"))
                    .header("Authorization", "Bearer " + services.tool().lastLogin().accessToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
            // the new registration gets buttons of its own
            assertThat(browser.navigate(services.platform().baseUrl() + "/").document().getElementById("tool-1"))
                    .isNotNull();
        } finally {
            admin.realm(realm.getRealm()).remove();
        }
    }
}
