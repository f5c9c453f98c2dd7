package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.OidcTool;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/** Deep Linking 2.0: the tool's chosen items, signed by Keycloak, verified and shown by the platform. */
class DeepLinkingIT extends LtiRealmTest {

    private static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final ObjectMapper JSON = new ObjectMapper();



    private static ToolLogin launch(BrowserlessUserAgent browser, LtiMessage message) {
        Page page = browser.navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        return lti.tool().lastLogin();
    }

    private static ToolLogin deepLinkingLaunch() {
        return launch(lti.userAgent(), LtiMessage.deepLinking().user("teacher-" + UUID.randomUUID(), "Grace", "Hopper"));
    }

    private static String body(Object items) {
        try {
            return JSON.writeValueAsString(Map.of("content_items", items, "msg", "Added content"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> quiz() {
        return Map.of("type", "ltiResourceLink", "title", "Quiz 1", "url", lti.tool().launchUrl(),
                "custom", Map.of("quiz_id", "q1"), "iframe", Map.of("width", 800, "height", 600),
                "lineItem", Map.of("scoreMaximum", 10, "label", "Quiz 1", "resourceId", "q1", "tag", "quiz"),
                "available", Map.of("startDateTime", "2026-11-01T00:00:00Z"),
                "submission", Map.of("endDateTime", "2026-12-01T00:00:00Z"));
    }

    private static List<Map<String, Object>> everyType() {
        return List.of(quiz(),
                Map.of("type", "link", "title", "Reading", "url", "https://example.org/reading",
                        "window", Map.of("targetName", "_blank"), "icon", Map.of("url", "https://example.org/i.png", "width", 16, "height", 16)),
                Map.of("type", "file", "title", "Slides", "url", "https://example.org/slides.pdf", "mediaType", "application/pdf"),
                Map.of("type", "html", "title", "Note", "html", "<p>Read chapter 2</p>"),
                Map.of("type", "image", "title", "Engine", "url", "https://example.org/engine.png", "width", 640, "height", 480));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        try {
            return JSON.readValue(body, Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    private static Page postToPlatform(String url, String jwt) {
        return lti.userAgent().post(url, Map.of("JWT", jwt));
    }

    @Test
    void itemsOfEveryTypeAreSignedAndAcceptedByThePlatform() throws Exception {
        ToolLogin login = deepLinkingLaunch();
        Map<String, Object> settings = LaunchIT.asMap(login.claim(DL + "deep_linking_settings"));
        int received = lti.platform().services().deepLinkResponses().size();

        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(everyType()),
                "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> answer = json(response.body());
        assertThat(answer.get("deep_link_return_url")).isEqualTo(settings.get("deep_link_return_url"));
        Page platformPage = postToPlatform((String) answer.get("deep_link_return_url"), (String) answer.get("jwt"));
        assertThat(platformPage.text()).contains("Received 5 content item(s)");
        assertThat(lti.platform().services().deepLinkResponses()).hasSize(received + 1);

        JWTClaimsSet jwt = SignedJWT.parse((String) answer.get("jwt")).getJWTClaimsSet();
        assertThat(jwt.getIssuer()).isEqualTo(LtiRealm.PLATFORM_CLIENT_ID);
        assertThat(jwt.getAudience()).containsExactly(lti.platform().issuer());
        assertThat(jwt.getStringClaim("nonce")).isNotBlank();
        assertThat(jwt.getIssueTime()).isNotNull();
        assertThat(jwt.getExpirationTime()).isAfter(jwt.getIssueTime());
        assertThat(jwt.getStringClaim(LTI + "message_type")).isEqualTo("LtiDeepLinkingResponse");
        assertThat(jwt.getStringClaim(LTI + "version")).isEqualTo("1.3.0");
        assertThat(jwt.getStringClaim(LTI + "deployment_id")).isEqualTo(LtiRealm.DEPLOYMENT_ID);
        assertThat(jwt.getStringClaim(DL + "data")).isEqualTo(settings.get("data"));
        assertThat(jwt.getStringClaim(DL + "msg")).isEqualTo("Added content");
        assertThat(JSON.writeValueAsString(jwt.getClaim(DL + "content_items")))
                .isEqualTo(JSON.writeValueAsString(JSON.readValue(JSON.writeValueAsString(everyType()), List.class)));
    }

    @Test
    void anEmptyListIsACancelThePlatformAccepts() {
        ToolLogin login = deepLinkingLaunch();
        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(List.of()), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> answer = json(response.body());
        assertThat(postToPlatform((String) answer.get("deep_link_return_url"), (String) answer.get("jwt")).text())
                .contains("Received 0 content item(s)");
    }

    @Test
    void htmlAnswerIsAPageThatAutoPostsToThePlatformUnderAStrictPolicy() {
        ToolLogin login = deepLinkingLaunch();

        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(List.of(quiz())),
                "text/html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        Document page = org.jsoup.Jsoup.parse(response.body());
        Element form = page.selectFirst("form#lti-deep-linking-response");
        assertThat(form.attr("method")).isEqualTo("post");
        assertThat(form.attr("action")).as("the return URL with its own query")
                .startsWith(lti.platform().baseUrl() + "/deep-link-return?return_for=dl-data-");
        assertThat(page.select("noscript button[type=submit]")).hasSize(1);
        Matcher nonce = Pattern.compile("script-src 'nonce-([^']+)'").matcher(csp);
        assertThat(nonce.find()).as(csp).isTrue();
        assertThat(page.selectFirst("script").attr("nonce")).isEqualTo(nonce.group(1));
        assertThat(csp).contains("default-src 'none'").contains("form-action " + lti.platform().baseUrl());
        assertThat(response.headers().allValues("Content-Security-Policy")).hasSize(1);

        Page platformPage = lti.userAgent().post(form.attr("action"),
                Map.of("JWT", form.selectFirst("input[name=JWT]").attr("value")));
        assertThat(platformPage.text()).contains("Received 1 content item(s)");
    }

    @Test
    void afterARealmKeyRotationTheNextResponseUsesTheNewKeyAndStillVerifies() throws Exception {
        ComponentRepresentation key = new ComponentRepresentation();
        key.setName("rotated-" + UUID.randomUUID());
        key.setProviderId("rsa-generated");
        key.setProviderType("org.keycloak.keys.KeyProvider");
        key.setParentId(lti.realm().toRepresentation().getId());
        key.setConfig(new MultivaluedHashMap<>(Map.of("priority", List.of("1000"), "algorithm", List.of("RS256"))));
        try (Response created = lti.realm().components().add(key)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        String activeKid = lti.realm().keys().getKeyMetadata().getActive().get("RS256");
        ToolLogin login = deepLinkingLaunch();

        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(List.of(quiz())),
                "application/json");

        Map<String, Object> answer = json(response.body());
        assertThat(SignedJWT.parse((String) answer.get("jwt")).getHeader().getKeyID()).isEqualTo(activeKid);
        assertThat(postToPlatform((String) answer.get("deep_link_return_url"), (String) answer.get("jwt")).text())
                .contains("Received 1 content item(s)");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(error).doesNotContain("\"jwt\"");
    }

    @Test
    void withoutATokenTheCallIsRefused() {
        assertRefused(lti.tool().deepLinkingResponse(null, body(List.of()), "application/json"), 401, "invalid_token");
        assertRefused(lti.tool().deepLinkingResponse("not-a-token", body(List.of()), "application/json"), 401,
                "invalid_token");
    }

    @Test
    void aTokenFromAResourceLinkLaunchIsRefused() {
        ToolLogin login = launch(lti.userAgent(), LtiMessage.resourceLink().user("l-" + UUID.randomUUID(), "Ada", "L"));
        assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), body(List.of()), "application/json"), 403,
                "not_a_deep_linking_launch");
    }

    @Test
    void aTokenOfAnotherClientInTheSameSessionIsRefused() {
        try (OidcTool otherTool = OidcTool.start("127.0.0.3", 0, lti.server().realmUrl(lti.name()), "other-tool",
                "other-secret")) {
            ClientRepresentation other = new ClientRepresentation();
            other.setClientId("other-tool");
            other.setSecret("other-secret");
            other.setPublicClient(false);
            other.setStandardFlowEnabled(true);
            other.setRedirectUris(List.of(otherTool.baseUrl() + "/*"));
            lti.realm().clients().create(other).close();
            BrowserlessUserAgent browser = lti.userAgent();
            String subject = "t-" + UUID.randomUUID();
            // a complete profile: the other client is another login of the realm, which requires names and email
            launch(browser, LtiMessage.deepLinking().user(subject, "Grace", "Hopper").email(subject + "@school.example"));
            Page page = browser.navigate(otherTool.launchUrl());
            assertThat(page.uri().toString()).as(page.text()).startsWith(otherTool.callbackUrl());

            assertRefused(lti.tool().deepLinkingResponse(otherTool.lastLogin().accessToken(), body(List.of()),
                    "application/json"), 403, "wrong_client");
        }
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        tool.getAttributes().put("access.token.lifespan", "1");
        lti.realm().clients().get(tool.getId()).update(tool);
        try {
            ToolLogin login = deepLinkingLaunch();
            Thread.sleep(Duration.ofMillis(2500).toMillis());
            assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), body(List.of()), "application/json"), 401,
                    "invalid_token");
        } finally {
            tool.getAttributes().remove("access.token.lifespan");
            tool.getAttributes().put("access.token.lifespan", "");
            lti.realm().clients().get(tool.getId()).update(tool);
        }
    }

    @Test
    void malformedOrOversizedBodiesAreRefused() {
        ToolLogin login = deepLinkingLaunch();
        assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), "{\"content_items\": [", "application/json"),
                400, "not valid JSON");
        assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), "[1,2]", "application/json"), 400,
                "must be a JSON object");
        String huge = "{\"content_items\":[],\"msg\":\"" + "x".repeat(300 * 1024) + "\"}";
        assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), huge, "application/json"), 413,
                "request_too_large");
    }

    @Test
    void unknownTypesAndBadItemsAreListedOneByOne() {
        ToolLogin login = deepLinkingLaunch();
        List<Map<String, Object>> items = List.of(
                Map.of("type", "video", "url", "https://example.org/v"),
                Map.of("type", "link", "title", "no url"),
                Map.of("type", "link", "url", "javascript:alert(1)"),
                Map.of("type", "html"),
                Map.of("type", "ltiResourceLink", "lineItem", Map.of("label", "no maximum")));

        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(items), "application/json");

        assertRefused(response, 400, "invalid_content_items");
        assertThat(response.body()).contains("content_items[0]: unknown type 'video'")
                .contains("content_items[1]: 'url' is required")
                .contains("content_items[2]: 'url' must be an absolute http(s) URL")
                .contains("content_items[3]: an html item needs 'html'")
                .contains("content_items[4].lineItem.scoreMaximum must be a number greater than 0");
    }

    @Test
    void itemsThePlatformDidNotAcceptAreRefusedWithEveryReason() {
        LtiMessage restricted = LtiMessage.deepLinking().user("t-" + UUID.randomUUID(), "Grace", "Hopper")
                .tweak(claims -> claims.claim(DL + "deep_linking_settings", Map.of(
                        "deep_link_return_url", lti.platform().baseUrl() + "/deep-link-return",
                        "accept_types", List.of("link"), "accept_multiple", false,
                        "accept_presentation_document_targets", List.of("window"), "accept_lineitem", false)));
        ToolLogin login = launch(lti.userAgent(), restricted);
        List<Map<String, Object>> items = List.of(quiz(), Map.of("type", "link", "url", "https://example.org/a"));

        HttpResponse<String> response = lti.tool().deepLinkingResponse(login.accessToken(), body(items), "application/json");

        assertRefused(response, 400, "invalid_content_items");
        assertThat(json(response.body()).get("problems")).asList().hasSize(4);
        assertThat(response.body()).contains("accept_multiple=false").contains("does not accept type 'ltiResourceLink'")
                .contains("presentation 'iframe' is not accepted").contains("accept_lineitem=false");
    }

    @Test
    void aReturnUrlOtherThanTheLaunchsIsRefused() throws Exception {
        ToolLogin login = deepLinkingLaunch();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("content_items", List.of());
        request.put("deep_link_return_url", "https://evil.example/collect");

        assertRefused(lti.tool().deepLinkingResponse(login.accessToken(), JSON.writeValueAsString(request),
                "application/json"), 400, "not the one of the launch");
    }

    @Test
    void anInstructorPicksContentInTheBrowserAndThePlatformShowsIt() {
        WebDriver browser = HeadlessChromium.start();
        try {
            browser.get(lti.platform().baseUrl() + "/");
            browser.findElement(By.id("launch-deep-linking")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("add-content")));
            browser.findElement(By.id("item-reading")).click();
            browser.findElement(By.id("add-content")).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deep-link-result")));
            assertThat(browser.getCurrentUrl()).startsWith(lti.platform().baseUrl() + "/deep-link-return");
            assertThat(browser.findElement(By.id("deep-link-result")).getText()).isEqualTo("Received 2 content item(s)");
            assertThat(browser.findElement(By.id("items")).getText()).contains("Quiz 1").contains("Reading");
        } finally {
            browser.quit();
        }
    }
}
