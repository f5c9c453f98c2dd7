package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.OidcTool;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/**
 * Two tool clients, A and B, launched by one registration: to the platform they are one tool, so one course's line
 * items container holds both tools' line items, and a deep link either signs is "the tool's" link. Each test makes
 * the attack one tool vendor could make on the other, and the legitimate call beside it.
 */
class ToolIsolationIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    private static final String TOOL_B = "tool-b";
    private static final String TOOL_B_SECRET = "tool-b-secret-" + UUID.randomUUID();
    private static OidcTool toolB;

    @BeforeAll
    static void aSecondToolOfTheSameRegistration() {
        toolB = lti.addTool(TOOL_B, TOOL_B_SECRET, "127.0.0.3", Map.of(), List.of());
        // the default tool's service account may call the services too
        RoleRepresentation serviceRole = lti.realm().roles().get("lti-service").toRepresentation();
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        UserRepresentation account = lti.realm().clients().get(tool.getId()).getServiceAccountUser();
        lti.realm().users().get(account.getId()).roles().realmLevel().add(List.of(serviceRole));
    }

    @AfterAll
    static void stopToolB() {
        toolB.close();
    }

    @Test
    void aToolNeverReadsChangesOrGradesAnotherToolsLineItem() throws Exception {
        String course = "course-" + UUID.randomUUID();
        String contextA = serviceContext(launch(lti.tool(), instructorIn(course)));
        String contextB = serviceContext(launch(toolB, instructorIn(course)));
        String tokenA = lti.serviceAccountToken(LtiRealm.TOOL_CLIENT_ID, LtiRealm.TOOL_SECRET);
        String tokenB = lti.serviceAccountToken(TOOL_B, TOOL_B_SECRET);
        HttpResponse<String> created = call("POST", lti.serviceUrl("ags/lineitems", Map.of("context", contextB)), tokenB,
                "{\"label\":\"B's exam\",\"scoreMaximum\":100}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String itemOfB = (String) JSON.readValue(created.body(), Map.class).get("id");
        String itemOfA = (String) JSON.readValue(call("POST", lti.serviceUrl("ags/lineitems", Map.of("context", contextA)), tokenA,
                "{\"label\":\"A's quiz\",\"scoreMaximum\":10}").body(), Map.class).get("id");

        int platformCalls = lti.platform().services().serviceRequests().size();
        Map<String, String> itemOfBThroughA = Map.of("context", contextA, "lineitem", itemOfB);
        List<HttpResponse<String>> attacks = List.of(
                call("POST", lti.serviceUrl("ags/scores", itemOfBThroughA), tokenA, score("student-1", 100)),
                call("PUT", lti.serviceUrl("ags/lineitem", itemOfBThroughA), tokenA, "{\"label\":\"renamed\",\"scoreMaximum\":1}"),
                call("GET", lti.serviceUrl("ags/lineitem", itemOfBThroughA), tokenA, null),
                call("GET", lti.serviceUrl("ags/results", itemOfBThroughA), tokenA, null),
                call("DELETE", lti.serviceUrl("ags/lineitem", itemOfBThroughA), tokenA, null));
        for (HttpResponse<String> attack : attacks) {
            assertThat(attack.statusCode()).as("%s %s", attack.request().method(), attack.body()).isEqualTo(403);
            assertThat(attack.body()).contains("lineitem_not_owned");
        }
        assertThat(lti.platform().services().serviceRequests()).as("nothing reached the platform").hasSize(platformCalls);
        assertThat(lti.platform().services().scores(itemOfB)).isEmpty();

        HttpResponse<String> listOfA = call("GET", lti.serviceUrl("ags/lineitems", Map.of("context", contextA)), tokenA, null);
        assertThat(listOfA.statusCode()).isEqualTo(200);
        assertThat(ids(listOfA)).containsExactly(itemOfA);
        assertThat(ids(call("GET", lti.serviceUrl("ags/lineitems", Map.of("context", contextB)), tokenB, null)))
                .containsExactly(itemOfB);

        // the owner's own calls go through, also after the other tool's attempts
        HttpResponse<String> scoreOfB = call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextB, "lineitem", itemOfB)),
                tokenB, score("student-1", 90));
        assertThat(scoreOfB.statusCode()).as(scoreOfB.body()).isEqualTo(204);
        assertThat(call("DELETE", lti.serviceUrl("ags/lineitem", Map.of("context", contextB, "lineitem", itemOfB)), tokenB, null)
                .statusCode()).isEqualTo(204);
        assertThat(call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextA, "lineitem", itemOfA)), tokenA,
                score("student-1", 7)).statusCode()).isEqualTo(204);
    }

    @Test
    void theLineItemALaunchNamesIsThatLaunchsToolsAndAHandMadeOneIsNobodys() throws Exception {
        String course = "course-" + UUID.randomUUID();
        String activityItem = lti.platform().services().addLineItem(course, "Activity of A");
        String handMade = lti.platform().services().addLineItem(course, "Participation (typed in the gradebook)");
        LtiMessage toA = naming(instructorIn(course), course, activityItem);
        String contextA = serviceContext(launch(lti.tool(), toA));
        String contextB = serviceContext(launch(toolB, instructorIn(course)));
        String tokenA = lti.serviceAccountToken(LtiRealm.TOOL_CLIENT_ID, LtiRealm.TOOL_SECRET);
        String tokenB = lti.serviceAccountToken(TOOL_B, TOOL_B_SECRET);

        HttpResponse<String> byB = call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextB, "lineitem", activityItem)),
                tokenB, score("student-2", 50));
        assertThat(byB.statusCode()).as(byB.body()).isEqualTo(403);
        HttpResponse<String> byA = call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextA, "lineitem", activityItem)),
                tokenA, score("student-2", 80));
        assertThat(byA.statusCode()).as(byA.body()).isEqualTo(204);
        assertThat(lti.platform().services().scores(activityItem)).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("scoreGiven", 80));

        // a later launch naming the same line item to the other tool never takes it over
        LtiMessage toB = naming(instructorIn(course), course, activityItem);
        launch(toolB, toB);
        assertThat(call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextB, "lineitem", activityItem)), tokenB,
                score("student-2", 10)).statusCode()).isEqualTo(403);

        for (String[] caller : new String[][] {{contextA, tokenA}, {contextB, tokenB}}) {
            HttpResponse<String> score = call("POST", lti.serviceUrl("ags/scores", Map.of("context", caller[0], "lineitem", handMade)),
                    caller[1], score("student-2", 1));
            assertThat(score.statusCode()).as(score.body()).isEqualTo(403);
            assertThat(ids(call("GET", lti.serviceUrl("ags/lineitems", Map.of("context", caller[0])), caller[1], null)))
                    .doesNotContain(handMade);
        }
        assertThat(lti.platform().services().scores(handMade)).isEmpty();
    }

    /**
     * A registration that launches one tool lets it use line items no tool owns, but records one as the tool's only
     * once the platform answered for it: a tool that names ids the platform has not made yet (to reserve them) owns
     * none of them, and a tool added to the registration later gets the line items it creates.
     */
    @Test
    void aSoleToolCannotReserveTheLineItemsOfAToolAddedLater() throws Exception {
        String alias = "solo";
        lti.addRegistration(alias, "solo-client");
        try {
            String course = "solo-" + UUID.randomUUID().toString().substring(0, 6);
            Page landed = lti.launchThrough(alias, "solo-client", instructorIn(course));
            assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
            String contextA = serviceContext(lti.tool().lastLogin());
            String tokenA = lti.serviceAccountToken(LtiRealm.TOOL_CLIENT_ID, LtiRealm.TOOL_SECRET);
            String made = lti.platform().services().addLineItem(course, "made by the teacher");
            int n = Integer.parseInt(made.substring(made.lastIndexOf('/') + 1));
            String notYetMade = made.substring(0, made.lastIndexOf('/') + 1) + (n + 1);

            HttpResponse<String> squat = call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextA, "lineitem", notYetMade)),
                    tokenA, score("student-1", 1));
            assertThat(squat.statusCode()).as(squat.body()).isEqualTo(404);

            lti.updatePlatform(alias, Map.of("toolClientIds", LtiRealm.TOOL_CLIENT_ID + "##" + TOOL_B));
            Page landedB = lti.launchThrough(alias, "solo-client", instructorIn(course).targetLinkUri(toolB.launchUrl()));
            assertThat(landedB.uri().toString()).as(landedB.text()).startsWith(toolB.callbackUrl());
            String contextB = serviceContext(toolB.lastLogin());
            HttpResponse<String> created = call("POST", lti.serviceUrl("ags/lineitems", Map.of("context", contextB)),
                    lti.serviceAccountToken(TOOL_B, TOOL_B_SECRET), "{\"label\":\"B's column\",\"scoreMaximum\":10}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(JSON.readValue(created.body(), Map.class).get("id")).isEqualTo(notYetMade);
            HttpResponse<String> byA = call("POST", lti.serviceUrl("ags/scores", Map.of("context", contextA, "lineitem", notYetMade)),
                    tokenA, score("student-1", 2));
            assertThat(byA.statusCode()).as("B's line item stays B's: " + byA.body()).isEqualTo(403);
        } finally {
            lti.realm().identityProviders().get(alias).remove();
        }
    }

    @Test
    void aDeepLinkMayOnlyLaunchTheToolThatSignsIt() throws Exception {
        BrowserlessUserAgent browser = lti.userAgent();
        ToolLogin teacherInA = launch(browser, lti.tool(), LtiMessage.deepLinking().user("t-" + UUID.randomUUID(), "Ada", "L"));

        HttpResponse<String> intoB = lti.tool().deepLinkingResponse(teacherInA.accessToken(), items(Map.of(
                "type", "ltiResourceLink", "title", "Exam", "url", toolB.launchUrl(),
                "custom", Map.of("exam_mode", "practice", "attempts", "unlimited"))), "application/json");
        assertThat(intoB.statusCode()).as(intoB.body()).isEqualTo(400);
        assertThat(intoB.body()).contains("invalid_content_items").contains("does not launch client 'demo-tool'");
        HttpResponse<String> noUrl = lti.tool().deepLinkingResponse(teacherInA.accessToken(), items(Map.of(
                "type", "ltiResourceLink", "title", "Exam")), "application/json");
        assertThat(noUrl.statusCode()).as(noUrl.body()).isEqualTo(400);
        assertThat(noUrl.body()).contains("'url' is required");

        // links to the tool's own pages, and items that launch nothing, are signed as before
        HttpResponse<String> own = lti.tool().deepLinkingResponse(teacherInA.accessToken(), items(
                Map.of("type", "ltiResourceLink", "title", "Quiz", "url", lti.tool().baseUrl() + "/quiz/1"),
                Map.of("type", "link", "title", "Reading", "url", toolB.baseUrl() + "/anything")), "application/json");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("\"jwt\"");
    }

    @Test
    void anotherToolInTheSameBrowserSessionGetsTheUserButNotTheLaunch() {
        BrowserlessUserAgent browser = lti.userAgent();
        String subject = "s-" + UUID.randomUUID();
        // a complete profile: tool B logs in as an ordinary client of the realm here, not through a launch
        ToolLogin inA = launch(browser, lti.tool(), LtiMessage.resourceLink().user(subject, "Lin", "Learner")
                .email(subject + "@school.example").custom("api_key", "secret-of-a").context("course-x", "X"));
        assertThat(LaunchIT.asMap(inA.claim("https://purl.imsglobal.org/spec/lti/claim/custom")))
                .containsEntry("api_key", "secret-of-a");

        Page page = browser.navigate(toolB.launchUrl());
        assertThat(page.uri().toString()).as(page.text()).startsWith(toolB.callbackUrl());
        ToolLogin inB = toolB.lastLogin();
        assertThat(inB.subject()).as("the same Keycloak user").isEqualTo(inA.subject());
        for (Map<String, Object> claims : List.of(inB.idTokenClaims(), inB.userInfo(), Jwts.claims(inB.accessToken()))) {
            assertThat(claims.keySet()).as("no launch claim reaches tool B")
                    .noneMatch(name -> name.startsWith("https://purl.imsglobal.org/spec/") || name.equals("lti_platform"));
            assertThat(claims.toString()).doesNotContain("secret-of-a").doesNotContain("course-x");
        }
    }

    /**
     * Launch 1 (tool B, course Y) in browser 1; launch 2 of the same platform user (tool A, course X, other role and
     * custom values) in browser 2, whose launch hint is then opened in browser 1 (a link moved between tabs): tool A
     * logs in there with launch 2's claims, and tool B's session in browser 1 still says launch 1 (its userinfo, its
     * roster calls), never launch 2's.
     */
    @Test
    void aLaterLaunchsHintOpenedInAnotherBrowserNeverRewritesAnEarlierToolsSession() throws Exception {
        String subject = "t-" + UUID.randomUUID();
        String courseY = "course-y-" + UUID.randomUUID().toString().substring(0, 6);
        lti.platform().services().setMembers(courseY, List.of(Map.of("user_id", "u1", "roles", List.of(LtiMessage.LEARNER))));
        BrowserlessUserAgent browser1 = lti.userAgent();
        ToolLogin inB = launch(browser1, toolB, LtiMessage.resourceLink().user(subject, "Pat", "Doe").asInstructor()
                .context(courseY, "Y").custom("k", "b"));

        BrowserlessUserAgent browser2 = lti.userAgent();
        launch(browser2, lti.tool(), LtiMessage.resourceLink().user(subject, "Pat", "Doe").asLearner()
                .context("course-x", "X").custom("k", "a"));
        URI entryOfA = browser2.history().stream().filter(u -> u.toString().startsWith(lti.tool().launchUrl()))
                .reduce((first, second) -> second).orElseThrow();
        lti.tool().forwardLaunchHints(true);
        try {
            Page hinted = browser1.navigate(entryOfA.toString());
            assertThat(hinted.uri().toString()).as(hinted.text()).startsWith(lti.tool().callbackUrl());
        } finally {
            lti.tool().forwardLaunchHints(false);
        }
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context")))
                .containsEntry("id", "course-x");

        Map<String, Object> userInfoOfB = userInfo(inB.accessToken());
        assertThat(LaunchIT.asMap(userInfoOfB.get("https://purl.imsglobal.org/spec/lti/claim/context")))
                .as("tool B still sees launch 1").containsEntry("id", courseY);
        assertThat(LaunchIT.asMap(userInfoOfB.get("https://purl.imsglobal.org/spec/lti/claim/custom"))).containsEntry("k", "b");
        HttpResponse<String> rosterOfB = call("GET", lti.serviceUrl("nrps/memberships", Map.of()), inB.accessToken(), null);
        assertThat(rosterOfB.statusCode()).as(rosterOfB.body()).isEqualTo(200);
    }

    /**
     * A tool that logged in from a launch hint in a frame without cookies: when the launch's session ends (an admin
     * ends it, as a logout does), the tool's session ends with it: its token reads no roster any more.
     */
    @Test
    void endingTheLaunchsSessionEndsTheSessionMadeFromItsHint() throws Exception {
        String course = "hint-end-" + UUID.randomUUID().toString().substring(0, 6);
        lti.platform().services().setMembers(course, List.of(Map.of("user_id", "u1", "roles", List.of(LtiMessage.LEARNER))));
        BrowserlessUserAgent browser = lti.userAgent();
        ToolLogin first = launch(browser, lti.tool(), instructorIn(course));
        String launchSession = (String) Jwts.claims(first.accessToken()).get("sid");
        URI entry = browser.history().stream().filter(u -> u.toString().startsWith(lti.tool().launchUrl()))
                .reduce((a, b) -> b).orElseThrow();
        lti.tool().forwardLaunchHints(true);
        ToolLogin fromHint;
        try {
            Page page = lti.userAgent().navigate(entry.toString()); // another browser, no cookie
            assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
            fromHint = lti.tool().lastLogin();
        } finally {
            lti.tool().forwardLaunchHints(false);
        }
        assertThat(call("GET", lti.serviceUrl("nrps/memberships", Map.of()), fromHint.accessToken(), null).statusCode()).isEqualTo(200);

        lti.realm().deleteSession(launchSession, false);

        HttpResponse<String> after = call("GET", lti.serviceUrl("nrps/memberships", Map.of()), fromHint.accessToken(), null);
        assertThat(after.statusCode()).as("the hint's session ended with the launch's: " + after.body()).isEqualTo(401);
    }

    /**
     * A tool that logs in through the SSO cookie and asks for an offline token: once the launch's session ended, the
     * tokens refreshed from the offline token act for the course no more (the service account is for that).
     */
    @Test
    void anOfflineTokenOfALaunchReadsNoRosterOnceTheLaunchsSessionEnded() throws Exception {
        String course = "offline-" + UUID.randomUUID().toString().substring(0, 6);
        lti.platform().services().setMembers(course, List.of(Map.of("user_id", "u1", "roles", List.of(LtiMessage.LEARNER))));
        BrowserlessUserAgent browser = lti.userAgent();
        ToolLogin first = launch(browser, lti.tool(), instructorIn(course));
        String elsewhere = lti.tool().baseUrl() + "/offline-callback";
        Page authorized = browser.navigate(lti.realmUrl() + "/protocol/openid-connect/auth?client_id="
                + LtiRealm.TOOL_CLIENT_ID + "&response_type=code&scope=openid%20offline_access&state=o1&redirect_uri="
                + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));
        String code = io.github.keycloaklti.testsupport.http.Exchanges.multiParams(authorized.uri().getRawQuery())
                .get("code").get(0);
        Map<?, ?> tokens = tokenRequest("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));
        String offline = (String) tokens.get("refresh_token");
        assertThat((String) tokens.get("scope")).contains("offline_access");

        lti.realm().deleteSession((String) Jwts.claims(first.accessToken()).get("sid"), false);

        String refreshed = (String) tokenRequest("grant_type=refresh_token&refresh_token=" + offline).get("access_token");
        HttpResponse<String> roster = call("GET", lti.serviceUrl("nrps/memberships", Map.of()), refreshed, null);
        assertThat(roster.statusCode()).as(roster.body()).isEqualTo(403);
        assertThat(roster.body()).contains("launch_session_ended");
    }

    private static Map<?, ?> tokenRequest(String form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(lti.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&client_id=" + LtiRealm.TOOL_CLIENT_ID
                        + "&client_secret=" + LtiRealm.TOOL_SECRET)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userInfo(String accessToken) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(lti.realmUrl() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }

    /** The launch of an activity whose line item the platform made (AGS 2.0 3.4, {@code lineitem}). */
    private static LtiMessage naming(LtiMessage message, String course, String lineItem) {
        return message.tweak(claims -> claims.claim(AGS, Map.of(
                "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                "lineitems", lti.platform().baseUrl() + "/ags/" + course + "/lineitems",
                "lineitem", lineItem)));
    }

    private static LtiMessage instructorIn(String course) {
        return LtiMessage.resourceLink().user("t-" + UUID.randomUUID(), "Grace", "Hopper").asInstructor()
                .context(course, "Course " + course);
    }

    private static ToolLogin launch(OidcTool tool, LtiMessage message) {
        return launch(lti.userAgent(), tool, message);
    }

    private static ToolLogin launch(BrowserlessUserAgent browser, OidcTool tool, LtiMessage message) {
        if (tool != lti.tool()) {
            message.targetLinkUri(tool.launchUrl());
        }
        Page page = browser.navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(tool.callbackUrl());
        return tool.lastLogin();
    }

    private static String serviceContext(ToolLogin login) {
        return (String) LaunchIT.asMap(login.claim("lti_platform")).get("service_context");
    }



    private static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String score(String userId, int given) {
        return "{\"userId\":\"" + userId + "\",\"scoreGiven\":" + given + ",\"scoreMaximum\":100,"
                + "\"activityProgress\":\"Completed\",\"gradingProgress\":\"FullyGraded\","
                + "\"timestamp\":\"2026-12-07T10:00:00Z\"}";
    }

    private static List<Object> ids(HttpResponse<String> listing) throws Exception {
        List<Object> ids = new ArrayList<>();
        for (Object item : JSON.readValue(listing.body(), List.class)) {
            ids.add(((Map<?, ?>) item).get("id"));
        }
        return ids;
    }

    @SafeVarargs
    private static String items(Map<String, Object>... items) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content_items", List.of(items));
        return JSON.writeValueAsString(body);
    }
}
