package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * The JAR in a production-mode Keycloak, as the Docker image runs it: {@code kc.sh build} (which must accept the
 * extension, its JPA entity and changelog) then {@code kc.sh start --optimized}; a launch lands in the tool.
 */
@ExtendWith(KeycloakExtension.class)
class ProductionModeIT {

    @Test
    void anOptimizedBuildStartsWithTheExtensionAndLaunches(KeycloakServer shared) {
        Path home = Path.of(System.getProperty("keycloak.production.home"));
        Path work = Path.of(System.getProperty("keycloak.work")).resolveSibling("keycloak-production-run");
        try (KeycloakServer production = KeycloakServer.start(new KeycloakServer.Options().production(home, work)
                .certificate(shared.certificate()));
             Keycloak admin = KeycloakBuilder.builder().serverUrl(production.baseUrl()).realm("master")
                     .clientId("admin-cli").username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                     .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                             .sslContext(production.sslContext()).build()).build();
             LtiRealm lti = LtiRealm.create(production, admin)) {
            String subject = "prod-" + UUID.randomUUID();

            Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                    LtiMessage.resourceLink().user(subject, "Pro", "Duction")));

            assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
            assertThat(lti.tool().lastLogin().username()).isEqualTo("platform." + subject);
            assertThat(production.log()).contains("lti-service-context-changelog.xml");
        }
    }
}
