package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformServices;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/** NRPS rosters and AGS grades: tools call Keycloak, Keycloak calls the platform with its own credentials. */
class ServicesIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RoleRepresentation serviceRole;

    @BeforeAll
    static void grantTheServiceRole() {
        RoleRepresentation role = new RoleRepresentation();
        role.setName("lti-service");
        lti.realm().roles().create(role);
        serviceRole = lti.realm().roles().get("lti-service").toRepresentation();
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        UserRepresentation account = lti.realm().clients().get(tool.getId()).getServiceAccountUser();
        lti.realm().users().get(account.getId()).roles().realmLevel().add(List.of(serviceRole));
    }

    @AfterAll
    static void noAccessTokenInTheLog() {
        String log = lti.server().log();
        assertThat(ISSUED_TOOL_TOKENS).isNotEmpty();
        for (String token : ISSUED_TOOL_TOKENS) {
            assertThat(log).as("no access token of the tool in Keycloak's log")
                    .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        for (String token : lti.platform().services().issuedTokens()) {
            assertThat(log).as("no platform access token in Keycloak's log").doesNotContain(token);
        }
        assertThat(lti.platform().services().receivedAssertions()).isNotEmpty();
        for (String assertion : lti.platform().services().receivedAssertions()) {
            assertThat(log).as("no client assertion in Keycloak's log")
                    .doesNotContain(assertion.substring(assertion.lastIndexOf('.') + 1));
        }
    }

    private static final List<String> ISSUED_TOOL_TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void pageAsUsual() {
        lti.platform().services().setPageSize(Integer.MAX_VALUE);
    }

    private static String newCourse(int members) {
        String course = "course-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> roster = new ArrayList<>();
        roster.add(Map.of("user_id", "teacher", "name", "Grace Hopper", "roles", List.of(LtiMessage.INSTRUCTOR), "status", "Active"));
        for (int i = 1; i < members; i++) {
            roster.add(Map.of("user_id", "student-" + i, "name", "Student " + i, "roles", List.of(LtiMessage.LEARNER),
                    "status", "Active"));
        }
        lti.platform().services().setMembers(course, roster);
        return course;
    }

    private static ToolLogin launch(String course, boolean instructor) {
        LtiMessage message = LtiMessage.resourceLink().user((instructor ? "t-" : "s-") + UUID.randomUUID(), "Pat", "Doe")
                .context(course, "Course " + course);
        if (instructor) {
            message.asInstructor();
        }
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        ISSUED_TOOL_TOKENS.add(lti.tool().lastLogin().accessToken());
        return lti.tool().lastLogin();
    }

    private static ToolLogin launchWithRoles(String course, String... roles) {
        LtiMessage message = LtiMessage.resourceLink().user("r-" + UUID.randomUUID(), "Pat", "Doe")
                .context(course, "Course " + course).roles(roles);
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        ISSUED_TOOL_TOKENS.add(lti.tool().lastLogin().accessToken());
        return lti.tool().lastLogin();
    }

    private static String serviceContext(ToolLogin login) {
        return (String) LaunchIT.asMap(login.claim("lti_platform")).get("service_context");
    }

    private static String serviceAccountToken() {
        String token = lti.serviceAccountToken(LtiRealm.TOOL_CLIENT_ID, LtiRealm.TOOL_SECRET);
        ISSUED_TOOL_TOKENS.add(token);
        return token;
    }

    private static String url(String path, Map<String, String> params) {
        return lti.serviceUrl(path, params);
    }

    private static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JSON.readValue(response.body(), Map.class);
        return body;
    }

    @Test
    void anInstructorsTokenReadsTheRosterOfTheLaunchsCourse() throws Exception {
        String course = newCourse(5);
        ToolLogin instructor = launch(course, true);

        HttpResponse<String> response = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
        assertThat((List<?>) json(response).get("members")).hasSize(5);
        assertThat(LaunchIT.asMap(json(response).get("context"))).containsEntry("id", course);
    }

    /**
     * Every call Keycloak makes to the platform names the product, its version and Keycloak's (Canvas refuses API
     * calls without a User-Agent, and asks integrations to identify themselves).
     */
    @Test
    void everyCallToThePlatformSaysWhatItIs() throws Exception {
        String course = newCourse(2);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();
        assertThat(call("GET", url("nrps/memberships", Map.of("context", context)), token, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", url("ags/lineitems", Map.of("context", context)), token,
                "{\"label\":\"UA\",\"scoreMaximum\":1}").statusCode()).isEqualTo(201);
        List<String> calls = lti.platform().receivedUserAgents().stream()
                .filter(c -> c.startsWith("/jwks ") || c.startsWith("/token ") || c.startsWith("/nrps/") || c.startsWith("/ags/"))
                .toList();
        assertThat(calls).anyMatch(c -> c.startsWith("/jwks ")).anyMatch(c -> c.startsWith("/token "))
                .anyMatch(c -> c.startsWith("/nrps/")).anyMatch(c -> c.startsWith("/ags/"));
        assertThat(calls).allSatisfy(c -> assertThat(c.substring(c.indexOf(' ') + 1))
                .startsWith("keycloak-lti/0.").contains("(Keycloak 26.").doesNotContain("Apache-HttpClient"));
    }

    @Test
    void aRosterOfThreePagesIsFollowedWholeOrPagedOnRequest() throws Exception {
        String course = newCourse(7);
        ToolLogin instructor = launch(course, true);
        lti.platform().services().setPageSize(3);

        HttpResponse<String> whole = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);
        assertThat((List<?>) json(whole).get("members")).hasSize(7);

        HttpResponse<String> first = call("GET", url("nrps/memberships", Map.of("limit", "3")), instructor.accessToken(), null);
        assertThat((List<?>) json(first).get("members")).hasSize(3);
        String link = first.headers().firstValue("Link").orElseThrow();
        String next = link.substring(1, link.indexOf('>'));
        assertThat(next).startsWith(lti.server().realmUrl(lti.name()) + "/lti/nrps/memberships");
        HttpResponse<String> second = call("GET", next, instructor.accessToken(), null);
        assertThat((List<?>) json(second).get("members")).hasSize(3);

        HttpResponse<String> forged = call("GET", url("nrps/memberships", Map.of("page",
                java.util.Base64.getUrlEncoder().encodeToString("https://evil.example/steal".getBytes()))),
                instructor.accessToken(), null);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("invalid_page");
    }

    @Test
    void theRoleFilterReachesThePlatform() throws Exception {
        String course = newCourse(4);
        ToolLogin instructor = launch(course, true);
        HttpResponse<String> learners = call("GET", url("nrps/memberships", Map.of("role", "Learner")),
                instructor.accessToken(), null);
        assertThat((List<?>) json(learners).get("members")).hasSize(3);
    }

    @Test
    void aLearnerCannotReadTheRosterNorPostAScore() throws Exception {
        String course = newCourse(3);
        ToolLogin learner = launch(course, false);

        HttpResponse<String> roster = call("GET", url("nrps/memberships", Map.of()), learner.accessToken(), null);
        assertThat(roster.statusCode()).isEqualTo(403);
        assertThat(roster.body()).contains("insufficient_role");

        String lineItems = (String) LaunchIT.asMap(learner.claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")).get("lineitems");
        HttpResponse<String> score = call("POST", url("ags/scores", Map.of("lineitem", lineItems + "/1")),
                learner.accessToken(), "{}");
        assertThat(score.statusCode()).isEqualTo(403);
        assertThat(score.body()).contains("service_account_required");
    }

    @Test
    void theToolsServiceAccountReadsTheRosterAfterTheUsersSessionEnded() throws Exception {
        String course = newCourse(4);
        ToolLogin instructor = launch(course, true);
        String context = serviceContext(instructor);
        assertThat(context).isNotBlank();
        lti.realm().users().get(instructor.subject()).logout();
        assertThat(call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null).statusCode())
                .as("the user's token died with the session").isEqualTo(401);

        HttpResponse<String> response = call("GET", url("nrps/memberships", Map.of("context", context)),
                serviceAccountToken(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat((List<?>) json(response).get("members")).hasSize(4);
    }

    @Test
    void theServiceContextSurvivesAKeycloakRestart() throws Exception {
        String course = newCourse(3);
        String context = serviceContext(launch(course, true));

        lti.server().restart();

        HttpResponse<String> response = call("GET", url("nrps/memberships", Map.of("context", context)),
                serviceAccountToken(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat((List<?>) json(response).get("members")).hasSize(3);
    }

    @Test
    void theServiceAccountNeedsTheRoleAndAContextOfItsTool() throws Exception {
        String course = newCourse(2);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();

        assertThat(call("GET", url("nrps/memberships", Map.of()), token, null).body()).contains("context_required");
        HttpResponse<String> unknown = call("GET", url("nrps/memberships", Map.of("context", "no-such-context")), token, null);
        assertThat(unknown.statusCode()).isEqualTo(404);

        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        UserRepresentation account = lti.realm().clients().get(tool.getId()).getServiceAccountUser();
        lti.realm().users().get(account.getId()).roles().realmLevel().remove(List.of(serviceRole));
        try {
            HttpResponse<String> withoutRole = call("GET", url("nrps/memberships", Map.of("context", context)),
                    serviceAccountToken(), null);
            assertThat(withoutRole.statusCode()).isEqualTo(403);
            assertThat(withoutRole.body()).contains("lti-service");
        } finally {
            lti.realm().users().get(account.getId()).roles().realmLevel().add(List.of(serviceRole));
        }
    }

    @Test
    void thePlatformTokenIsCachedAndRefreshedOnceWhenThePlatformForgetsIt() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);
        int requests = lti.platform().services().tokenRequests();

        assertThat(call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null).statusCode()).isEqualTo(200);
        assertThat(lti.platform().services().tokenRequests()).as("cached token reused").isEqualTo(requests);

        lti.platform().services().revokeTokens();
        assertThat(call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null).statusCode()).isEqualTo(200);
        assertThat(lti.platform().services().tokenRequests()).as("one refresh after the 401").isEqualTo(requests + 1);
    }

    @Test
    void lineItemsScoresAndResultsThroughKeycloak() throws Exception {
        String course = newCourse(3);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();

        HttpResponse<String> created = call("POST", url("ags/lineitems", Map.of("context", context)), token,
                "{\"label\":\"Quiz 1\",\"scoreMaximum\":10,\"resourceId\":\"quiz-1\",\"tag\":\"quiz\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String lineItem = (String) json(created).get("id");
        assertThat(lineItem).startsWith(lti.platform().baseUrl() + "/ags/" + course + "/lineitems/");

        HttpResponse<String> list = call("GET", url("ags/lineitems", Map.of("context", context)), token, null);
        assertThat(list.body()).contains(lineItem);
        HttpResponse<String> updated = call("PUT", url("ags/lineitem", Map.of("context", context, "lineitem", lineItem)),
                token, "{\"label\":\"Quiz 1 (revised)\",\"scoreMaximum\":10}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(call("GET", url("ags/lineitem", Map.of("context", context, "lineitem", lineItem)), token, null).body())
                .contains("Quiz 1 (revised)");

        HttpResponse<String> score = call("POST", url("ags/scores", Map.of("context", context, "lineitem", lineItem)), token,
                "{\"userId\":\"student-1\",\"scoreGiven\":7,\"scoreMaximum\":10,\"activityProgress\":\"Completed\","
                        + "\"gradingProgress\":\"FullyGraded\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"comment\":\"Good\"}");
        assertThat(score.statusCode()).as(score.body()).isEqualTo(204);
        assertThat(lti.platform().services().scores(lineItem)).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("userId", "student-1").containsEntry("scoreGiven", 7));

        HttpResponse<String> results = call("GET", url("ags/results", Map.of("context", context, "lineitem", lineItem)),
                token, null);
        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.body()).contains("\"userId\":\"student-1\"");

        assertThat(call("DELETE", url("ags/lineitem", Map.of("context", context, "lineitem", lineItem)), token, null)
                .statusCode()).isEqualTo(204);
    }

    /**
     * A registration that launches one tool: a line item no tool owns (made in the gradebook, or through an earlier
     * release) is that tool's, as the platform sees it; it is listed and scored.
     */
    @Test
    void aLineItemNoToolOwnsIsTheToolsWhereTheRegistrationLaunchesOnlyIt() throws Exception {
        String course = newCourse(2);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();
        String handMade = lti.platform().services().addLineItem(course, "Participation");

        assertThat(call("GET", url("ags/lineitems", Map.of("context", context)), token, null).body()).contains(handMade);
        HttpResponse<String> score = call("POST", url("ags/scores", Map.of("context", context, "lineitem", handMade)), token,
                "{\"userId\":\"student-1\",\"scoreGiven\":3,\"scoreMaximum\":10,\"activityProgress\":\"Completed\","
                        + "\"gradingProgress\":\"FullyGraded\",\"timestamp\":\"2026-12-07T10:00:00Z\"}");
        assertThat(score.statusCode()).as(score.body()).isEqualTo(204);
        assertThat(lti.platform().services().scores(handMade)).hasSize(1);
    }

    @Test
    void badScoresAndForeignLineItemsAreRefusedBeforeReachingThePlatform() throws Exception {
        String course = newCourse(2);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();
        String lineItem = (String) json(call("POST", url("ags/lineitems", Map.of("context", context)), token,
                "{\"label\":\"Quiz\",\"scoreMaximum\":10}")).get("id");

        HttpResponse<String> outside = call("POST", url("ags/scores", Map.of("context", context,
                "lineitem", "https://evil.example/lineitems/1")), token, "{}");
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(outside.body()).contains("lineitem_outside_context");

        HttpResponse<String> malformed = call("POST", url("ags/scores", Map.of("context", context, "lineitem", lineItem)),
                token, "{\"userId\":");
        assertThat(malformed.statusCode()).isEqualTo(400);

        HttpResponse<String> tooHigh = call("POST", url("ags/scores", Map.of("context", context, "lineitem", lineItem)),
                token, "{\"userId\":\"s\",\"scoreGiven\":11,\"scoreMaximum\":10,\"activityProgress\":\"Done\","
                        + "\"gradingProgress\":\"FullyGraded\"}");
        assertThat(tooHigh.statusCode()).isEqualTo(400);
        assertThat(tooHigh.body()).contains("greater than scoreMaximum").contains("activityProgress must be one of")
                .contains("timestamp is required");
        assertThat(lti.platform().services().scores(lineItem)).isEmpty();

        assertThat(call("GET", url("nrps/memberships", Map.of("context", context)), null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void platformFailuresBecomeClearGatewayErrors() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        String roster = url("nrps/memberships", Map.of());

        lti.platform().services().failNextServiceCall(new PlatformServices.Fault(500, "{\"oops\":true}", 0));
        HttpResponse<String> serverError = call("GET", roster, instructor.accessToken(), null);
        assertThat(serverError.statusCode()).isEqualTo(502);
        assertThat(serverError.body()).contains("platform_status=500");

        lti.platform().services().failNextServiceCall(new PlatformServices.Fault(200, "<html>not json</html>", 0));
        HttpResponse<String> junk = call("GET", roster, instructor.accessToken(), null);
        assertThat(junk.statusCode()).isEqualTo(502);
        assertThat(junk.body()).contains("platform_invalid_answer");

        lti.platform().services().failNextServiceCall(new PlatformServices.Fault(200, "{}", 11_000));
        long start = System.nanoTime();
        HttpResponse<String> slow = call("GET", roster, instructor.accessToken(), null);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(seconds).as("bounded by the read timeout").isLessThan(15);
    }

    /** Token endpoints answer as their platforms do: 201 instead of 200, no expires_in (both allowed by RFC 6749). */
    @Test
    void tokenEndpointsThatAnswer201WithoutExpiresInWork() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        lti.platform().services().tokenAnswers(201, false);
        try {
            lti.platform().services().revokeTokens();
            int requests = lti.platform().services().tokenRequests();

            HttpResponse<String> roster = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);

            assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
            assertThat(lti.platform().services().tokenRequests()).as("a new token, answered 201").isGreaterThan(requests);
        } finally {
            lti.platform().services().tokenAnswers(200, true);
        }
    }

    @Test
    void aTokenEndpointRefusingTheScopesIsAGatewayErrorThatSaysSo() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        lti.platform().services().refuseTokenScopes(true);
        try {
            lti.platform().services().revokeTokens();

            HttpResponse<String> refused = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);

            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(refused.body()).contains("platform_token_invalid_scope").contains("invalid_scope")
                    .contains("contextmembership.readonly");
        } finally {
            lti.platform().services().refuseTokenScopes(false);
        }
    }

    /** Moodle's line item ids carry a query: scores and results go before it, the query kept. */
    @Test
    void moodlesLineItemIdsWithAQueryGetTheirScoresAndResults() throws Exception {
        String course = newCourse(1);
        String context = serviceContext(launch(course, true));
        String token = serviceAccountToken();
        lti.platform().services().moodleLineItemIds(true);
        try {
            HttpResponse<String> created = call("POST", url("ags/lineitems", Map.of("context", context)), token,
                    "{\"label\":\"Essay\",\"scoreMaximum\":20}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String lineItem = (String) json(created).get("id");
            assertThat(lineItem).matches(".*/lineitems/\\d+/lineitem\\?type_id=\\d+");

            HttpResponse<String> score = call("POST", url("ags/scores", Map.of("context", context, "lineitem", lineItem)),
                    token, "{\"userId\":\"student-9\",\"scoreGiven\":15,\"scoreMaximum\":20,"
                            + "\"activityProgress\":\"Completed\",\"gradingProgress\":\"FullyGraded\","
                            + "\"timestamp\":\"2026-11-22T10:00:00Z\"}");
            assertThat(score.statusCode()).as(score.body()).isEqualTo(204);
            assertThat(lti.platform().services().scores(lineItem)).singleElement()
                    .satisfies(s -> assertThat(s).containsEntry("userId", "student-9"));
            HttpResponse<String> results = call("GET", url("ags/results", Map.of("context", context,
                    "lineitem", lineItem)), token, null);
            assertThat(results.statusCode()).as(results.body()).isEqualTo(200);
            assertThat(results.body()).contains("\"userId\":\"student-9\"");
        } finally {
            lti.platform().services().moodleLineItemIds(false);
        }
    }

    /** Brightspace's token endpoint wants another audience than its URL: the registration's tokenAudience. */
    @Test
    void theRegistrationsTokenAudienceIsTheAudienceOfItsClientAssertions() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        String audience = "https://auth.platform.example/core/connect/token";
        lti.platform().services().expectTokenAudience(audience);
        try {
            lti.platform().services().revokeTokens();
            HttpResponse<String> withoutIt = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);
            assertThat(withoutIt.statusCode()).as("the token URL as audience is refused here").isEqualTo(502);
            assertThat(withoutIt.body()).contains("platform_token_refused");

            lti.updatePlatform(Map.of("tokenAudience", audience));
            HttpResponse<String> withIt = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);
            assertThat(withIt.statusCode()).as(withIt.body()).isEqualTo(200);
        } finally {
            lti.platform().services().expectTokenAudience(null);
            lti.updatePlatform(Map.of("tokenAudience", ""));
        }
    }

    /** Course staff means staff of this course: observers (parents) and staff elsewhere in the institution are not. */
    @Test
    void onlyCourseStaffReadRostersAndResults() throws Exception {
        String course = newCourse(3);
        String vocab = "http://purl.imsglobal.org/vocab/lis/v2/";
        for (String[] roles : List.of(
                new String[] {vocab + "membership#Mentor"},
                new String[] {vocab + "membership#Mentor", LtiMessage.LEARNER},
                new String[] {vocab + "institution/person#Instructor", LtiMessage.LEARNER},
                new String[] {vocab + "institution/person#Mentor"},
                new String[] {vocab + "institution/person#Administrator"},
                new String[] {vocab + "system/person#Administrator"},
                new String[] {LtiMessage.LEARNER, ""},
                new String[] {vocab + "membership/Learner#Instructor"})) {
            ToolLogin login = launchWithRoles(course, roles);
            HttpResponse<String> roster = call("GET", url("nrps/memberships", Map.of()), login.accessToken(), null);
            assertThat(roster.statusCode()).as("roles %s", List.of(roles)).isEqualTo(403);
            assertThat(roster.body()).contains("insufficient_role");
        }
        for (String[] roles : List.of(
                new String[] {"Instructor"},
                new String[] {"TeachingAssistant"},
                new String[] {vocab + "membership#ContentDeveloper"},
                new String[] {vocab + "membership/Instructor#TeachingAssistant"},
                new String[] {vocab + "membership#Administrator"})) {
            ToolLogin login = launchWithRoles(course, roles);
            HttpResponse<String> roster = call("GET", url("nrps/memberships", Map.of()), login.accessToken(), null);
            assertThat(roster.statusCode()).as("roles %s: %s", List.of(roles), roster.body()).isEqualTo(200);
        }
    }

    @Test
    void institutionRolesReadRostersOnlyWhereTheAdminListedThem() throws Exception {
        String course = newCourse(2);
        String admin = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator";
        lti.updatePlatform(Map.of("serviceStaffRoles", admin));
        try {
            ToolLogin login = launchWithRoles(course, admin);
            HttpResponse<String> roster = call("GET", url("nrps/memberships", Map.of()), login.accessToken(), null);
            assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
            ToolLogin faculty = launchWithRoles(course, "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor");
            assertThat(call("GET", url("nrps/memberships", Map.of()), faculty.accessToken(), null).statusCode())
                    .as("only the listed role").isEqualTo(403);
        } finally {
            lti.updatePlatform(Map.of("serviceStaffRoles", ""));
        }
    }

    /** Line items and roster pages that a server would read as outside the course never leave Keycloak. */
    @Test
    void serviceUrlsThatLeaveTheCourseOnceNormalizedAreRefused() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        String context = serviceContext(instructor);
        String token = serviceAccountToken();
        String container = lti.platform().baseUrl() + "/ags/" + course + "/lineitems";
        int calls = lti.platform().services().serviceRequests().size();
        for (String lineItem : List.of(container + "/%2e%2e/%2e%2e/other-course/lineitems/1",
                container + "/1/%2E%2E/%2E%2E/%2E%2E/x", container + "//other", container + "/1;jsessionid=x",
                container + "/1\\..\\..\\x", container + "/../../other/lineitems/1", container + "/./1",
                container + "/%2fother", container + "/%252e%252e/x", container + "x/1")) {
            HttpResponse<String> score = call("POST", url("ags/scores", Map.of("context", context, "lineitem", lineItem)),
                    token, "{}");
            assertThat(score.statusCode()).as("%s: %s", lineItem, score.body()).isEqualTo(400);
            assertThat(score.body()).contains("lineitem_outside_context");
        }
        String roster = lti.platform().baseUrl() + "/nrps/" + course + "/memberships";
        for (String page : List.of(roster + "/%2e%2e/%2e%2e/other/memberships", roster + "//x", roster + "/;x")) {
            HttpResponse<String> forged = call("GET", url("nrps/memberships", Map.of("page",
                    java.util.Base64.getUrlEncoder().encodeToString(page.getBytes(StandardCharsets.UTF_8)))),
                    instructor.accessToken(), null);
            assertThat(forged.statusCode()).as(page).isEqualTo(400);
            assertThat(forged.body()).contains("invalid_page");
        }
        assertThat(lti.platform().services().serviceRequests()).as("nothing reached the platform").hasSize(calls);
    }

    @Test
    void aRedirectFromThePlatformIsAGatewayErrorNotAnEmptySuccess() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        lti.platform().services().failNextServiceCall(new PlatformServices.Fault(302, "", 0));
        HttpResponse<String> redirected = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);
        assertThat(redirected.statusCode()).isEqualTo(502);
        assertThat(redirected.body()).contains("platform_redirect");
    }

    /** A platform that answers with endless large pages costs Keycloak a bounded amount of memory per call. */
    @Test
    void aHugeRosterIsRefusedWithinABoundedSize() throws Exception {
        String course = "huge-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> roster = new ArrayList<>();
        String padding = "x".repeat(1000);
        for (int i = 0; i < 20_000; i++) {
            roster.add(Map.of("user_id", "s" + i, "name", "Student " + i + padding, "roles", List.of(LtiMessage.LEARNER),
                    "status", "Active"));
        }
        lti.platform().services().setMembers(course, roster);
        lti.platform().services().setPageSize(3_000); // pages of about 3 MB, under the 4 MiB an answer may have
        ToolLogin instructor = launch(course, true);

        HttpResponse<String> whole = call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);

        assertThat(whole.statusCode()).isEqualTo(502);
        assertThat(whole.body()).contains("roster_too_large");
        HttpResponse<String> paged = call("GET", url("nrps/memberships", Map.of("limit", "100")), instructor.accessToken(), null);
        assertThat(paged.statusCode()).as("page by page still works").isEqualTo(200);
    }

    /**
     * Platform tokens are cached per registration, token URL and audience: a token is only ever used where it came
     * from, never by another registration or after the registration's token URL changed.
     */
    @Test
    void aCachedPlatformTokenIsUsedOnlyWithTheTokenUrlThatIssuedIt() throws Exception {
        String course = newCourse(2);
        ToolLogin instructor = launch(course, true);
        assertThat(call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null).statusCode()).isEqualTo(200);
        String original = lti.platform().tokenUrl();
        int asked = lti.platform().services().tokenRequests();
        try {
            // another token URL of the same platform (a registration's token URL is always on its issuer's origin)
            lti.updatePlatform(Map.of("tokenUrl", original + "?moved=1"));

            call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null);

            assertThat(lti.platform().services().tokenRequests()).as("a token asked from the new token URL, none reused")
                    .isGreaterThan(asked);
        } finally {
            lti.updatePlatform(Map.of("tokenUrl", original));
        }
        assertThat(call("GET", url("nrps/memberships", Map.of()), instructor.accessToken(), null).statusCode()).isEqualTo(200);
    }

    /** What was recorded for a course goes with its registration: nothing of it serves a later one of the same name. */
    @Test
    void serviceContextsAreForgottenWithTheirRegistration() throws Exception {
        String alias = "lifecycle-" + UUID.randomUUID().toString().substring(0, 6);
        String clientId = "lifecycle-" + UUID.randomUUID();
        Map<String, String> config = new java.util.HashMap<>(lti.platformConfig());
        config.put("clientId", clientId);
        try (jakarta.ws.rs.core.Response created = lti.createPlatform(alias, config)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        lti.setUpRealmFor(alias);
        String course = newCourse(2);
        Page page = lti.launchThrough(alias, clientId, LtiMessage.resourceLink().user("t-" + UUID.randomUUID(), "Pat", "Doe")
                .context(course, "Course " + course).asInstructor());
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        String context = serviceContext(lti.tool().lastLogin());
        String token = serviceAccountToken();
        // known before (the emulator then refuses this registration's token: only its own client has keys there)
        HttpResponse<String> known = call("GET", url("nrps/memberships", Map.of("context", context)), token, null);
        assertThat(known.body()).as("the context is recorded").doesNotContain("no_service_context");
        assertThat(known.statusCode()).isNotEqualTo(404);

        lti.realm().identityProviders().get(alias).remove();

        HttpResponse<String> gone = call("GET", url("nrps/memberships", Map.of("context", context)), token, null);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
        assertThat(gone.body()).contains("no_service_context");
    }
}
