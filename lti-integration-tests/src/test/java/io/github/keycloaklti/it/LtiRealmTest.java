package io.github.keycloaklti.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/** A test class with its own realm, platform emulator and tool (see {@link LtiRealm}), on the run's Keycloak. */
@ExtendWith(KeycloakExtension.class)
abstract class LtiRealmTest {

    protected static LtiRealm lti;

    @BeforeAll
    static void createRealm(KeycloakServer server, Keycloak admin) {
        lti = LtiRealm.create(server, admin);
    }

    @AfterAll
    static void closeRealm() {
        lti.close();
    }
}
