package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.OidcTool;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/**
 * Privacy between tool vendors of one realm: vendor A's tool sees the platform's ids (as always), vendor B's tool
 * has pairwise platform user ids (its LTI claims mapper's setting), vendor C's tool Keycloak's own pairwise subject
 * mapper. What each can correlate: A and B the Keycloak {@code sub} (B may add Keycloak's pairwise subject too), not
 * the platform's user id nor the SIS id; the course, roles and resource link are everyone's.
 */
class ToolPrivacyIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String SECRET = "vendor-secret-" + UUID.randomUUID();
    private static OidcTool vendorB;
    private static OidcTool vendorC;

    @BeforeAll
    static void threeVendors() {
        vendorB = lti.addTool("vendor-b", SECRET, "127.0.0.4", Map.of("lti.pairwise", "true"), List.of());
        withoutProfileAndEmail("vendor-b");
        vendorB.baseScopes("openid");
        ProtocolMapperRepresentation pairwiseSub = new ProtocolMapperRepresentation();
        pairwiseSub.setName("pairwise subject");
        pairwiseSub.setProtocol("openid-connect");
        pairwiseSub.setProtocolMapper("oidc-sha256-pairwise-sub-mapper");
        pairwiseSub.setConfig(Map.of("sectorIdentifierUri", "", "pairwiseSubAlgorithmSalt", "salt-" + UUID.randomUUID()));
        vendorC = lti.addTool("vendor-c", SECRET, "127.0.0.5", Map.of(), List.of(pairwiseSub));
    }

    /**
     * What a pairwise client needs besides its pairwise ids: no {@code profile} scope (its {@code preferred_username}
     * is the username, which the default template makes of the platform's id, and names correlate) and no
     * {@code email} scope.
     */
    private static void withoutProfileAndEmail(String clientId) {
        var client = lti.realm().clients().get(lti.realm().clients().findByClientId(clientId).get(0).getId());
        client.getDefaultClientScopes().stream().filter(scope -> List.of("profile", "email").contains(scope.getName()))
                .forEach(scope -> client.removeDefaultClientScope(scope.getId()));
    }

    @AfterAll
    static void stopVendors() {
        vendorB.close();
        vendorC.close();
    }

    private static ToolLogin launch(OidcTool tool, LtiMessage message) {
        message.targetLinkUri(tool.launchUrl());
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(tool.callbackUrl());
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return tool.lastLogin();
    }

    private static Map<String, Object> claim(ToolLogin login, String name) {
        return LaunchIT.asMap(login.claim(name));
    }

    private static LtiMessage learner(String subject, String course) {
        return LtiMessage.resourceLink().user(subject, "Lin", "Learner").context(course, "Course " + course);
    }

    @Test
    void twoVendorsCannotJoinALearnerByThePlatformsIdButEachSeesTheCourse() {
        String subject = "learner-" + UUID.randomUUID();
        ToolLogin atA = launch(lti.tool(), learner(subject, "course-p1"));
        ToolLogin atB = launch(vendorB, learner(subject, "course-p1"));
        ToolLogin atBAgain = launch(vendorB, learner(subject, "course-p1"));

        assertThat(claim(atA, "lti_platform")).containsEntry("sub", subject);
        assertThat(claim(atA, LTI + "lis")).containsEntry("person_sourcedid", "sis-" + subject);
        String pairwise = (String) claim(atB, "lti_platform").get("sub");
        assertThat(pairwise).isNotEqualTo(subject).doesNotContain(subject);
        assertThat(claim(atBAgain, "lti_platform")).as("the same id at every launch").containsEntry("sub", pairwise);
        assertThat(claim(atB, LTI + "lis")).as("the SIS id is the institution's, everywhere")
                .doesNotContainKey("person_sourcedid");
        assertThat(atB.idTokenClaims().toString()).doesNotContain(subject);
        for (String shared : List.of(LTI + "context", LTI + "roles", LTI + "resource_link", LTI + "custom")) {
            assertThat(atB.claim(shared)).as(shared).isEqualTo(atA.claim(shared));
        }
    }

    @Test
    void keycloaksPairwiseSubjectMapperWorksWithLaunchesHintsAndServices() throws Exception {
        String subject = "teacher-" + UUID.randomUUID();
        String course = "course-p2";
        lti.platform().services().setMembers(course, List.of(Map.of("user_id", subject, "roles",
                List.of(LtiMessage.INSTRUCTOR), "status", "Active")));
        ToolLogin atA = launch(lti.tool(), learner(subject, course).asInstructor());
        ToolLogin atC = launch(vendorC, learner(subject, course).asInstructor());
        assertThat(atC.subject()).as("Keycloak's pairwise sub").isNotEqualTo(atA.subject());
        HttpResponse<String> roster = lti.bearerCall("GET", lti.serviceUrl("nrps/memberships", Map.of()),
                atC.accessToken(), null);
        assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);

        vendorC.forwardLaunchHints(true);
        try {
            String hintedSubject = "hinted-" + UUID.randomUUID();
            ToolLogin hinted = launch(vendorC, learner(hintedSubject, course));
            assertThat(hinted.subject()).isNotEqualTo(lti.userLinkedTo(hintedSubject).getId());
            assertThat(claim(hinted, "lti_platform")).containsEntry("sub", hintedSubject);
        } finally {
            vendorC.forwardLaunchHints(false);
        }
    }

    @Test
    void aPairwiseToolsRosterResultsAndScoresSpeakItsOwnIds() throws Exception {
        String course = "course-p3";
        String teacher = "teacher-" + UUID.randomUUID();
        String student = "student-" + UUID.randomUUID();
        lti.platform().services().setMembers(course, List.of(
                Map.of("user_id", teacher, "roles", List.of(LtiMessage.INSTRUCTOR), "status", "Active"),
                Map.of("user_id", student, "roles", List.of(LtiMessage.LEARNER), "status", "Active",
                        "lis_person_sourcedid", "sis-" + student)));
        String studentAtB = (String) claim(launch(vendorB, learner(student, course)), "lti_platform").get("sub");
        ToolLogin teacherAtB = launch(vendorB, learner(teacher, course).asInstructor());

        HttpResponse<String> roster = lti.bearerCall("GET", lti.serviceUrl("nrps/memberships", Map.of()),
                teacherAtB.accessToken(), null);
        assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
        assertThat(roster.body()).doesNotContain(student).doesNotContain(teacher).doesNotContain("sis-");
        List<?> members = (List<?>) JSON.readValue(roster.body(), Map.class).get("members");
        assertThat(members.stream().map(member -> String.valueOf(((Map<?, ?>) member).get("user_id"))).toList())
                .as("the roster's ids are the ones of the tool's tokens").contains(studentAtB);

        String context = (String) claim(teacherAtB, "lti_platform").get("service_context");
        String token = lti.serviceAccountToken("vendor-b", SECRET);
        HttpResponse<String> item = lti.bearerCall("POST", lti.serviceUrl("ags/lineitems", Map.of("context", context)),
                token, "{\"label\":\"Quiz\",\"scoreMaximum\":10}");
        assertThat(item.statusCode()).as(item.body()).isEqualTo(201);
        String lineItem = (String) JSON.readValue(item.body(), Map.class).get("id");
        Map<String, String> target = Map.of("context", context, "lineitem", lineItem);

        HttpResponse<String> withPlatformId = lti.bearerCall("POST", lti.serviceUrl("ags/scores", target), token,
                score(student));
        assertThat(withPlatformId.statusCode()).as("the platform's own id is not this tool's").isEqualTo(400);
        assertThat(withPlatformId.body()).contains("pairwise");
        HttpResponse<String> scored = lti.bearerCall("POST", lti.serviceUrl("ags/scores", target), token,
                score(studentAtB));
        assertThat(scored.statusCode()).as(scored.body()).isEqualTo(204);
        assertThat(lti.platform().services().scores(lineItem)).singleElement()
                .satisfies(score -> assertThat(score).containsEntry("userId", student));

        HttpResponse<String> results = lti.bearerCall("GET", lti.serviceUrl("ags/results", Map.of("context", context,
                "lineitem", lineItem, "user_id", studentAtB)), token, null);
        assertThat(results.statusCode()).as(results.body()).isEqualTo(200);
        assertThat(results.body()).contains(studentAtB).doesNotContain("\"userId\":\"" + student + "\"");
    }

    @Test
    void aClientThatAsksForPairwiseIdsWithoutAKeyGetsNoPlatformIdAtAll() throws Exception {
        ProtocolMapperRepresentation saved = lti.realm().clients().get(lti.realm().clients().findByClientId("vendor-b")
                .get(0).getId()).getProtocolMappers().getMappers().stream()
                .filter(m -> "oidc-lti-claims-mapper".equals(m.getProtocolMapper())).findFirst().orElseThrow();
        assertThat(saved.getConfig().get("lti.pairwise.key")).as("made when the mapper was saved").isNotBlank();

        // what a realm import or a client's JSON makes: the setting without its key (Keycloak runs no mapper check)
        ProtocolMapperRepresentation inline = new ProtocolMapperRepresentation();
        inline.setName("LTI launch claims");
        inline.setProtocol("openid-connect");
        inline.setProtocolMapper("oidc-lti-claims-mapper");
        inline.setConfig(Map.of("id.token.claim", "true", "access.token.claim", "true", "lti.pairwise", "true"));
        OidcTool vendorD = lti.addTool("vendor-d", SECRET, "127.0.0.6", null, List.of(inline));
        withoutProfileAndEmail("vendor-d");
        vendorD.baseScopes("openid");
        try {
            String subject = "no-key-" + UUID.randomUUID();
            ToolLogin login = launch(vendorD, learner(subject, "course-p4").asInstructor());
            assertThat(claim(login, "lti_platform")).doesNotContainKey("sub");
            assertThat(login.idTokenClaims().toString()).doesNotContain(subject);
            HttpResponse<String> roster = lti.bearerCall("GET", lti.serviceUrl("nrps/memberships", Map.of()),
                    login.accessToken(), null);
            assertThat(roster.statusCode()).isEqualTo(403);
            assertThat(roster.body()).contains("pairwise_key_missing");
        } finally {
            vendorD.close();
        }
    }

    @Test
    void pairwiseIdsAreAClientsOwnNeverASharedScopes() {
        org.keycloak.representations.idm.ClientScopeRepresentation scope =
                new org.keycloak.representations.idm.ClientScopeRepresentation();
        scope.setName("shared-lti-" + UUID.randomUUID().toString().substring(0, 8));
        scope.setProtocol("openid-connect");
        String id;
        try (jakarta.ws.rs.core.Response created = lti.realm().clientScopes().create(scope)) {
            String path = created.getLocation().getPath();
            id = path.substring(path.lastIndexOf('/') + 1);
        }
        ProtocolMapperRepresentation shared = new ProtocolMapperRepresentation();
        shared.setName("LTI launch claims");
        shared.setProtocol("openid-connect");
        shared.setProtocolMapper("oidc-lti-claims-mapper");
        shared.setConfig(Map.of("id.token.claim", "true", "lti.pairwise", "true"));
        try (jakarta.ws.rs.core.Response refused = lti.realm().clientScopes().get(id).getProtocolMappers()
                .createMapper(shared)) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("a client's own");
        }
    }

    private static String score(String userId) {
        return "{\"userId\":\"" + userId + "\",\"scoreGiven\":7,\"scoreMaximum\":10,\"activityProgress\":\"Completed\","
                + "\"gradingProgress\":\"FullyGraded\",\"timestamp\":\"2026-12-08T10:00:00Z\"}";
    }
}
