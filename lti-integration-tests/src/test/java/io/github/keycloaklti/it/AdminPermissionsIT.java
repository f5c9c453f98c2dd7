package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * Who may call the extension's admin REST ({@code /admin/realms/R/lti/...}): Keycloak's own fine-grained admin roles
 * of that realm decide, as for Keycloak's identity-provider pages. Someone with a weaker role of the realm, a realm
 * admin of the institution next door, and anybody without a token are refused before anything is read or changed.
 */
class AdminPermissionsIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String REGISTRATION = "platforms/" + LtiRealm.ALIAS;
    private static final String DEPLOYMENT_BODY = "{\"deploymentId\":\"permission-test\"}";

    private static KeycloakServer server;
    private static Keycloak keycloakAdmin;
    private static String usersViewer;
    private static String registrationsViewer;
    private static String registrationsManager;

    @BeforeAll
    static void createAdmins(KeycloakServer runningServer, Keycloak admin) {
        server = runningServer;
        keycloakAdmin = admin;
        usersViewer = tokenOf(lti, adminWith(lti, "view-users"));
        registrationsViewer = tokenOf(lti, adminWith(lti, "view-identity-providers"));
        registrationsManager = tokenOf(lti, adminWith(lti, "manage-identity-providers"));
    }

    /** A user of the realm holding this one role of the realm's {@code realm-management} client. */
    private static String adminWith(LtiRealm in, String role) {
        RealmResource realm = in.realm();
        String username = role + "-" + UUID.randomUUID().toString().substring(0, 6);
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.org");
        user.setFirstName("Admin");
        user.setLastName("Tester");
        user.setEnabled(true);
        user.setEmailVerified(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.users().create(user).close();
        String userId = realm.users().search(username, true).get(0).getId();
        ClientRepresentation management = realm.clients().findByClientId("realm-management").get(0);
        RoleRepresentation granted = realm.clients().get(management.getId()).roles().get(role).toRepresentation();
        realm.users().get(userId).roles().clientLevel(management.getId()).add(List.of(granted));
        return username;
    }

    /** An access token for the admin CLI's client of the realm (password grant, as the CLI does). */
    private static String tokenOf(LtiRealm in, String username) {
        HttpResponse<String> token = in.userAgent().postOnce(in.realmUrl() + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", username, "password", PASSWORD));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        try {
            return (String) JSON.readValue(token.body(), Map.class).get("access_token");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int call(String method, String path, String body, String token) {
        return lti.adminLti(lti.name(), method, path, body, token).statusCode();
    }

    @Test
    void withoutATokenNothingIsAnswered() {
        assertThat(call("GET", REGISTRATION, null, null)).isEqualTo(401);
        assertThat(call("GET", REGISTRATION + "/deployments", null, null)).isEqualTo(401);
        assertThat(call("POST", "dynamic-registration-links", "{}", null)).isEqualTo(401);
    }

    @Test
    void aRegistrationIsShownOnlyToWhoMayViewIdentityProviders() {
        assertThat(call("GET", REGISTRATION, null, usersViewer)).isEqualTo(403);
        assertThat(call("GET", REGISTRATION + "/deployments", null, usersViewer)).isEqualTo(403);

        HttpResponse<String> shown = lti.adminLti(lti.name(), "GET", REGISTRATION, null, registrationsViewer);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).contains(LtiRealm.ALIAS);
        assertThat(call("GET", REGISTRATION + "/deployments", null, registrationsViewer)).isEqualTo(200);
    }

    @Test
    void deploymentsAndRegistrationLinksChangeOnlyForWhoMayManageIdentityProviders() throws Exception {
        String before = lti.adminLti("GET", REGISTRATION + "/deployments", null).body();
        for (String token : List.of(usersViewer, registrationsViewer)) {
            assertThat(call("POST", REGISTRATION + "/deployments", DEPLOYMENT_BODY, token)).isEqualTo(403);
            assertThat(call("DELETE", REGISTRATION + "/deployments/deployment-1", null, token)).isEqualTo(403);
            assertThat(call("POST", "dynamic-registration-links", JSON.writeValueAsString(Map.of(
                    "toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID))), token)).isEqualTo(403);
        }
        assertThat(lti.adminLti("GET", REGISTRATION + "/deployments", null).body()).as("nothing changed")
                .isEqualTo(before);

        assertThat(call("POST", REGISTRATION + "/deployments", DEPLOYMENT_BODY, registrationsManager))
                .isBetween(200, 204);
        assertThat(lti.adminLti("GET", REGISTRATION + "/deployments", null).body()).contains("permission-test");
        assertThat(call("DELETE", REGISTRATION + "/deployments/permission-test", null, registrationsManager))
                .isBetween(200, 204);
    }

    @Test
    void onlyWhoMayManageTheRealmPutsARegistrationLinkIntoAnOrganization() throws Exception {
        String district = lti.createOrganization("permissions-district");
        String body = JSON.writeValueAsString(Map.of("toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID),
                "targetLinkUri", lti.tool().launchUrl(), "organization", district));
        HttpResponse<String> refused = lti.adminLti(lti.name(), "POST", "dynamic-registration-links", body,
                registrationsManager);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("manage the realm");
        assertThat(lti.adminLti("POST", "dynamic-registration-links", body).statusCode()).isEqualTo(201);
    }

    @Test
    void theRealmSetupNeedsManageRealmNotOnlyManageIdentityProviders() {
        int flows = lti.realm().flows().getFlows().size();
        assertThat(call("POST", REGISTRATION + "/realm-setup", null, registrationsManager)).isEqualTo(403);
        assertThat(call("POST", REGISTRATION + "/realm-setup", null, registrationsViewer)).isEqualTo(403);
        assertThat(lti.realm().flows().getFlows()).hasSize(flows);
    }

    /**
     * An admin who may only manage identity providers can never point a registration link, or a registration, at a
     * client that is not a tool (Keycloak's admin and account consoles, a client without the LTI claims mapper): the
     * link's realm setup would have bound the admin console's login to a frozen copy of the browser flow. A link for a
     * real tool is issued, and the registration it creates binds no client that admin may not change.
     */
    @Test
    void anIdentityProviderManagerNeverPointsALaunchAtAClientThatIsNoTool() throws Exception {
        ClientRepresentation plain = new ClientRepresentation();
        plain.setClientId("plain-app-" + UUID.randomUUID().toString().substring(0, 6));
        plain.setRedirectUris(List.of("https://app.example/*"));
        lti.realm().clients().create(plain).close();
        for (String client : List.of("security-admin-console", "account-console", "realm-management", plain.getClientId())) {
            HttpResponse<String> link = lti.adminLti(lti.name(), "POST", "dynamic-registration-links",
                    JSON.writeValueAsString(Map.of("toolClientIds", List.of(client),
                            "targetLinkUri", "https://app.example/launch")), registrationsManager);
            assertThat(link.statusCode()).as(client + ": " + link.body()).isEqualTo(400);
            assertThat(link.body()).contains("not_a_tool_client").contains(client);

            HttpResponse<String> saved = lti.admin(lti.name(), "POST", "identity-provider/instances",
                    JSON.writeValueAsString(Map.of("alias", "fake-" + UUID.randomUUID().toString().substring(0, 6),
                            "providerId", "lti", "enabled", true, "config", Map.of("issuer", "https://fake.example",
                                    "clientId", "fake", "authorizationUrl", "https://fake.example/auth",
                                    "jwksUrl", "https://fake.example/jwks", "toolClientIds", client))),
                    registrationsManager);
            assertThat(saved.statusCode()).as(client + ": " + saved.body()).isEqualTo(400);
            assertThat(saved.body()).contains("not a tool").contains(client);
        }
        ClientRepresentation console = lti.realm().clients().findByClientId("security-admin-console").get(0);
        assertThat(console.getAuthenticationFlowBindingOverrides()).as("the admin console's login untouched")
                .doesNotContainKey("browser");

        HttpResponse<String> forTheTool = lti.adminLti(lti.name(), "POST", "dynamic-registration-links",
                JSON.writeValueAsString(Map.of("toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID),
                        "targetLinkUri", lti.tool().launchUrl())), registrationsManager);
        assertThat(forTheTool.statusCode()).as(forTheTool.body()).isEqualTo(201);
    }

    /**
     * A live link of the console's links page is never readable by an admin who may only view the realm (who reads
     * the page's entries): the entry holds it as a secret, and only who may manage identity providers reads it.
     */
    @Test
    void aViewOnlyAdminNeverReadsALiveRegistrationLink() throws Exception {
        org.keycloak.common.util.MultivaluedHashMap<String, String> config = new org.keycloak.common.util.MultivaluedHashMap<>();
        config.put("toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID));
        config.putSingle("targetLinkUri", lti.tool().launchUrl());
        String id;
        try (jakarta.ws.rs.core.Response created = lti.addConsolePage("lti-registration-links", config)) {
            assertThat(created.getStatus()).isEqualTo(201);
            String location = created.getLocation().toString();
            id = location.substring(location.lastIndexOf('/') + 1);
        }
        String realmViewer = tokenOf(lti, adminWith(lti, "view-realm"));
        HttpResponse<String> components = lti.admin(lti.name(), "GET", "components/" + id, null, realmViewer);
        assertThat(components.statusCode()).as(components.body()).isEqualTo(200);
        assertThat(components.body()).contains("unused, valid until").doesNotContain("dynamic-registration?link=");
        for (String weaker : List.of(realmViewer, registrationsViewer)) {
            assertThat(call("GET", "dynamic-registration-links/" + id, null, weaker)).isEqualTo(403);
        }
        assertThat(call("GET", "dynamic-registration-links/" + id, null, null)).isEqualTo(401);
        HttpResponse<String> managed = lti.adminLti(lti.name(), "GET", "dynamic-registration-links/" + id, null,
                registrationsManager);
        assertThat(managed.statusCode()).isEqualTo(200);
        assertThat(managed.body()).contains("dynamic-registration?link=");
    }

    /** The institution next door: an admin of another realm, even one who manages its identity providers. */
    @Test
    void anAdminOfAnotherRealmReachesNothingHere() {
        try (LtiRealm nextDoor = LtiRealm.create(server, keycloakAdmin)) {
            String neighbour = tokenOf(nextDoor, adminWith(nextDoor, "manage-identity-providers"));
            assertThat(lti.adminLti(lti.name(), "GET", REGISTRATION, null, neighbour).statusCode()).isIn(401, 403);
            assertThat(lti.adminLti(lti.name(), "POST", REGISTRATION + "/deployments", DEPLOYMENT_BODY, neighbour)
                    .statusCode()).isIn(401, 403);
            assertThat(lti.adminLti(lti.name(), "POST", "dynamic-registration-links", "{}", neighbour).statusCode())
                    .isIn(401, 403);
            assertThat(lti.adminLti(lti.name(), "GET", REGISTRATION + "/deployments", null, null).statusCode())
                    .isEqualTo(401);
        }
    }
}
