package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/** Launches that succeed: from the platform's login initiation to the tool logged in through ordinary OIDC. */
class LaunchIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";



    private static String newSubject() {
        return "user-" + UUID.randomUUID();
    }

    private static ToolLogin launch(BrowserlessUserAgent browser, LtiMessage message) {
        int before = lti.tool().logins().size();
        Page page = browser.navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.status()).as("final page %s: %s", page.uri(), page.text()).isEqualTo(200);
        assertThat(page.uri().toString()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().logins()).hasSize(before + 1);
        return lti.tool().lastLogin();
    }

    @Test
    void learnerLaunchLogsTheLearnerIntoTheToolWithTheLaunchClaims() {
        String subject = newSubject();
        LtiMessage message = LtiMessage.resourceLink().asLearner().user(subject, "Ada", "Lovelace")
                .email(subject + "@platform.example").context("course-101", "Introduction to Computing")
                .resourceLink("link-7", "Week 7").custom("chapter", "7");

        ToolLogin login = launch(lti.userAgent(), message);

        assertThat(login.username()).isEqualTo(("platform." + subject).toLowerCase());
        assertThat(login.claim(LTI + "message_type")).isEqualTo("LtiResourceLinkRequest");
        assertThat(login.claim(LTI + "version")).isEqualTo("1.3.0");
        assertThat(login.claim(LTI + "deployment_id")).isEqualTo(LtiRealm.DEPLOYMENT_ID);
        assertThat(login.claim(LTI + "target_link_uri")).isEqualTo(lti.tool().launchUrl());
        assertThat(asList(login.claim(LTI + "roles"))).containsExactly(LtiMessage.LEARNER, LtiMessage.STUDENT);
        assertThat(asMap(login.claim(LTI + "context"))).containsEntry("id", "course-101")
                .containsEntry("title", "Introduction to Computing");
        assertThat(asMap(login.claim(LTI + "resource_link"))).containsEntry("id", "link-7");
        assertThat(asMap(login.claim(LTI + "custom"))).containsEntry("chapter", "7");
        assertThat(asMap(login.claim("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice")))
                .containsKey("context_memberships_url");
        assertThat(asMap(login.claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")))
                .containsKey("lineitems");
        assertThat(asMap(login.claim("lti_platform"))).containsEntry("iss", lti.platform().issuer())
                .containsEntry("sub", subject).containsEntry("alias", LtiRealm.ALIAS);
        // the same claims in the access token and at userinfo
        assertThat(asMap(Jwts.claims(login.accessToken()).get(LTI + "context"))).containsEntry("id", "course-101");
        assertThat(asMap(login.userInfo().get(LTI + "context"))).containsEntry("id", "course-101");

        UserRepresentation user = lti.userLinkedTo(subject);
        assertThat(user).isNotNull();
        assertThat(user.getFirstName()).isEqualTo("Ada");
        assertThat(user.getLastName()).isEqualTo("Lovelace");
        assertThat(user.getEmail()).isEqualTo(subject + "@platform.example");
    }

    @Test
    void instructorLaunchWithPostedLoginInitiation() {
        String subject = newSubject();
        LtiMessage message = LtiMessage.resourceLink().asInstructor().user(subject, "Grace", "Hopper");
        BrowserlessUserAgent browser = lti.userAgent();

        Page page = browser.post(lti.launchUri() + "/login", lti.platform().loginInitiationParams(message));

        assertThat(page.uri().toString()).startsWith(lti.tool().callbackUrl());
        ToolLogin login = lti.tool().lastLogin();
        assertThat(login.username()).isEqualTo(("platform." + subject).toLowerCase());
        assertThat(asList(login.claim(LTI + "roles"))).contains(LtiMessage.INSTRUCTOR);
    }

    /**
     * The least a platform may send: {@code iss}, {@code login_hint}, {@code target_link_uri}. The registration is
     * the one whose login URL was called, so it is never ambiguous; the client id and deployment come from it and
     * from the id_token.
     */
    @Test
    void aMinimalLoginInitiationIsAccepted() {
        String subject = newSubject();
        Page page = lti.userAgent().navigate(lti.platform().minimalLoginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Min", "Imal")));

        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + subject).toLowerCase());
    }

    @Test
    void theAuthenticationRequestCarriesWhatStrictPlatformsRequire() {
        LtiMessage message = LtiMessage.resourceLink().user(newSubject(), "Ada", "Lovelace");
        launch(lti.userAgent(), message);

        Map<String, String> request = lti.platform().authRequests().get(lti.platform().authRequests().size() - 1);
        assertThat(request).containsEntry("scope", "openid").containsEntry("response_type", "id_token")
                .containsEntry("response_mode", "form_post").containsEntry("prompt", "none")
                .containsEntry("client_id", LtiRealm.PLATFORM_CLIENT_ID).containsEntry("redirect_uri", lti.launchUri())
                .containsEntry("login_hint", message.subject()).containsKeys("lti_message_hint", "state", "nonce");
    }

    @Test
    void deepLinkingLaunchGivesTheToolTheDeepLinkingSettings() {
        LtiMessage message = LtiMessage.deepLinking().user(newSubject(), "Grace", "Hopper");

        ToolLogin login = launch(lti.userAgent(), message);

        assertThat(login.claim(LTI + "message_type")).isEqualTo("LtiDeepLinkingRequest");
        Map<String, Object> settings = asMap(login.claim("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"));
        assertThat(settings.get("deep_link_return_url")).asString()
                .startsWith(lti.platform().baseUrl() + "/deep-link-return?return_for=");
        assertThat(settings.get("data")).asString().startsWith("dl-data-");
    }

    @Test
    void aSecondLaunchFromAnotherCourseGivesTheToolTheSecondLaunchsClaims() {
        String subject = newSubject();
        BrowserlessUserAgent browser = lti.userAgent();
        launch(browser, LtiMessage.resourceLink().user(subject, "Ada", "Lovelace").context("course-A", "Course A"));

        ToolLogin second = launch(browser,
                LtiMessage.resourceLink().asInstructor().user(subject, "Ada", "Lovelace").context("course-B", "Course B"));

        assertThat(asMap(second.claim(LTI + "context"))).containsEntry("id", "course-B");
        assertThat(asList(second.claim(LTI + "roles"))).contains(LtiMessage.INSTRUCTOR);
    }

    @Test
    void aSecondLearnerOnTheSameBrowserIsLoggedInAsThemselves() {
        BrowserlessUserAgent sharedComputer = lti.userAgent();
        String first = newSubject();
        String second = newSubject();
        launch(sharedComputer, LtiMessage.resourceLink().user(first, "Ada", "Lovelace"));

        ToolLogin login = launch(sharedComputer, LtiMessage.resourceLink().user(second, "Alan", "Turing"));

        assertThat(login.username()).isEqualTo(("platform." + second).toLowerCase());
        assertThat(asMap(login.claim("lti_platform"))).containsEntry("sub", second);
        assertThat(login.claim("given_name")).isEqualTo("Alan");
    }

    @Test
    void aLaterLaunchUpdatesTheUsersNameAndEmail() {
        String subject = newSubject();
        launch(lti.userAgent(), LtiMessage.resourceLink().user(subject, "Ada", "Byron").email(subject + "@old.example"));

        launch(lti.userAgent(), LtiMessage.resourceLink().user(subject, "Ada", "Lovelace").email(subject + "@new.example"));

        UserRepresentation user = lti.userLinkedTo(subject);
        assertThat(user.getLastName()).isEqualTo("Lovelace");
        assertThat(user.getEmail()).isEqualTo(subject + "@new.example");
        assertThat(lti.realm().users().search(("platform." + subject).toLowerCase(), true)).hasSize(1);
    }

    @Test
    void ltiRolesBecomeKeycloakRolesThroughTheRoleMapper() {
        RoleRepresentation teacher = new RoleRepresentation();
        teacher.setName("teacher");
        lti.realm().roles().create(teacher);
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("instructors are teachers");
        mapper.setIdentityProviderAlias(LtiRealm.ALIAS);
        mapper.setIdentityProviderMapper("lti-role-mapper");
        mapper.setConfig(Map.of("lti.role", "Instructor", "role", "teacher", "syncMode", "FORCE"));
        lti.realm().identityProviders().get(LtiRealm.ALIAS).addMapper(mapper).close();
        try {
            String instructor = newSubject();
            String learner = newSubject();
            launch(lti.userAgent(), LtiMessage.resourceLink().asInstructor().user(instructor, "Grace", "Hopper"));
            launch(lti.userAgent(), LtiMessage.resourceLink().asLearner().user(learner, "Ada", "Lovelace"));

            assertThat(realmRoles(instructor)).contains("teacher");
            assertThat(realmRoles(learner)).doesNotContain("teacher");

            // FORCE: the next launch without the role takes it away
            launch(lti.userAgent(), LtiMessage.resourceLink().asLearner().user(instructor, "Grace", "Hopper"));
            assertThat(realmRoles(instructor)).doesNotContain("teacher");
        } finally {
            removeMappers();
        }
    }

    @Test
    void aClaimBecomesAUserAttributeThroughTheAttributeMapper() {
        lti.declareUserAttribute("sis_id");
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("sis id");
        mapper.setIdentityProviderAlias(LtiRealm.ALIAS);
        mapper.setIdentityProviderMapper("lti-claim-to-user-attribute-mapper");
        mapper.setConfig(Map.of("claim", LTI + "lis.person_sourcedid", "user.attribute", "sis_id", "syncMode", "FORCE"));
        lti.realm().identityProviders().get(LtiRealm.ALIAS).addMapper(mapper).close();
        try {
            String subject = newSubject();
            launch(lti.userAgent(), LtiMessage.resourceLink().user(subject, "Ada", "Lovelace"));

            UserRepresentation user = lti.realm().users().get(lti.userLinkedTo(subject).getId()).toRepresentation();
            assertThat(user.getAttributes()).containsEntry("sis_id", List.of("sis-" + subject));
        } finally {
            removeMappers();
        }
    }

    @Test
    void aFirstLaunchWithTheEmailOfAnExistingAccountIsNotLinkedToIt() {
        UserRepresentation existing = new UserRepresentation();
        existing.setUsername("staff-" + UUID.randomUUID());
        existing.setEmail("taken-" + UUID.randomUUID() + "@university.example");
        existing.setEnabled(true);
        lti.realm().users().create(existing).close();
        String subject = newSubject();
        int hits = lti.tool().launchHits();

        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Mal", "Lory").email(existing.getEmail())));

        assertThat(page.status()).as(page.text()).isEqualTo(409);
        assertThat(page.text()).contains("already exists").contains("lti_account_exists");
        assertThat(lti.userLinkedTo(subject)).isNull();
        assertThat(lti.tool().launchHits()).isEqualTo(hits);
        UserRepresentation stillAlone = lti.realm().users().search(existing.getUsername(), true).get(0);
        assertThat(lti.realm().users().get(stillAlone.getId()).getFederatedIdentity()).isEmpty();
    }

    /**
     * A registration whose first-login flow can link existing accounts (Keycloak's "first broker login": confirm link,
     * re-authenticate, verify by email): refused before the flow runs, even for a launch carrying someone's email.
     */
    @Test
    void aFirstLoginFlowThatCanLinkAccountsIsRefusedAndLinksNothing() {
        UserRepresentation existing = new UserRepresentation();
        existing.setUsername("victim-" + UUID.randomUUID());
        existing.setEmail("victim-" + UUID.randomUUID() + "@university.example");
        existing.setEnabled(true);
        lti.realm().users().create(existing).close();
        var idp = lti.realm().identityProviders().get(LtiRealm.ALIAS);
        var registration = idp.toRepresentation();
        String before = registration.getFirstBrokerLoginFlowAlias();
        String flow = "linking " + UUID.randomUUID().toString().substring(0, 6);
        lti.realm().flows().copy("first broker login", Map.of("newName", flow)).close();
        registration.setFirstBrokerLoginFlowAlias(flow);
        idp.update(registration);
        try {
            String subject = newSubject();
            Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                    LtiMessage.resourceLink().user(subject, "Mal", "Lory").email(existing.getEmail())));

            assertThat(page.status()).as(page.text()).isEqualTo(403);
            assertThat(page.text()).contains("lti_first_login_flow_links_accounts");
            assertThat(lti.userLinkedTo(subject)).isNull();
            UserRepresentation victim = lti.realm().users().search(existing.getUsername(), true).get(0);
            assertThat(lti.realm().users().get(victim.getId()).getFederatedIdentity()).isEmpty();
        } finally {
            registration.setFirstBrokerLoginFlowAlias(before);
            idp.update(registration);
        }
    }

    /**
     * The same learner (same email) arriving through a second registration of the realm (e.g. one added by Dynamic
     * Registration): the extension's page that says what the admin may do, counted as refused, no second account.
     */
    @Test
    void theSameLearnerThroughASecondRegistrationGetsTheExtensionsPageAndNoSecondAccount() {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", "second-registration");
        try (Response created = lti.createPlatform("second", config)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        lti.setUpRealmFor("second");
        String subject = newSubject();
        String email = subject + "@school.example";
        launch(lti.userAgent(), LtiMessage.resourceLink().user(subject, "Ada", "Twice").email(email));
        int users = lti.userCount();

        Page page = lti.launchThrough("second", "second-registration",
                LtiMessage.resourceLink().user(subject, "Ada", "Twice").email(email));

        assertThat(page.status()).as(page.text()).isEqualTo(409);
        assertThat(page.text()).contains("lti_account_exists").contains("'second'").contains("Link account");
        assertThat(lti.userCount()).isEqualTo(users);
        String metrics = lti.userAgent().get(lti.server().managementUrl() + "/metrics").body();
        assertThat(metrics).containsPattern("lti_launches_total\\{message_type=\"unknown\","
                + "outcome=\"lti_account_exists\",platform=\"second\"} [1-9]");
    }

    @Test
    void keycloaksLoginPageCannotStartAnLtiLogin() {
        Page page = lti.userAgent().navigate(lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/auth"
                + "?client_id=" + LtiRealm.TOOL_CLIENT_ID + "&response_type=code&scope=openid&redirect_uri="
                + java.net.URLEncoder.encode(lti.tool().callbackUrl(), java.nio.charset.StandardCharsets.UTF_8)
                + "&kc_idp_hint=" + LtiRealm.ALIAS);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.text()).contains("lti_not_started_by_platform").contains("Open this tool from your course");
    }

    @Test
    void launchesAreCountedByPlatformMessageTypeAndOutcome() {
        launch(lti.userAgent(), LtiMessage.resourceLink().user(newSubject(), "Ada", "Lovelace"));
        lti.userAgent().post(lti.launchUri(), Map.of("state", "forged", "id_token", "x.y.z"));

        String metrics = lti.userAgent().get(lti.server().managementUrl() + "/metrics").body();

        assertThat(metrics).containsPattern("lti_launches_total\\{message_type=\"LtiResourceLinkRequest\","
                + "outcome=\"success\",platform=\"platform\"} [1-9]");
        assertThat(metrics).containsPattern("lti_launches_total\\{message_type=\"unknown\","
                + "outcome=\"lti_state_unknown\",platform=\"platform\"} [1-9]");
        assertThat(metrics).as("the metric says what it counts").containsPattern("# HELP lti_launches(_total)? LTI launches received");
    }

    /** The tool's launch URL for the LMS: the tool client's Home URL, or its attribute lti.target_link_uri. */
    @Test
    void theToolsLaunchUrlForTheLmsIsTheClientsHomeUrlOrItsAttribute() {
        var clients = lti.realm().clients();
        ClientRepresentation tool = clients.findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        ClientRepresentation before = clients.get(tool.getId()).toRepresentation();
        String base = lti.server().realmUrl(lti.name()) + "/lti/platforms/" + LtiRealm.ALIAS;
        try {
            tool.setRootUrl(lti.tool().baseUrl());
            tool.setBaseUrl("/launch");
            clients.get(tool.getId()).update(tool);
            assertThat(Jwts.json(lti.userAgent().get(base + "/tool-configuration").body()))
                    .containsEntry("target_link_uri", lti.tool().launchUrl());
            assertThat(Jwts.json(lti.userAgent().get(base + "/canvas-configuration").body()))
                    .containsEntry("target_link_uri", lti.tool().launchUrl());

            tool.getAttributes().put("lti.target_link_uri", lti.tool().baseUrl() + "/lti/start");
            clients.get(tool.getId()).update(tool);
            assertThat(Jwts.json(lti.userAgent().get(base + "/tool-configuration").body()))
                    .containsEntry("target_link_uri", lti.tool().baseUrl() + "/lti/start");
        } finally {
            before.getAttributes().put("lti.target_link_uri", "");
            before.setBaseUrl("");
            before.setRootUrl(before.getRootUrl() == null ? "" : before.getRootUrl());
            clients.get(tool.getId()).update(before);
        }
    }

    @Test
    void toolConfigurationListsTheUrlsForTheLmsAdmin() {
        var response = lti.userAgent().get(lti.server().realmUrl(lti.name()) + "/lti/platforms/" + LtiRealm.ALIAS
                + "/tool-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Jwts.json(response.body());
        assertThat(body).containsEntry("login_initiation_url", lti.launchUri() + "/login")
                .containsEntry("redirect_uris", List.of(lti.launchUri()))
                .containsEntry("jwks_url", lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/certs")
                .containsEntry("client_id", LtiRealm.PLATFORM_CLIENT_ID);
        assertThat(response.body()).doesNotContain(LtiRealm.TOOL_SECRET);
        assertThat(body).as("no Canvas URL for a platform that is not Canvas").doesNotContainKey("canvas_configuration_url");
        assertThat(lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation().getConfig())
                .containsKey("loginInitiationUrl").doesNotContainKey("canvasConfigurationUrl");

        String base = lti.server().realmUrl(lti.name()) + "/lti/platforms/" + LtiRealm.ALIAS;
        try {
            var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/tool-configuration")).header("Accept", "text/html").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            org.jsoup.nodes.Document shown = org.jsoup.Jsoup.parse(page.body());
            assertThat(shown.getElementById("login_initiation_url").text()).as("whole, not in an input")
                    .isEqualTo(lti.launchUri() + "/login");
            assertThat(shown.select("button[data-copy=login_initiation_url]")).as("a copy button").hasSize(1);
            assertThat(shown.select("input")).isEmpty();
            assertThat(shown.getElementById("canvas_configuration_url")).as("no Canvas URL for a platform that is not Canvas")
                    .isNull();
            assertThat(shown.getElementById("lti-registration-in-console").attr("href"))
                    .endsWith("#/" + lti.name() + "/identity-providers/lti/" + LtiRealm.ALIAS + "/settings");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'nonce-");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, Object> canvas = Jwts.json(lti.userAgent().get(base + "/canvas-configuration").body());
        assertThat(canvas).containsEntry("oidc_initiation_url", lti.launchUri() + "/login")
                .containsEntry("public_jwk_url", lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/certs");
        assertThat(canvas.get("extensions").toString()).contains("course_navigation").contains("LtiDeepLinkingRequest");
    }

    /**
     * The partitioned SSO cookie is for launches that ran on the partitioned login cookie only (a frame blocking
     * third-party cookies): an ordinary launch gets Keycloak's own cookies and never a partitioned one.
     */
    @Test
    void anOrdinaryLaunchNeverGetsAPartitionedCookie() {
        LtiMessage message = LtiMessage.resourceLink().user("plain-" + UUID.randomUUID(), "Plain", "Cookie");
        BrowserlessUserAgent browser = lti.userAgent();
        java.net.http.HttpResponse<String> initiation = browser.get(lti.platform().loginInitiationUrl(message),
                Map.of());
        assertThat(initiation.statusCode()).as(initiation.body()).isEqualTo(302);
        assertThat(initiation.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("Partitioned"));
        java.net.URI request = java.net.URI.create(initiation.headers().firstValue("Location").orElseThrow());
        Map<String, List<String>> params = io.github.keycloaklti.testsupport.http.Exchanges.multiParams(
                request.getRawQuery());
        String idToken = lti.platform().idToken(message, params.get("nonce").get(0));

        java.net.http.HttpResponse<String> launched = browser.postOnce(lti.launchUri(),
                Map.of("id_token", idToken, "state", params.get("state").get(0)),
                BrowserlessUserAgent.formPostedFrom(java.net.URI.create(lti.platform().baseUrl()),
                        java.net.URI.create(lti.launchUri())));

        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(302);
        assertThat(launched.headers().firstValue("Location").orElseThrow()).startsWith(lti.tool().launchUrl());
        List<String> cookies = launched.headers().allValues("Set-Cookie");
        assertThat(cookies).as("Keycloak's SSO cookie, as for any login").anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY="));
        assertThat(cookies).as("and no partitioned one").noneMatch(c -> c.contains("Partitioned"));
    }

    /**
     * The second try of a login initiation in a frame that blocks third-party cookies sets Keycloak's login cookie
     * again, partitioned: with the very value Keycloak writes into its own cookie (the signed session id, and in a
     * cluster the node's route, encoded as this Keycloak release encodes it), else the launch would not find its login.
     */
    @Test
    void thePartitionedLoginCookieCarriesKeycloaksOwnValue() {
        List<String> values = partitionedLoginCookieAndKeycloaks(lti);
        assertThat(values.get(0)).as("partitioned vs Keycloak's own").isEqualTo(values.get(1));
    }

    /** The values of the partitioned login cookie and of Keycloak's own, from one second try in a frame. */
    static List<String> partitionedLoginCookieAndKeycloaks(LtiRealm realm) {
        LtiMessage framed = LtiMessage.resourceLink().user("frame-" + UUID.randomUUID(), "Katherine", "Johnson");
        java.net.http.HttpResponse<String> secondTry = realm.userAgent().get(realm.platform().loginInitiationUrl(framed)
                + "&kc_lti_partitioned=1", Map.of("Sec-Fetch-Dest", "iframe"));
        assertThat(secondTry.statusCode()).as(secondTry.body()).isEqualTo(200);
        List<String> cookies = secondTry.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("AUTH_SESSION_ID=")).toList();
        String partitioned = cookies.stream().filter(c -> c.contains("Partitioned")).findFirst().orElseThrow();
        String keycloaks = cookies.stream().filter(c -> !c.contains("Partitioned")).findFirst().orElseThrow();
        return List.of(partitioned.substring(0, partitioned.indexOf(';')), keycloaks.substring(0, keycloaks.indexOf(';')));
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private List<String> realmRoles(String subject) {
        return lti.realm().users().get(lti.userLinkedTo(subject).getId()).roles().realmLevel().listEffective()
                .stream().map(RoleRepresentation::getName).toList();
    }

    private void removeMappers() {
        var idp = lti.realm().identityProviders().get(LtiRealm.ALIAS);
        idp.getMappers().forEach(m -> idp.delete(m.getId()));
    }
}
