package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.QueryBuilder;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/** Registering platforms through the admin REST API: what is refused, and what a registration allows. */
class PlatformRegistrationIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> invalidRegistrations() {
        return Stream.of(
                Arguments.of("issuer", "", "Platform issuer (issuer) is required"),
                Arguments.of("clientId", "", "Client ID (clientId) is required"),
                Arguments.of("authorizationUrl", "", "(authorizationUrl) is required"),
                Arguments.of("jwksUrl", "", "Platform public keyset URL (jwksUrl) is required"),
                Arguments.of("authorizationUrl", "/mod/lti/auth.php", "(authorizationUrl) must be an absolute URL"),
                Arguments.of("jwksUrl", "http://moodle.example.edu/mod/lti/certs.php", "(jwksUrl) must use HTTPS"),
                Arguments.of("tokenUrl", "ftp://moodle.example.edu/token", "(tokenUrl) must be an https URL"),
                Arguments.of("jwksUrl", "https://169.254.169.254/latest/meta-data", "(jwksUrl) must not point to a loopback, link-local or private address"),
                Arguments.of("toolClientIds", "", "Tool clients (toolClientIds) must name at least one client"),
                Arguments.of("toolClientIds", "no-such-client", "there is no client 'no-such-client'"),
                Arguments.of("allowedClockSkew", "a minute", "(allowedClockSkew) must be a number of seconds"),
                Arguments.of("allowedAlgorithms", "HS256", "'HS256' is not an asymmetric JWS algorithm"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidRegistrations")
    void anInvalidRegistrationIsRefusedWithWhatToFix(String key, String value, String message) {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        if (value.isEmpty()) {
            config.remove(key);
        } else {
            config.put(key, value);
        }
        String alias = "invalid-" + UUID.randomUUID().toString().substring(0, 6);
        try (Response response = lti.createPlatform(alias, config)) {
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.readEntity(String.class)).contains(message);
        }
        assertThat(lti.realm().identityProviders().findAll()).noneMatch(idp -> idp.getAlias().equals(alias));
    }

    /** The admin learns every problem at once, each named by the form's label. */
    @Test
    void everyProblemOfARegistrationIsListedAtOnceByItsLabel() {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("issuer", "");
        config.put("jwksUrl", "http://moodle.example.edu/mod/lti/certs.php");
        config.put("toolClientIds", "");
        try (Response response = lti.createPlatform("three-problems", config)) {
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.readEntity(String.class)).contains("3 problems")
                    .contains("Platform issuer (issuer) is required")
                    .contains("Platform public keyset URL (jwksUrl) must use HTTPS")
                    .contains("Tool clients (toolClientIds) must name at least one client");
        }
    }

    @Test
    void aPresetFillsWhatTheAdminLeftBlank() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("preset", "moodle");
        config.put("siteUrl", "https://moodle.example.edu");
        config.put("clientId", "from-moodle");
        config.put("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
        try (Response response = lti.createPlatform("moodle-preset", config)) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
        }
        assertThat(lti.realm().identityProviders().get("moodle-preset").toRepresentation().getConfig())
                .as("saving only saves: the preset's values are worked out when read").doesNotContainKeys("issuer",
                        "authorizationUrl", "jwksUrl", "tokenUrl");
        Map<String, Object> asLaunchesSeeIt = JSON.readValue(lti.adminLti("GET", "platforms/moodle-preset", null).body(),
                new TypeReference<Map<String, Object>>() { });
        assertThat(asLaunchesSeeIt)
                .containsEntry("issuer", "https://moodle.example.edu")
                .containsEntry("authorizationUrl", "https://moodle.example.edu/mod/lti/auth.php")
                .containsEntry("jwksUrl", "https://moodle.example.edu/mod/lti/certs.php")
                .containsEntry("tokenUrl", "https://moodle.example.edu/mod/lti/token.php");

        config.remove("siteUrl");
        try (Response response = lti.createPlatform("moodle-no-site", config)) {
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.readEntity(String.class)).contains("(siteUrl) is required");
        }
    }

    @Test
    void aCanvasRegistrationOffersItsConfigurationUrl() {
        Map<String, String> config = new HashMap<>();
        config.put("preset", "canvas");
        config.put("clientId", "10000000000042");
        config.put("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
        try (Response response = lti.createPlatform("canvas-preset", config)) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
        }
        String url = lti.server().realmUrl(lti.name()) + "/lti/platforms/canvas-preset/canvas-configuration";
        assertThat(lti.realm().identityProviders().get("canvas-preset").toRepresentation().getConfig())
                .containsEntry("canvasConfigurationUrl", url);
        assertThat(Jwts.json(lti.userAgent().get(lti.server().realmUrl(lti.name())
                + "/lti/platforms/canvas-preset/tool-configuration").body()))
                .containsEntry("canvas_configuration_url", url);
    }

    @Test
    void aRegistrationSetUpForItsRealmGetsTheNoPromptFirstLaunchFlow() {
        IdentityProviderRepresentation idp = lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation();
        assertThat(idp.getFirstBrokerLoginFlowAlias()).isEqualTo("lti first launch");
    }

    /**
     * A platform cannot start a login from Keycloak: every LTI registration stays off the realm's login page, whatever
     * the admin set, however many there are; the realm's other identity providers keep their buttons.
     */
    @Test
    void registrationsNeverAppearOnTheLoginPage() {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String alias = "shown-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
            idp.setAlias(alias);
            idp.setProviderId("lti");
            idp.setEnabled(true);
            idp.setHideOnLogin(false);
            Map<String, String> config = new HashMap<>(lti.platformConfig());
            config.put("clientId", "login-page-" + alias);
            idp.setConfig(config);
            try (Response created = lti.realm().identityProviders().create(idp)) {
                assertThat(created.getStatus()).as(created.readEntity(String.class)).isEqualTo(201);
            }
            aliases.add(alias);
        }
        IdentityProviderRepresentation oidc = new IdentityProviderRepresentation();
        oidc.setAlias("campus-sso");
        oidc.setProviderId("oidc");
        oidc.setEnabled(true);
        oidc.setHideOnLogin(false);
        oidc.setConfig(Map.of("authorizationUrl", "https://sso.example.edu/auth", "tokenUrl", "https://sso.example.edu/token",
                "clientId", "kc", "clientSecret", "s", "clientAuthMethod", "client_secret_post"));
        lti.realm().identityProviders().create(oidc).close();
        try {
            assertThat(lti.realm().identityProviders().get(aliases.get(0)).toRepresentation().isHideOnLogin())
                    .as("saved as hidden").isTrue();
            // the realm's login page, as any client of the realm shows it (here the tool's, opened without a launch)
            BrowserlessUserAgent.Page login = lti.userAgent().navigate(lti.realmUrl()
                    + "/protocol/openid-connect/auth?client_id=" + LtiRealm.TOOL_CLIENT_ID
                    + "&response_type=code&scope=openid&redirect_uri=" + java.net.URLEncoder.encode(
                    lti.tool().callbackUrl(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(login.body()).as(login.text()).contains("kc-form-login");
            assertThat(login.body()).as("the realm's other providers keep their button").contains("social-campus-sso");
            for (String alias : aliases) {
                assertThat(login.body()).doesNotContain(alias);
            }
            assertThat(login.body()).doesNotContain("social-" + LtiRealm.ALIAS);
        } finally {
            aliases.forEach(alias -> lti.realm().identityProviders().get(alias).remove());
            lti.realm().identityProviders().get("campus-sso").remove();
        }
    }

    /**
     * The console's "LTI realm setup" page (what a console-only admin has instead of the REST call): an entry naming
     * an unknown alias, or a registration that is no LTI one, is refused with what to fix and sets nothing up.
     */
    @Test
    void theConsolesRealmSetupPageSaysWhatToFixForAnAliasThatIsNoRegistration() {
        int flows = lti.realm().flows().getFlows().size();
        for (String alias : List.of("no-such-alias", "it's")) {
            org.keycloak.common.util.MultivaluedHashMap<String, String> config = new org.keycloak.common.util.MultivaluedHashMap<>();
            config.putSingle("registration", alias);
            try (Response refused = lti.addConsolePage("lti-realm-setup", config)) {
                assertThat(refused.getStatus()).isEqualTo(400);
                assertThat(refused.readEntity(String.class)).contains("There is no LTI 1.3 registration '" + alias + "'");
            }
        }
        assertThat(lti.realm().flows().getFlows()).hasSize(flows);
    }

    @Test
    void theSameIssuerMayBeRegisteredTwiceWithAnotherClientId() {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", "second-customer");
        try (Response response = lti.createPlatform("platform-b", config)) {
            assertThat(response.getStatus()).isEqualTo(201);
        }
        lti.setUpRealmFor("platform-b");
        BrowserlessUserAgent browser = lti.userAgent();
        String subject = "b-" + UUID.randomUUID();
        LtiMessage message = LtiMessage.resourceLink().user(subject, "Bea", "Second")
                .tweak(claims -> claims.audience("second-customer"));
        Map<String, String> initiation = new LinkedHashMap<>(lti.platform().loginInitiationParams(message));
        initiation.put("client_id", "second-customer");
        String launchUri = lti.server().realmUrl(lti.name()) + "/broker/platform-b/endpoint";
        Map<String, List<String>> request = authRequest(browser, launchUri, initiation);
        assertThat(request.get("client_id")).containsExactly("second-customer");

        var page = browser.post(launchUri, Map.of("state", request.get("state").get(0),
                "id_token", lti.platform().idToken(message, request.get("nonce").get(0))));

        assertThat(page.uri().toString()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.realm().users().get(lti.tool().lastLogin().subject()).getFederatedIdentity())
                .anySatisfy(link -> {
                    assertThat(link.getIdentityProvider()).isEqualTo("platform-b");
                    assertThat(link.getUserId()).isEqualTo(subject);
                });
    }

    @Test
    void unreachablePlatformKeysGiveAClearPage() {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", "keys-down");
        config.put("jwksUrl", "http://127.0.0.1:9/no-keys-here");
        try (Response response = lti.createPlatform("keys-down", config)) {
            assertThat(response.getStatus()).isEqualTo(201);
        }
        BrowserlessUserAgent browser = lti.userAgent();
        LtiMessage message = LtiMessage.resourceLink().user("k-" + UUID.randomUUID(), "Kay", "Down")
                .tweak(claims -> claims.audience("keys-down"));
        Map<String, String> initiation = new LinkedHashMap<>(lti.platform().loginInitiationParams(message));
        initiation.put("client_id", "keys-down");
        String launchUri = lti.server().realmUrl(lti.name()) + "/broker/keys-down/endpoint";
        Map<String, List<String>> request = authRequest(browser, launchUri, initiation);
        int users = lti.userCount();

        HttpResponse<String> response = browser.postOnce(launchUri, Map.of("state", request.get("state").get(0),
                "id_token", lti.platform().idToken(message, request.get("nonce").get(0))));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("lti_jwks_unavailable");
        assertThat(lti.userCount()).isEqualTo(users);
    }

    /**
     * New deployments are recorded on first sight, each in its own row: the registration is not rewritten, so two
     * launches recording at once (on one node or two) lose neither, nor an admin's edit made meanwhile.
     */
    @Test
    void newDeploymentsAreRecordedOnFirstSightWithoutRewritingTheRegistration() throws Exception {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", "records-deployments");
        config.put("recordNewDeployments", "true");
        try (Response response = lti.createPlatform("recording", config)) {
            assertThat(response.getStatus()).isEqualTo(201);
        }
        lti.setUpRealmFor("recording");
        List<String> fresh = List.of("deployment-a", "deployment-b", "deployment-c", "deployment-d");
        ExecutorService launches = Executors.newFixedThreadPool(fresh.size());
        try {
            List<Future<String>> landed = new ArrayList<>();
            for (String deploymentId : fresh) {
                landed.add(launches.submit(() -> lti.launchThrough("recording", "records-deployments",
                        LtiMessage.resourceLink().user("r-" + UUID.randomUUID(), "Rae", "Cord")
                                .deploymentId(deploymentId)).uri().toString()));
            }
            for (Future<String> page : landed) {
                assertThat(page.get(60, TimeUnit.SECONDS)).startsWith(lti.tool().callbackUrl());
            }
        } finally {
            launches.shutdownNow();
        }

        assertThat(lti.realm().identityProviders().get("recording").toRepresentation().getConfig().get("deploymentIds"))
                .as("the admin's list, unchanged").isEqualTo(LtiRealm.DEPLOYMENT_ID);
        HttpResponse<String> known = lti.adminLti("GET", "platforms/recording/deployments", null);
        assertThat(JSON.readValue(known.body(), List.class)).containsExactlyInAnyOrderElementsOf(
                concat(List.of(LtiRealm.DEPLOYMENT_ID), fresh));
        assertThat(lti.launchThrough("recording", "records-deployments", LtiMessage.resourceLink()
                .user("r-" + UUID.randomUUID(), "Rae", "Cord").deploymentId("deployment-c")).uri().toString())
                .as("a recorded deployment is known").startsWith(lti.tool().callbackUrl());

        assertThat(lti.adminLti("DELETE", "platforms/recording/deployments/deployment-c", null).statusCode())
                .isEqualTo(204);
        lti.updatePlatform("recording", Map.of("recordNewDeployments", "false"));
        assertThat(lti.launchThrough("recording", "records-deployments", LtiMessage.resourceLink()
                .user("r-" + UUID.randomUUID(), "Rae", "Cord").deploymentId("deployment-d")).uri().toString())
                .as("recorded deployments stay known").startsWith(lti.tool().callbackUrl());
        assertThatThrownBy(() -> lti.launchThrough("recording", "records-deployments", LtiMessage.resourceLink()
                .user("r-" + UUID.randomUUID(), "Rae", "Cord").deploymentId("deployment-c")))
                .as("a removed one is not").hasMessageContaining("lti_login_deployment_unknown");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Starts a login at {@code launchUri/login} and returns the authentication request Keycloak sent. */
    private static Map<String, List<String>> authRequest(BrowserlessUserAgent browser, String launchUri,
                                                         Map<String, String> initiation) {
        HttpResponse<String> response = browser.get(launchUri + "/login?" + QueryBuilder.encode(initiation));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        return Exchanges.multiParams(location.getRawQuery());
    }

    /**
     * Saving a registration only saves it: no flow is created, no built-in flow edited, nothing rebound. The realm
     * setup is the admin's explicit call, adds only what is missing, and never undoes what the admin chose.
     */
    @Test
    void savingARegistrationOnlySavesItAndTheExplicitRealmSetupKeepsTheAdminsChoices() {
        var realm = lti.realm();
        String builtInBrowser = realm.toRepresentation().getBrowserFlow();
        int browserSteps = realm.flows().getExecutions(builtInBrowser).size();
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        String clientId = "save-only-" + UUID.randomUUID();
        config.put("clientId", clientId);
        config.put("recordNewDeployments", "true");
        String alias = "save-only-" + UUID.randomUUID().toString().substring(0, 6);
        // a realm as it was before the setup: no "lti browser" flow, the tool client bound to nothing
        var client = realm.clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        client.setAuthenticationFlowBindingOverrides(new HashMap<>(Map.of("browser", ""))); // "" removes the binding
        realm.clients().get(client.getId()).update(client);
        realm.flows().getFlows().stream().filter(f -> f.getAlias().equals("lti browser")).findFirst()
                .ifPresent(f -> realm.flows().deleteFlow(f.getId()));
        try {
            try (Response response = lti.createPlatform(alias, config)) {
                assertThat(response.getStatus()).isEqualTo(201);
            }
            IdentityProviderRepresentation saved = realm.identityProviders().get(alias).toRepresentation();
            assertThat(saved.getFirstBrokerLoginFlowAlias()).as("left as the admin saved it").isNotEqualTo("lti first launch");
            assertThat(realm.flows().getExecutions(builtInBrowser)).as("the built-in browser flow is untouched")
                    .hasSize(browserSteps).noneMatch(e -> "lti-launch-hint".equals(e.getProviderId()));
            assertThat(realm.flows().getFlows()).noneMatch(f -> f.getAlias().equals("lti browser"));
            assertThat(realm.clients().get(client.getId()).toRepresentation().getAuthenticationFlowBindingOverrides())
                    .doesNotContainKey("browser");

            String answer = lti.setUpRealmFor(alias);

            assertThat(answer).contains("\"registrationBound\":true").contains(LtiRealm.TOOL_CLIENT_ID);
            String ltiBrowser = realm.flows().getFlows().stream().filter(f -> f.getAlias().equals("lti browser"))
                    .findFirst().orElseThrow().getId();
            assertThat(realm.flows().getExecutions("lti browser").get(0).getProviderId()).isEqualTo("lti-launch-hint");
            assertThat(realm.flows().getExecutions(builtInBrowser)).hasSize(browserSteps);
            assertThat(realm.clients().get(client.getId()).toRepresentation().getAuthenticationFlowBindingOverrides())
                    .containsEntry("browser", ltiBrowser);
            assertThat(realm.identityProviders().get(alias).toRepresentation().getFirstBrokerLoginFlowAlias())
                    .isEqualTo("lti first launch");

            // the admin chooses otherwise; saving, setting up again and launching keep those choices
            Map<String, Object> copy = Map.of("newName", "my first login " + alias);
            realm.flows().copy("lti first launch", copy).close();
            IdentityProviderRepresentation chosen = realm.identityProviders().get(alias).toRepresentation();
            chosen.setFirstBrokerLoginFlowAlias("my first login " + alias);
            realm.identityProviders().get(alias).update(chosen);
            var bound = realm.clients().get(client.getId()).toRepresentation();
            bound.setAuthenticationFlowBindingOverrides(new HashMap<>(Map.of("browser", realm.flows().getFlows().stream()
                    .filter(f -> f.getAlias().equals("browser")).findFirst().orElseThrow().getId())));
            realm.clients().get(client.getId()).update(bound);

            IdentityProviderRepresentation again = realm.identityProviders().get(alias).toRepresentation();
            realm.identityProviders().get(alias).update(again);
            assertThat(lti.setUpRealmFor(alias)).contains("\"registrationBound\":false").contains("\"toolClientsBound\":[]");
            // a launch through this registration that records a new deployment (which saves the registration)
            BrowserlessUserAgent browser = lti.userAgent();
            LtiMessage message = LtiMessage.resourceLink().user("kept-" + UUID.randomUUID(), "Kee", "Pt")
                    .deploymentId("deployment-" + alias).tweak(claims -> claims.audience(clientId));
            Map<String, String> initiation = new LinkedHashMap<>(lti.platform().loginInitiationParams(message));
            initiation.put("client_id", clientId);
            String launchUri = lti.server().realmUrl(lti.name()) + "/broker/" + alias + "/endpoint";
            Map<String, List<String>> request = authRequest(browser, launchUri, initiation);
            var launched = browser.post(launchUri, Map.of("state", request.get("state").get(0),
                    "id_token", lti.platform().idToken(message, request.get("nonce").get(0))));
            assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
            assertThat(lti.adminLti("GET", "platforms/" + alias + "/deployments", null).body())
                    .contains("deployment-" + alias);
            assertThat(realm.identityProviders().get(alias).toRepresentation().getFirstBrokerLoginFlowAlias())
                    .isEqualTo("my first login " + alias);
            assertThat(realm.clients().get(client.getId()).toRepresentation().getAuthenticationFlowBindingOverrides()
                    .get("browser")).isNotEqualTo(ltiBrowser);
        } finally {
            var restore = realm.clients().get(client.getId()).toRepresentation();
            restore.setAuthenticationFlowBindingOverrides(new HashMap<>(Map.of("browser", ""))); // "" removes the binding
            realm.clients().get(client.getId()).update(restore);
            lti.setUpRealmFor(LtiRealm.ALIAS);
        }
    }
}
