package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;

/** LTI Dynamic Registration 1.0: an admin's one-time link, pasted into the LMS, registers the platform. */
class DynamicRegistrationIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Keycloak admin;

    @BeforeAll
    static void keepAdmin(Keycloak keycloakAdmin) {
        admin = keycloakAdmin;
    }

    @AfterAll
    static void noRegistrationTokenInTheLog() {
        String log = lti.server().log();
        assertThat(lti.platform().dynamicRegistration().issuedTokens()).isNotEmpty();
        for (String token : lti.platform().dynamicRegistration().issuedTokens()) {
            assertThat(log).as("no registration token in Keycloak's log").doesNotContain(token);
        }
    }


    private static HttpResponse<String> adminCall(String method, String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(lti.server().baseUrl() + "/admin/realms/"
                + lti.name() + "/lti/" + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            request.header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newLink() throws Exception {
        HttpResponse<String> created = adminCall("POST", "dynamic-registration-links", JSON.writeValueAsString(Map.of(
                "toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID), "targetLinkUri", lti.tool().launchUrl(),
                "expiresInSeconds", 600, "enableOnRegistration", true)), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) JSON.readValue(created.body(), Map.class).get("url");
    }

    private static List<IdentityProviderRepresentation> ltiProviders() {
        return lti.realm().identityProviders().findAll().stream().filter(idp -> "lti".equals(idp.getProviderId())).toList();
    }

    /**
     * The console's "LTI registration links" page (saved here through the admin REST the console uses): the entry
     * shows until when its link works, and once a platform used it, when and which registration it created;
     * saving the used entry again issues nothing.
     */
    @Test
    void aLinkIssuedOnTheConsolePageShowsThereWhetherItWasUsed() throws Exception {
        String id = addedLinkPage(Map.of("enableOnRegistration", "true"));
        var issued = lti.realm().components().component(id).toRepresentation();
        String link = linkOf(id);
        assertThat(link).startsWith(lti.server().realmUrl(lti.name()) + "/lti/dynamic-registration?link=");
        assertThat(issued.getConfig().getFirst("state")).startsWith("unused, valid until ")
                .contains(issued.getConfig().getFirst("expiresAt"));

        // a registration that fails (the platform answers with a client id already registered) marks nothing
        lti.platform().dynamicRegistration().answerWithClientId(LtiRealm.PLATFORM_CLIENT_ID);
        try {
            assertThat(lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link)).status())
                    .isEqualTo(400);
        } finally {
            lti.platform().dynamicRegistration().behaveNormally();
        }
        assertThat(lti.realm().components().component(id).toRepresentation().getConfig().getFirst("state"))
                .isEqualTo(issued.getConfig().getFirst("state"));

        Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));
        assertThat(page.text()).contains("Keycloak is registered");

        var used = lti.realm().components().component(id).toRepresentation();
        String alias = ltiProviders().stream().filter(idp -> lti.platform().clientId().equals(
                idp.getConfig().get("clientId"))).findFirst().orElseThrow().getAlias();
        assertThat(used.getConfig().getFirst("state")).startsWith("used ")
                .endsWith("registered as identity provider '" + alias + "'");
        lti.realm().components().component(id).update(used);
        assertThat(linkOf(id))
                .as("saving a used entry again issues no link").isEqualTo(link);
    }

    /**
     * A link issued on the console page says until when it works (its lifetime, from the save): nothing rewrites the
     * entry later (no task scans the realms); saving it again while unused keeps the same link.
     */
    @Test
    void anUnusedEntrySaysUntilWhenItsLinkWorksAndSavingAgainKeepsIt() throws Exception {
        java.time.Instant saved = java.time.Instant.now();
        String id = addedLinkPage(Map.of("expiresInSeconds", "600"));
        var issued = lti.realm().components().component(id).toRepresentation();
        String link = linkOf(id);
        java.time.Instant expiresAt = java.time.Instant.parse(issued.getConfig().getFirst("expiresAt"));
        assertThat(expiresAt).isBetween(saved.plusSeconds(595), saved.plusSeconds(610));
        assertThat(issued.getConfig().getFirst("state")).isEqualTo("unused, valid until " + expiresAt);

        lti.realm().components().component(id).update(issued);
        assertThat(linkOf(id)).as("still unused: the same link").isEqualTo(link);
    }

    /**
     * The expiry shown on the page is an input anyone who may edit the entry can type over: the link keeps its own
     * lifetime in Keycloak's store, and keeps registering.
     */
    @Test
    void anExpiryTypedIntoTheFormChangesNothingOfTheLink() throws Exception {
        String id = addedLinkPage(Map.of("expiresInSeconds", "600"));
        var issued = lti.realm().components().component(id).toRepresentation();
        String link = linkOf(id);
        issued.getConfig().putSingle("expiresAt", "2000-01-01T00:00:00Z");
        lti.realm().components().component(id).update(issued);
        assertThat(linkOf(id)).isEqualTo(link);
        assertThat(lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link)).text())
                .contains("Keycloak is registered");
    }

    @Test
    void aPlatformRegisteredByLinkLaunchesWithoutAnyUrlTypedByHand() throws Exception {
        String link = newLink();
        assertThat(link).startsWith(lti.server().realmUrl(lti.name()) + "/lti/dynamic-registration?link=");
        int providers = ltiProviders().size();

        Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));

        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.text()).contains("Keycloak is registered");
        assertThat(page.body()).contains("org.imsglobal.lti.close");
        Map<String, Object> sent = lti.platform().dynamicRegistration().registrations().get(
                lti.platform().dynamicRegistration().registrations().size() - 1);
        assertThat(sent.get("jwks_uri")).isEqualTo(lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/certs");
        assertThat((String) sent.get("scope")).contains("contextmembership.readonly").contains("lti-ags/scope/score");
        assertThat(ltiProviders()).hasSize(providers + 1);
        IdentityProviderRepresentation created = ltiProviders().stream()
                .filter(idp -> lti.platform().clientId().equals(idp.getConfig().get("clientId"))).findFirst().orElseThrow();
        assertThat(created.getConfig()).containsEntry("issuer", lti.platform().issuer())
                .containsEntry("deploymentIds", lti.platform().deploymentId())
                .containsEntry("authorizationUrl", lti.platform().authorizationUrl())
                .containsEntry("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
        assertThat((String) sent.get("initiate_login_uri")).endsWith("/broker/" + created.getAlias() + "/endpoint/login");
        assertThat(lti.platform().receivedUserAgents()).as("Keycloak's calls say what they are")
                .filteredOn(call -> call.startsWith("/dr/openid-configuration ") || call.startsWith("/dr/register "))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(call -> assertThat(call).matches("\\S+ keycloak-lti/\\S+ \\(Keycloak 26\\.\\d+\\.\\d+.*\\)"));

        String subject = "dr-" + UUID.randomUUID();
        Page launched = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Dee", "Arr")));
        assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.realm().users().get(lti.tool().lastLogin().subject()).getFederatedIdentity())
                .anySatisfy(identity -> assertThat(identity.getIdentityProvider()).isEqualTo(created.getAlias()));
    }

    /**
     * A registration by link sets up what launches need (flows and bindings), but not the learner profile: that
     * changes the realm's user profile and its clients' scopes, which the admin who issued the link may not be
     * allowed to (the README says to run the realm setup for it). Here on a realm as Keycloak makes it (names and email
     * required of every login, the tool client with {@code basic}), both left as they were.
     */
    @Test
    void aRegistrationByLinkLeavesTheUserProfileAndTheToolClientsScopesAsTheyWere() throws Exception {
        List<String> attributes = List.of("email", "firstName", "lastName");
        UPConfig profile = lti.realm().users().userProfile().getConfiguration();
        attributes.forEach(name -> profile.getAttribute(name).getRequired().setScopes(null));
        lti.realm().users().userProfile().update(profile);
        ClientResource tool = lti.realm().clients().get(lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID)
                .get(0).getId());
        Map<String, String> scopeIds = new java.util.HashMap<>();
        lti.realm().clientScopes().findAll().forEach(scope -> scopeIds.put(scope.getName(), scope.getId()));
        tool.removeDefaultClientScope(scopeIds.get("lti-basic"));
        tool.addDefaultClientScope(scopeIds.get("basic"));
        try {
            Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(newLink()));
            assertThat(page.text()).contains("Keycloak is registered");

            UPConfig after = lti.realm().users().userProfile().getConfiguration();
            attributes.forEach(name -> assertThat(after.getAttribute(name).getRequired().getScopes()).as(name)
                    .isNullOrEmpty());
            assertThat(tool.toRepresentation().getDefaultClientScopes()).contains("basic").doesNotContain("lti-basic");
        } finally {
            lti.setUpRealmFor(LtiRealm.ALIAS); // the learner profile back, for the other tests
        }
        assertThat(tool.toRepresentation().getDefaultClientScopes()).as("the admin's setup applies it")
                .contains("lti-basic").doesNotContain("basic");
    }

    @Test
    void aUsedLinkRegistersNothingTheSecondTime() throws Exception {
        String link = newLink();
        assertThat(lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link)).status()).isEqualTo(200);
        int providers = ltiProviders().size();
        int registrations = lti.platform().dynamicRegistration().registrations().size();

        Page again = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.text()).contains("already used, has expired, or was never issued");
        assertThat(ltiProviders()).hasSize(providers);
        assertThat(lti.platform().dynamicRegistration().registrations()).hasSize(registrations);
    }

    @Test
    void aForgedLinkIsRejectedAndNothingIsSent() {
        int providers = ltiProviders().size();
        int registrations = lti.platform().dynamicRegistration().registrations().size();

        Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(
                lti.server().realmUrl(lti.name()) + "/lti/dynamic-registration?link=forged-" + UUID.randomUUID()));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.text()).contains("already used, has expired, or was never issued");
        assertThat(ltiProviders()).hasSize(providers);
        assertThat(lti.platform().dynamicRegistration().registrations()).hasSize(registrations);
    }

    @Test
    void theLinkOpenedWithoutThePlatformSaysWhereToPasteIt() throws Exception {
        String link = newLink();
        Page page = lti.userAgent().navigate(link);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.text()).contains("register tool by URL");
        // the link was not spent by that mistake
        assertThat(lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link)).status())
                .isEqualTo(200);
    }

    /**
     * A learning company registers each school into its organization: the link names it, the registration joins it,
     * and the school's learners become its members at their first launch.
     */
    @Test
    void aLinkThatNamesAnOrganizationRegistersThePlatformIntoIt() throws Exception {
        String district = lti.createOrganization("district-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> unknown = adminCall("POST", "dynamic-registration-links", JSON.writeValueAsString(Map.of(
                "toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID), "targetLinkUri", lti.tool().launchUrl(),
                "organization", "no-such-district")), true);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("there is no organization 'no-such-district'");

        HttpResponse<String> created = adminCall("POST", "dynamic-registration-links", JSON.writeValueAsString(Map.of(
                "toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID), "targetLinkUri", lti.tool().launchUrl(),
                "enableOnRegistration", true, "organization", district)), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String link = (String) JSON.readValue(created.body(), Map.class).get("url");
        Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));
        assertThat(page.text()).as(page.text()).contains("Keycloak is registered");

        IdentityProviderRepresentation registered = ltiProviders().stream()
                .filter(idp -> lti.platform().clientId().equals(idp.getConfig().get("clientId"))).findFirst().orElseThrow();
        assertThat(registered.getOrganizationId()).isEqualTo(district);
        String subject = "district-learner-" + UUID.randomUUID();
        Page launched = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Dee", "Strict")));
        assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.organizationMembers(district)).contains(lti.tool().lastLogin().subject());
    }

    @Test
    void linksAreForAdminsAndForExistingClients() throws Exception {
        assertThat(adminCall("POST", "dynamic-registration-links", "{\"toolClientIds\":[\"demo-tool\"]}", false)
                .statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = adminCall("POST", "dynamic-registration-links",
                "{\"toolClientIds\":[\"no-such-client\"]}", true);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("there is no client 'no-such-client'");
        HttpResponse<String> foreignTarget = adminCall("POST", "dynamic-registration-links",
                "{\"toolClientIds\":[\"demo-tool\"],\"targetLinkUri\":\"https://evil.example/launch\"}", true);
        assertThat(foreignTarget.statusCode()).isEqualTo(400);
    }

    @Test
    void deploymentsAreListedAddedAndRemovedThroughAdminRest() throws Exception {
        String path = "platforms/" + LtiRealm.ALIAS + "/deployments";
        assertThat(adminCall("GET", path, null, true).body()).contains(LtiRealm.DEPLOYMENT_ID);

        HttpResponse<String> added = adminCall("POST", path, "{\"deploymentId\":\"deployment-2\"}", true);
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation().getConfig().get("deploymentIds"))
                .isEqualTo(LtiRealm.DEPLOYMENT_ID + "##deployment-2");

        assertThat(adminCall("DELETE", path + "/deployment-2", null, true).statusCode()).isEqualTo(204);
        assertThat(adminCall("GET", path, null, true).body()).doesNotContain("deployment-2");
        assertThat(adminCall("DELETE", path + "/deployment-2", null, true).statusCode()).isEqualTo(404);
        assertThat(adminCall("GET", path, null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void theLmsAdminPageIsToldToCloseByTheRegistrationFrame() throws Exception {
        String link = newLink();
        WebDriver browser = HeadlessChromium.start(true);
        try {
            browser.get(lti.platform().baseUrl() + "/dr/start?url=" + java.net.URLEncoder.encode(link, "UTF-8"));
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(ExpectedConditions.textToBe(By.id("status"), "closed"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void canvasGetsItsPlacementsAndPrivacyLevelAndItsDeploymentIsRecordedAtTheFirstLaunch() throws Exception {
        try (PlatformEmulator canvas = PlatformEmulator.start("127.0.0.1", 0, lti.server().certificate().serverSslContext())) {
            canvas.dynamicRegistration().actAsCanvas();

            Page page = lti.userAgent().navigate(canvas.dynamicRegistration().registrationUrl(newLink()));

            assertThat(page.status()).as(page.text()).isEqualTo(200);
            Map<String, Object> sent = canvas.dynamicRegistration().registrations().get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> tool = (Map<String, Object>) sent.get("https://purl.imsglobal.org/spec/lti-tool-configuration");
            assertThat(tool).containsEntry("https://canvas.instructure.com/lti/privacy_level", "public");
            assertThat(JSON.writeValueAsString(tool.get("messages"))).contains("course_navigation")
                    .contains("link_selection").contains("assignment_selection");
            IdentityProviderRepresentation created = ltiProviders().stream()
                    .filter(idp -> canvas.issuer().equals(idp.getConfig().get("issuer"))).findFirst().orElseThrow();
            assertThat(created.getConfig()).containsEntry("recordNewDeployments", "true");
            assertThat(created.getConfig().get("deploymentIds")).isNullOrEmpty();

            String subject = "canvas-" + UUID.randomUUID();
            Page launched = lti.userAgent().navigate(canvas.loginInitiationUrl(
                    LtiMessage.resourceLink().user(subject, "Can", "Vas").deploymentId("1:canvas-deployment")));

            assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
            assertThat(JSON.readValue(adminCall("GET", "platforms/" + created.getAlias() + "/deployments", null, true)
                    .body(), List.class)).containsExactly("1:canvas-deployment");
        }
    }

    /**
     * The link of a console page entry, as an admin who may manage identity providers reads it (the page, which
     * realm viewers read too, never shows it).
     */
    private static String linkOf(String entryId) {
        java.net.http.HttpResponse<String> answer = lti.adminLti("GET", "dynamic-registration-links/" + entryId, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            return (String) JSON.readValue(answer.body(), Map.class).get("url");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Saves an entry of the console's "LTI registration links" page, through the admin REST the console uses: the
     * tool clients, the tool's launch URL and {@code settings}.
     */
    private static jakarta.ws.rs.core.Response addLinkPage(List<String> toolClientIds, Map<String, String> settings) {
        org.keycloak.common.util.MultivaluedHashMap<String, String> config = new org.keycloak.common.util.MultivaluedHashMap<>();
        config.put("toolClientIds", toolClientIds);
        config.putSingle("targetLinkUri", lti.tool().launchUrl());
        settings.forEach(config::putSingle);
        return lti.addConsolePage("lti-registration-links", config);
    }

    /** {@link #addLinkPage} for the tool client, which must succeed: the new entry's id. */
    private static String addedLinkPage(Map<String, String> settings) {
        try (jakarta.ws.rs.core.Response created = addLinkPage(List.of(LtiRealm.TOOL_CLIENT_ID), settings)) {
            assertThat(created.getStatus()).as(created.readEntity(String.class)).isEqualTo(201);
            String location = created.getLocation().toString();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    @Test
    void theAdminConsolesLinksPageIssuesALinkThatRegistersAPlatform() throws Exception {
        String id = addedLinkPage(Map.of("expiresInSeconds", "600"));
        var saved = lti.realm().components().component(id).toRepresentation();
        String link = linkOf(id);
        assertThat(saved.getConfig().getFirst("registrationUrl")).as("the page never shows the link")
                .isEqualTo("**********");
        lti.realm().components().component(id).update(saved); // saved again while unused: the same link
        assertThat(linkOf(id)).isEqualTo(link);
        assertThat(link).startsWith(lti.server().realmUrl(lti.name()) + "/lti/dynamic-registration?link=");
        assertThat(saved.getConfig().getFirst("expiresAt")).endsWith("Z");
        int providers = ltiProviders().size();

        Page page = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));

        assertThat(page.text()).contains("Keycloak is registered");
        assertThat(ltiProviders()).hasSize(providers + 1);
        Page again = lti.userAgent().navigate(lti.platform().dynamicRegistration().registrationUrl(link));
        assertThat(again.status()).isEqualTo(400);
        assertThat(ltiProviders()).hasSize(providers + 1);
    }

    @Test
    void theLinksPageSaysWhatToFixAndIssuesNothing() {
        try (jakarta.ws.rs.core.Response refused = addLinkPage(List.of("no-such-client"), Map.of("expiresInSeconds", "600"))) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("there is no client 'no-such-client'");
        }
        assertThat(lti.realm().components().query(lti.realm().toRepresentation().getId(),
                "org.keycloak.services.ui.extend.UiPageProvider")).noneMatch(c -> c.getConfig().containsKey("toolClientIds")
                        && c.getConfig().get("toolClientIds").contains("no-such-client"));
    }
}
