package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.PlatformDynamicRegistration;

/**
 * The registration boundary, attacked: the institution next door holding a registration link, a stranger claiming
 * Canvas's shared issuer or someone else's client id, a registering "platform" pointing Keycloak at internal
 * addresses or writing into its log.
 */
class RegistrationBoundariesIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CANVAS_ISSUER = "https://canvas.instructure.com";
    private static Keycloak admin;

    @BeforeAll
    static void keepAdmin(Keycloak keycloakAdmin) {
        admin = keycloakAdmin;
    }

    @AfterEach
    void platformBehavesAgain() {
        registration().behaveNormally();
    }

    private static PlatformDynamicRegistration registration() {
        return lti.platform().dynamicRegistration();
    }

    private static String newLink(boolean enable) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(lti.server().baseUrl()
                        + "/admin/realms/" + lti.name() + "/lti/dynamic-registration-links"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "toolClientIds", List.of(LtiRealm.TOOL_CLIENT_ID), "targetLinkUri", lti.tool().launchUrl(),
                        "enableOnRegistration", enable)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) JSON.readValue(created.body(), Map.class).get("url");
    }

    private static List<IdentityProviderRepresentation> ltiProviders() {
        return lti.realm().identityProviders().findAll().stream().filter(idp -> "lti".equals(idp.getProviderId())).toList();
    }

    private static Page register(String link) {
        return lti.userAgent().navigate(registration().registrationUrl(link));
    }

    private static Page registerWithConfiguration(String link, String openidConfiguration) {
        String url = registration().registrationUrl(link).replace(
                java.net.URLEncoder.encode(registration().openidConfigurationUrl(), java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLEncoder.encode(openidConfiguration, java.nio.charset.StandardCharsets.UTF_8));
        return lti.userAgent().navigate(url);
    }

    private static String status(Response response) {
        try (response) {
            return response.getStatus() + " " + response.readEntity(String.class);
        }
    }

    @Test
    void aSecondRegistrationOfTheSameIssuerAndClientIdIsRefused() {
        int providers = ltiProviders().size();
        String answer = status(lti.createPlatform("same-" + UUID.randomUUID().toString().substring(0, 6),
                lti.platformConfig()));
        assertThat(answer).startsWith("400").contains("already registered as '" + LtiRealm.ALIAS + "'");
        assertThat(ltiProviders()).hasSize(providers);
    }

    @Test
    void dynamicRegistrationCannotTakeTheIssuerAndClientIdOfAnotherRegistration() throws Exception {
        String link = newLink(true);
        registration().answerWithClientId(LtiRealm.PLATFORM_CLIENT_ID);
        int providers = ltiProviders().size();

        Page refused = register(link);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("already registered as '" + LtiRealm.ALIAS + "'");
        assertThat(ltiProviders()).hasSize(providers);
        registration().behaveNormally();
        assertThat(register(link).status()).as("a failed registration does not spend the link").isEqualTo(200);
        assertThat(ltiProviders()).hasSize(providers + 1);
    }

    @Test
    void theCanvasCloudIssuerIsAcceptedOnlyWithInstructuresEndpoints() throws Exception {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("issuer", CANVAS_ISSUER);
        config.put("clientId", "10000000000123");
        assertThat(status(lti.createPlatform("fake-canvas", config))).startsWith("400").contains("Instructure");

        int providers = ltiProviders().size();
        registration().overrideConfiguration("issuer", CANVAS_ISSUER);
        Page refused = register(newLink(true));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("Instructure");
        assertThat(ltiProviders()).hasSize(providers);
    }

    /**
     * Borrowed token credentials: a registering "platform" that serves its configuration from institution A's host
     * (another port, or another path) names its own issuer, A's token URL and A's client id. Refused: every endpoint
     * on the issuer's origin (scheme, host and port; the authentication endpoint too), and no two registrations of
     * different issuers share a token URL and client id. Keycloak never asks A's token endpoint for it.
     */
    @Test
    void aRegisteringPlatformCannotBorrowAnotherInstitutionsTokenCredentials() throws Exception {
        String base = lti.platform().baseUrl();
        URI origin = URI.create(base);
        String otherPort = origin.getScheme() + "://" + origin.getHost() + ":" + (origin.getPort() + 1);
        int providers = ltiProviders().size();
        int tokenRequests = lti.platform().services().tokenRequests();
        for (Map.Entry<String, String> field : List.of(
                Map.entry("token_endpoint", otherPort + "/token"),
                Map.entry("authorization_endpoint", "https://elsewhere.example/auth"),
                Map.entry("authorization_endpoint", otherPort + "/auth"),
                Map.entry("jwks_uri", otherPort + "/jwks"))) {
            registration().behaveNormally();
            registration().overrideConfiguration(field.getKey(), field.getValue());
            Page refused = register(newLink(true));
            assertThat(refused.status()).as(field + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.text()).contains("origin of its issuer");
        }
        // an issuer on A's host under another path, with A's token URL (as A has it, or spelled otherwise) and A's
        // client id
        for (String tokenUrl : List.of(base + "/token", base + "/token?", base + "/token?respelled=1")) {
            registration().behaveNormally();
            registration().overrideConfiguration("issuer", base + "/another-lms");
            registration().overrideConfiguration("token_endpoint", tokenUrl);
            registration().answerWithClientId(LtiRealm.PLATFORM_CLIENT_ID);
            Page borrowed = register(newLink(true));
            assertThat(borrowed.status()).as(tokenUrl + ": " + borrowed.text()).isEqualTo(400);
            assertThat(borrowed.text()).contains("never share a token URL and client id");
        }
        assertThat(ltiProviders()).hasSize(providers);
        assertThat(lti.platform().services().tokenRequests()).as("A's token endpoint never asked").isEqualTo(tokenRequests);

        // an admin's registration: its token URL on its issuer's origin, or a token service the operator trusts
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", "admin-typed-" + UUID.randomUUID().toString().substring(0, 6));
        config.put("tokenUrl", otherPort + "/token");
        assertThat(status(lti.createPlatform("typed-" + UUID.randomUUID().toString().substring(0, 6), config)))
                .startsWith("400").contains("must be on the issuer's origin");
        config.put("tokenUrl", base + "/token");
        String typed = "typed-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(status(lti.createPlatform(typed, config))).startsWith("201");
        lti.realm().identityProviders().get(typed).remove();
        config.put("tokenUrl", "https://auth.trusted-lms.example/core/connect/token"); // the test server trusts it
        assertThat(status(lti.createPlatform(typed, config))).startsWith("201");
        lti.realm().identityProviders().get(typed).remove();
    }

    /** A platform that refuses the registration: the LMS admin's page and Keycloak's log say why, in its words. */
    @Test
    void aRefusedRegistrationShowsThePlatformsOwnReasonAsText() throws Exception {
        registration().refuseWith("domain_targetlinkuri_mismatch <b>port</b>");
        Page refused = register(newLink(true));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.text()).contains("invalid_client_metadata (domain_targetlinkuri_mismatch <b>port</b>)");
        assertThat(refused.body()).doesNotContain("<b>port</b>");
        assertThat(lti.server().log()).contains("the platform refused the registration with 400: invalid_client_metadata");
    }

    @Test
    void aRegistrationByLinkStartsDisabledUnlessTheLinkEnablesIt() throws Exception {
        Page page = register(newLink(false));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        IdentityProviderRepresentation created = ltiProviders().stream()
                .filter(idp -> lti.platform().clientId().equals(idp.getConfig().get("clientId"))).findFirst().orElseThrow();
        assertThat(created.isEnabled()).as("waits for an admin").isFalse();
    }

    @Test
    void aLinkIsSpentOnlyBySuccessInItsOwnRealm() throws Exception {
        String link = newLink(true);
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm(other);
        realm.setEnabled(true);
        admin.realms().create(realm);
        try {
            String elsewhere = link.replace("/realms/" + lti.name() + "/", "/realms/" + other + "/");
            Page refused = register(elsewhere);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(admin.realm(other).identityProviders().findAll()).isEmpty();
        } finally {
            admin.realm(other).remove();
        }
        Page failed = registerWithConfiguration(link, "https://169.254.169.254/latest/meta-data");
        assertThat(failed.status()).isEqualTo(400);

        assertThat(register(link).status()).as("still usable here").isEqualTo(200);
        assertThat(register(link).status()).as("spent by that success").isEqualTo(400);
    }

    /**
     * SSRF: the registration page is no probe. Internal addresses are never fetched, and whatever went wrong (refused,
     * unreachable, not JSON, not a platform) reads the same.
     */
    @Test
    void dynamicRegistrationFetchesNoInternalAddressAndFailsAlikeWhateverWentWrong() throws Exception {
        String link = newLink(true);
        int port = URI.create(lti.platform().baseUrl()).getPort();
        int providers = ltiProviders().size();
        List<String> answers = new java.util.ArrayList<>();
        for (String target : List.of("http://127.attacker.invalid/config", "https://169.254.169.254/latest/meta-data",
                "https://10.0.0.1/.well-known/openid-configuration",
                "https://127.1:" + port + "/dr/openid-configuration",
                "https://2130706433:" + port + "/dr/openid-configuration",
                lti.server().realmUrl("master") + "/.well-known/openid-configuration",
                lti.platform().baseUrl() + "/no-such-page", "https://localhost:1/closed-port")) {
            Page page = registerWithConfiguration(link, target);
            assertThat(page.status()).as(target).isEqualTo(400);
            answers.add(page.text());
        }
        assertThat(answers).as("one generic answer").allMatch(answers.get(0)::equals);
        assertThat(answers.get(0)).contains("could not be read");
        assertThat(ltiProviders()).hasSize(providers);
        assertThat(register(link).status()).as("none of that spent the link").isEqualTo(200);
    }

    @Test
    void registrationUrlsThatPointInsideAreRefusedWhenSaved() {
        for (String internal : List.of("https://169.254.169.254/latest/meta-data", "https://10.1.2.3/jwks",
                "http://127.attacker.invalid/jwks", "https://127.1/jwks")) {
            Map<String, String> config = new HashMap<>(lti.platformConfig());
            config.put("clientId", "c-" + UUID.randomUUID());
            config.put("jwksUrl", internal);
            assertThat(status(lti.createPlatform("internal-" + UUID.randomUUID().toString().substring(0, 6), config)))
                    .as(internal).startsWith("400");
        }
    }

    /** Keycloak signs service-token assertions with iss = sub = the client id: never a realm's issuer. */
    @Test
    void aClientIdShapedLikeARealmIssuerIsRefused() {
        Map<String, String> config = new HashMap<>(lti.platformConfig());
        config.put("clientId", lti.server().realmUrl(lti.name()));
        assertThat(status(lti.createPlatform("realm-shaped", config))).startsWith("400").contains("realm URL");
    }

    @Test
    void aRegisteringPlatformCannotForgeLogLines() throws Exception {
        String forged = "evil\nINFO  [org.keycloak.events] type=\"LOGIN\", forged=\"yes\"";
        registration().overrideConfiguration("https://purl.imsglobal.org/spec/lti-platform-configuration",
                Map.of("product_family_code", forged, "version", "1.0"));
        Page page = register(newLink(true));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        String log = lti.server().log();
        assertThat(log).contains("evil_INFO  [org.keycloak.events]");
        assertThat(log).doesNotContain("\nINFO  [org.keycloak.events] type=\"LOGIN\", forged=\"yes\"");
    }
}
