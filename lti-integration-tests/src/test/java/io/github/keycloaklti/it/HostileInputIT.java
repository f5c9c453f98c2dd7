package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.QueryBuilder;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * Hostile input, bounded and reproducible (fixed seed): whatever arrives at login initiation, the launch endpoint
 * or a REST endpoint gets a 4xx, never a 5xx or a stack trace, never a reflected script, never a redirect off the
 * allowed URIs, and creates nothing.
 */
class HostileInputIT extends LtiRealmTest {

    private static final String SCRIPT = "<script>alert('lti')</script>";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int users;

    @BeforeAll
    static void countUsers() {
        users = lti.userCount();
    }

    @AfterAll
    static void nothingWasCreated() {
        assertThat(lti.userCount()).as("nothing created by hostile input").isEqualTo(users);
    }

    private static void assertHandled(String what, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(what + " -> " + response.body()).isBetween(400, 499);
        assertThat(response.body()).as(what).doesNotContain(SCRIPT).doesNotContain("at org.keycloak")
                .doesNotContain("at io.github").doesNotContain("Exception:");
        response.headers().firstValue("Location").ifPresent(location -> assertThat(location).as(what)
                .doesNotContain("evil"));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String url, String contentType, byte[] body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static List<String> endpoints() {
        String realm = lti.server().realmUrl(lti.name());
        return List.of(lti.launchUri(), lti.launchUri() + "/login", realm + "/lti/deep-linking/response",
                realm + "/lti/ags/scores", realm + "/lti/ags/lineitems");
    }

    /**
     * Random bytes as JSON, text and binary bodies, and random (well-encoded) form fields. Not tested: a form body
     * with malformed %-escapes, which Keycloak 26.7's HTTP layer rejects with its generic 500 on every endpoint,
     * Keycloak's own token endpoint included, before any extension code runs (no stack trace reaches the client).
     */
    @Test
    void randomBytesAndOversizedBodiesAreRefused() {
        Random random = new Random(20261122L);
        List<String> types = List.of("application/json", "text/plain", "application/octet-stream");
        for (String endpoint : endpoints()) {
            for (int i = 0; i < 24; i++) {
                byte[] garbage = new byte[random.nextInt(4096) + 1];
                random.nextBytes(garbage);
                if (i % 4 == 3) {
                    String field = new String(garbage, StandardCharsets.ISO_8859_1);
                    garbage = QueryBuilder.encode(Map.of("id_token", field, "state", field, "iss", field))
                            .getBytes(StandardCharsets.US_ASCII);
                    assertHandled(endpoint + " random form " + i,
                            post(endpoint, "application/x-www-form-urlencoded", garbage, null));
                } else {
                    assertHandled(endpoint + " random " + i, post(endpoint, types.get(i % 3), garbage, null));
                }
            }
            byte[] huge = ("id_token=" + "A".repeat(1_200_000) + "&state=x").getBytes(StandardCharsets.UTF_8);
            assertHandled(endpoint + " 1.2 MB", post(endpoint, "application/x-www-form-urlencoded", huge, null));
        }
        // malformed %-escapes in the query cannot even be sent by java.net.URI: FormParametersTest covers them
        for (String query : List.of("iss=%00%0d%0a", "iss=%C0%AF%EF%BF%BD", "iss=" + "%41".repeat(5000), "&&&==&")) {
            assertHandled("GET login?" + query, send(HttpRequest.newBuilder(URI.create(lti.launchUri() + "/login?" + query))));
        }
    }

    @Test
    void deeplyNestedAndHugeJsonIsRefusedEvenWithAValidToken() {
        BrowserlessUserAgent browser = lti.userAgent();
        browser.navigate(lti.platform().loginInitiationUrl(LtiMessage.deepLinking().user("n-" + UUID.randomUUID(), "N", "N")));
        String token = lti.tool().lastLogin().accessToken();
        users = lti.userCount(); // that launch was legitimate; nothing after it may create a user
        String url = lti.server().realmUrl(lti.name()) + "/lti/deep-linking/response";
        String nested = "[".repeat(20_000) + "]".repeat(20_000);
        assertHandled("nested", post(url, "application/json", ("{\"content_items\":" + nested + "}").getBytes(), token));
        assertHandled("huge", post(url, "application/json", ("{\"content_items\":[],\"msg\":\"" + "é".repeat(600_000)
                + "\"}").getBytes(StandardCharsets.UTF_8), token));
        assertHandled("script in items", post(url, "application/json", ("{\"content_items\":[{\"type\":\"" + SCRIPT
                .replace("'", "\\u0027") + "\"}]}").getBytes(StandardCharsets.UTF_8), token));
    }

    @Test
    void oddUnicodeCrlfAndScriptInLoginInitiationParameters() {
        List<String> values = List.of("\r\nSet-Cookie: evil=1", "%0d%0aLocation: https://evil.example", SCRIPT,
                "\u0000\u202e\uFFFF\uD83D\uDE00", "x".repeat(10_000), "../../../etc/passwd");
        for (String param : List.of("iss", "login_hint", "target_link_uri", "client_id", "lti_deployment_id",
                "lti_message_hint")) {
            for (String value : values) {
                Map<String, String> params = new LinkedHashMap<>(lti.platform().loginInitiationParams(
                        LtiMessage.resourceLink().user("h-" + UUID.randomUUID(), "H", "H")));
                params.put(param, value);
                if (param.equals("login_hint") || param.equals("lti_message_hint")) {
                    continue; // passed through to the platform, URL-encoded: checked in openRedirects below
                }
                HttpResponse<String> response = lti.userAgent().postOnce(lti.launchUri() + "/login", params);
                assertHandled(param + "=" + value.substring(0, Math.min(20, value.length())), response);
                assertThat(response.headers().map().keySet()).doesNotContain("evil");
                assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("evil"));
            }
        }
    }

    @Test
    void openRedirectAttemptsInTargetLinkUriNeverLeaveTheAllowedUris() {
        String tool = lti.tool().baseUrl();
        List<String> attempts = new ArrayList<>(List.of("https://evil.example/launch", "javascript:alert(1)",
                "//evil.example/launch", "http:%2F%2Fevil.example", "https://evil.example%2F@127.0.0.2/launch",
                tool.replace("http://", "http://user@evil.example#") + "/launch", tool + ".evil.example/launch",
                tool + "@evil.example/launch", "\\\\evil.example\\launch", " https://evil.example/launch",
                "HTTPS://EVIL.EXAMPLE/launch", "data:text/html,<script>alert(1)</script>", "evil.example/launch"));
        for (String target : attempts) {
            Map<String, String> params = new LinkedHashMap<>(lti.platform().loginInitiationParams(
                    LtiMessage.resourceLink().user("r-" + UUID.randomUUID(), "R", "R")));
            params.put("target_link_uri", target);
            HttpResponse<String> response = lti.userAgent().get(lti.launchUri() + "/login?" + QueryBuilder.encode(params));
            assertHandled(target, response);
            assertThat(response.headers().firstValue("Location")).as(target).isEmpty();
        }
    }

    /**
     * Markup in {@code sub} (the platform user's id, in the username template) on the cookie path: refused, with a
     * readable page and no user left behind (a review saw one), or landed as a user whose name is that text.
     */
    @Test
    void markupInSubNeverLeavesAUserBehind() {
        for (String sub : List.of(SCRIPT, "<img src=x onerror=alert(1)>", "a\"b'c<d>e")) {
            int before = lti.userCount();
            BrowserlessUserAgent.Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                    LtiMessage.resourceLink().user(sub, "M", "K")));
            if (page.uri().toString().startsWith(lti.tool().callbackUrl())) {
                assertThat(lti.userCount()).as(sub + ": landed, one user").isEqualTo(before + 1);
                assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + sub).toLowerCase());
                users++;
            } else {
                assertThat(page.status()).as(sub + ": " + page.text()).isBetween(400, 499);
                assertThat(page.body()).doesNotContain(sub);
                assertThat(lti.userCount()).as(sub + ": refused, and no user left behind").isEqualTo(before);
            }
        }
    }

    @Test
    void scriptInEveryClaimShownOnAnErrorPageIsNotReflected() {
        for (String claim : List.of("https://purl.imsglobal.org/spec/lti/claim/deployment_id",
                "https://purl.imsglobal.org/spec/lti/claim/version",
                "https://purl.imsglobal.org/spec/lti/claim/message_type",
                "https://purl.imsglobal.org/spec/lti/claim/target_link_uri")) {
            BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti,
                    LtiMessage.resourceLink().user("x-" + UUID.randomUUID(), "X", "X").tweak(c -> c.claim(claim, SCRIPT)));
            String idToken = lti.platform().idToken(login.message(), login.nonce());
            assertHandled(claim, login.browser().postOnce(lti.launchUri(), Map.of("id_token", idToken, "state", login.state())));
        }
        BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti, LtiMessage.resourceLink().user("e-" + UUID.randomUUID(), "E", "E"));
        assertHandled("platform error", login.browser().postOnce(lti.launchUri(), Map.of("error", SCRIPT,
                "error_description", SCRIPT, "state", login.state())));
        assertHandled("kid", lti.userAgent().postOnce(lti.launchUri(), Map.of("state", SCRIPT, "id_token", SCRIPT)));
    }

    /**
     * The launch error page is frameable by any site: nothing from the request may render as markup there (no
     * "Session expired, click here" link, image or heading in Keycloak's page), and nothing long.
     */
    @Test
    void attackerSuppliedValuesAreShownAsPlainShortTextOnTheErrorPage() {
        String link = "<a href=\"https://evil.example/login\">Session expired, click here</a>";
        String image = "<img src=\"https://evil.example/x.png\"><h1>Your account is locked</h1>";
        Map<String, String> initiation = new LinkedHashMap<>(lti.platform().loginInitiationParams(LtiMessage.resourceLink()));
        initiation.put("iss", link);
        HttpResponse<String> issPage = lti.userAgent().get(lti.launchUri() + "/login?" + QueryBuilder.encode(initiation));
        initiation.put("iss", lti.platform().issuer());
        initiation.put("lti_deployment_id", image);
        HttpResponse<String> deploymentPage = lti.userAgent().get(lti.launchUri() + "/login?" + QueryBuilder.encode(initiation));
        initiation.remove("lti_deployment_id");
        initiation.put("target_link_uri", "https://evil.example/" + image + "x".repeat(500));
        HttpResponse<String> targetPage = lti.userAgent().get(lti.launchUri() + "/login?" + QueryBuilder.encode(initiation));
        HttpResponse<String> platformError = lti.userAgent().postOnce(lti.launchUri(), Map.of("error", link,
                "error_description", image, "state", "x"));

        for (HttpResponse<String> page : List.of(issPage, deploymentPage, targetPage, platformError)) {
            assertHandled(page.uri().toString(), page);
            assertThat(page.body()).as(page.uri().toString()).doesNotContain("<a href=\"https://evil")
                    .doesNotContain("<img").doesNotContain("<h1>Your account").doesNotContain("x".repeat(200));
        }
        assertThat(issPage.body()).contains("lti_login_iss_unknown").contains("Session expired, click here");
        assertThat(platformError.body()).contains("lti_platform_error").contains("Your account is locked");
    }

    /**
     * The page for the LMS admin shows the registration's values, some of which a platform chose (Dynamic
     * Registration takes its client id and deployment from the platform's answer): shown as text, never as markup.
     */
    @Test
    void theToolConfigurationPageShowsAPlatformsValuesAsTextNeverAsMarkup() {
        String alias = "hostile-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> config = new LinkedHashMap<>(lti.platformConfig());
        config.put("clientId", SCRIPT);
        config.put("deploymentIds", "\"><img src=x onerror=alert(1)>");
        try (jakarta.ws.rs.core.Response created = lti.createPlatform(alias, config)) {
            assertThat(created.getStatus()).as(created.readEntity(String.class)).isEqualTo(201);
        }
        try {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(lti.server().realmUrl(lti.name())
                    + "/lti/platforms/" + alias + "/tool-configuration")).header("Accept", "text/html"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).doesNotContain(SCRIPT).doesNotContain("<img").contains("&lt;script&gt;");
            org.jsoup.nodes.Document shown = org.jsoup.Jsoup.parse(page.body());
            assertThat(shown.getElementById("client_id").text()).isEqualTo(SCRIPT);
            assertThat(shown.select("img")).isEmpty();
        } finally {
            lti.realm().identityProviders().get(alias).remove();
        }
    }
}
