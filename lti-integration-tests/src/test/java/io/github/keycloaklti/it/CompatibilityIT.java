package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.annotation.Priority;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.jboss.resteasy.plugins.providers.jackson.ResteasyJackson2Provider;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.openqa.selenium.WebDriver;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/**
 * The same JAR in the older Keycloak releases universities still run (the newest patch of each 26.x minor that Maven
 * Central serves, besides the 26.7 the whole suite runs on): it loads, speaks that release's identity-provider SPI
 * (26.4's predates 26.5's split, and gets the classes compiled against it), and a launch (also through a tool that
 * passes the launch's hint on, and a first launch in a frame without cookies, through the platform's storage, over
 * HTTP and in headless Chromium), a deep-linking response and a roster call work. Each distribution started once, in development mode.
 */
@ExtendWith(KeycloakExtension.class)
class CompatibilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * The admin client writes every field of a representation, null or not; an older server refuses the fields it
     * does not know (26.5 and {@code maxSecondaryAuthFailures}), so this client's JSON leaves nulls out. Registered
     * first ({@code @Priority(1)}): other admin clients of the run share RESTEasy's providers.
     */
    @Priority(1)
    public static final class NonNullJson extends ResteasyJackson2Provider {
        public NonNullJson() {
            setMapper(new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));
        }
    }

    static Stream<String> olderReleases() {
        return Arrays.stream(System.getProperty("keycloak.compat.versions", "").split(",")).filter(v -> !v.isBlank());
    }

    @ParameterizedTest(name = "Keycloak {0}")
    @MethodSource("olderReleases")
    void aLaunchADeepLinkingResponseAndARosterCallWork(String version, KeycloakServer shared) throws Exception {
        Path compat = Path.of(System.getProperty("keycloak.compat.dir"));
        try (KeycloakServer server = KeycloakServer.start(new KeycloakServer.Options()
                .home(compat.resolve("keycloak-" + version), compat.resolve("run-" + version))
                .certificate(shared.certificate()));
             Keycloak admin = KeycloakBuilder.builder().serverUrl(server.baseUrl()).realm("master").clientId("admin-cli")
                     .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                     .resteasyClient(new ResteasyClientBuilderImpl().sslContext(shared.certificate().trustingSslContext())
                             .register(new NonNullJson()).build()).build();
             LtiRealm lti = LtiRealm.create(server, admin)) {
            assertThat(server.log()).as("Keycloak %s", version).contains("Keycloak " + version)
                    .containsPattern("keycloak-lti \\S+: identity providers for Keycloak "
                            + (version.startsWith("26.4.") ? "26\\.4" : "26\\.5 and later"));

            // a learner launch lands in the tool with the launch's claims
            String course = "compat-" + UUID.randomUUID().toString().substring(0, 8);
            lti.platform().services().setMembers(course, List.of(Map.of("user_id", "teacher", "roles",
                    List.of(LtiMessage.INSTRUCTOR), "status", "Active")));
            Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                    .asInstructor().user("t-" + UUID.randomUUID(), "Grace", "Hopper").context(course, "Compat")));
            assertThat(landed.uri().toString()).as("%d %s", landed.status(), landed.body())
                    .startsWith(lti.tool().callbackUrl());
            ToolLogin instructor = lti.tool().lastLogin();
            assertThat(instructor.claim("https://purl.imsglobal.org/spec/lti/claim/context")).isNotNull();

            // the roster of the launch's course, through Keycloak
            HttpResponse<String> roster = HTTP.send(HttpRequest.newBuilder(URI.create(lti.realmUrl()
                    + "/lti/nrps/memberships")).header("Authorization", "Bearer " + instructor.accessToken()).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
            assertThat(roster.body()).contains("\"user_id\":\"teacher\"");

            // the registration linked to an organization: a first launch makes the learner its member, and the
            // tool that asks for the scope gets Keycloak's organization claim (Organizations: Keycloak 26.0 on)
            String school = lti.createOrganization("compat-school");
            lti.realm().organizations().get(school).identityProviders().addIdentityProvider(LtiRealm.ALIAS).close();
            lti.tool().requestScopes("organization");
            Page member = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                    .user("org-" + UUID.randomUUID(), "Ora", "Ganization")));
            assertThat(member.uri().toString()).as(member.text()).startsWith(lti.tool().callbackUrl());
            assertThat(lti.organizationMembers(school)).contains(lti.tool().lastLogin().subject());
            assertThat(lti.tool().lastLogin().claim("organization")).isEqualTo(List.of("compat-school"));
            lti.tool().requestScopes();

            // a tool that passes the launch's hint on: the hint step (which reads the browser's Keycloak login
            // through the release's own AuthResult) joins the launch's session
            lti.tool().forwardLaunchHints(true);
            String hinted = "hint-" + UUID.randomUUID();
            Page withHint = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                    .user(hinted, "Mary", "Jackson").context(course, "Compat")));
            assertThat(withHint.uri().toString()).as("%d %s", withHint.status(), withHint.text())
                    .startsWith(lti.tool().callbackUrl());
            assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + hinted).toLowerCase());
            lti.tool().forwardLaunchHints(false);

            // in a frame that blocks third-party cookies, the partitioned login cookie carries the value this release
            // writes into its own (the session-id encoder's signature differs between 26.4 and 26.5)
            List<String> loginCookies = LaunchIT.partitionedLoginCookieAndKeycloaks(lti);
            assertThat(loginCookies.get(0)).as("partitioned vs Keycloak's own").isEqualTo(loginCookies.get(1));

            // a first launch in a frame that keeps no Keycloak cookie, through the platform's storage
            String stored = "storage-" + UUID.randomUUID();
            PlatformStorageIT.StorageLogin framed = PlatformStorageIT.startInFrame(lti, stored);
            BrowserlessUserAgent noCookies = lti.userAgent();
            Page throughStorage = PlatformStorageIT.throughHandoffPage(lti, noCookies, PlatformStorageIT
                    .postFromReadPage(lti, noCookies, PlatformStorageIT.launch(lti, framed, framed.proof())));
            assertThat(throughStorage.uri().toString()).as(throughStorage.text()).startsWith(lti.tool().callbackUrl());
            assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + stored).toLowerCase());

            // in Chromium, a first launch in the course page's frame into a tool that ignores the hint: third-party
            // cookies blocked (through the partitioned login), and no Keycloak cookie kept at all (through the
            // platform's storage, the framed tool login reading the hint back)
            WebDriver browser = HeadlessChromium.start();
            try {
                BrowserLaunchIT.landsInTheCoursePagesFrame(browser, lti, "chips-" + UUID.randomUUID().toString()
                        .substring(0, 8), "compat-chips", false);
            } finally {
                browser.quit();
            }
            browser = HeadlessChromium.startWithoutCookiesFor(server.baseUrl(), lti.platform().baseUrl());
            try {
                BrowserLaunchIT.landsInTheCoursePagesFrame(browser, lti, "nocookie-" + UUID.randomUUID().toString()
                        .substring(0, 8), "compat-nocookie", true);
            } finally {
                browser.quit();
            }

            // a deep-linking response signed by Keycloak, accepted by the platform
            Page deepLinking = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.deepLinking()
                    .user("dl-" + UUID.randomUUID(), "Ada", "Lovelace")));
            assertThat(deepLinking.uri().toString()).as(deepLinking.text()).startsWith(lti.tool().callbackUrl());
            HttpResponse<String> signed = lti.tool().deepLinkingResponse(lti.tool().lastLogin().accessToken(),
                    JSON.writeValueAsString(Map.of("content_items", List.of(Map.of("type", "link", "title", "Reading",
                            "url", "https://example.org/reading")))), "application/json");
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.readValue(signed.body(), Map.class);
            Page platformPage = lti.userAgent().post((String) answer.get("deep_link_return_url"),
                    Map.of("JWT", (String) answer.get("jwt")));
            assertThat(platformPage.text()).contains("Received 1 content item(s)");
        }
    }
}
