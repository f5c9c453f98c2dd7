package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.info.ProviderRepresentation;
import org.keycloak.representations.info.ServerInfoRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/** The bundle JAR, dropped into a stock Keycloak 26.7.3, registers everything the extension provides. */
@ExtendWith(KeycloakExtension.class)
class ProvidersRegisteredIT {

    @Test
    void keycloakListsTheLtiIdentityProviderType(Keycloak admin) {
        ServerInfoRepresentation info = admin.serverInfo().getInfo();
        assertThat(info.getIdentityProviders()).anySatisfy(idp -> {
            assertThat(idp.get("id")).isEqualTo("lti");
            assertThat(idp.get("name")).isEqualTo("LTI 1.3");
        });
    }

    @Test
    void keycloakListsTheLtiClaimsProtocolMapper(Keycloak admin) {
        ServerInfoRepresentation info = admin.serverInfo().getInfo();
        assertThat(info.getProtocolMapperTypes().get("openid-connect"))
                .anySatisfy(mapper -> assertThat(mapper.getId()).isEqualTo("oidc-lti-claims-mapper"));
    }

    @Test
    void keycloakListsTheLtiIdentityProviderMappers(Keycloak admin) {
        ServerInfoRepresentation info = admin.serverInfo().getInfo();
        assertThat(info.getProviders().get("identity-provider-mapper").getProviders()).containsKeys("lti-role-mapper",
                "lti-claim-to-user-attribute-mapper", "lti-claim-to-session-note-mapper");
    }

    @Test
    void keycloakListsTheLtiRealmResourceAndAnswersOnIt(Keycloak admin, KeycloakServer server) {
        ServerInfoRepresentation info = admin.serverInfo().getInfo();
        Map<String, ProviderRepresentation> extensions = info.getProviders().get("realm-restapi-extension").getProviders();
        assertThat(extensions).containsKey("lti");

        HttpResponse<String> response = new BrowserlessUserAgent(server.sslContext())
                .get(server.realmUrl("master") + "/lti/platforms/no-such-platform/tool-configuration");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no LTI platform registration 'no-such-platform'");
    }
}
