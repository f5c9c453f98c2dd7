package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * The message types real platforms send besides resource links and deep linking: a submission review (AGS 2.0;
 * Moodle's "Grade analysis", Brightspace) and a context launch (course-level placements), each taken only by a tool
 * that says it handles them; anything else gets a page naming it.
 */
class MessageTypesIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

    @AfterEach
    void theToolTakesOnlyTheUsualMessagesAgain() {
        optIn(null);
    }

    private static void optIn(String messageTypes) {
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        Map<String, String> attributes = new HashMap<>(tool.getAttributes());
        if (messageTypes == null) {
            attributes.remove("lti.message.types");
            attributes.put("lti.message.types", "");
        } else {
            attributes.put("lti.message.types", messageTypes);
        }
        tool.setAttributes(attributes);
        lti.realm().clients().get(tool.getId()).update(tool);
    }

    /** A teacher opens a learner's submission from the gradebook: the learner under review is data, not the login. */
    private static LtiMessage submissionReview(String learner) {
        String base = lti.platform().baseUrl();
        return LtiMessage.resourceLink().user("teacher-" + UUID.randomUUID(), "Grace", "Hopper").asInstructor()
                .tweak(claims -> claims.claim(LTI + "message_type", "LtiSubmissionReviewRequest")
                        .claim(LTI + "for_user", Map.of("user_id", learner, "name", "Lin Learner",
                                "roles", List.of(LtiMessage.LEARNER)))
                        .claim(AGS, Map.of("scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                                "lineitems", base + "/ags/course-101/lineitems",
                                "lineitem", base + "/ags/course-101/lineitems/1")));
    }

    @Test
    void aSubmissionReviewReachesAToolThatTakesItAsTheInstructorWithTheLearnerAsData() {
        String learner = "learner-" + UUID.randomUUID();
        int users = lti.userCount();
        Page refused = lti.userAgent().navigate(lti.platform().loginInitiationUrl(submissionReview(learner)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("lti_message_type_not_accepted").contains("LtiSubmissionReviewRequest")
                .contains("lti.message.types");
        assertThat(lti.userCount()).as("a refused launch creates no user").isEqualTo(users);

        optIn("LtiSubmissionReviewRequest");
        LtiMessage review = submissionReview(learner);
        Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(review));

        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        var login = lti.tool().lastLogin();
        assertThat(login.claim(LTI + "message_type")).isEqualTo("LtiSubmissionReviewRequest");
        assertThat(LaunchIT.asMap(login.claim(LTI + "for_user"))).containsEntry("user_id", learner);
        assertThat(LaunchIT.asMap(login.claim(AGS))).containsKey("lineitem");
        assertThat(LaunchIT.asMap(login.claim("lti_platform"))).containsEntry("sub", review.subject());
        assertThat(lti.userLinkedTo(learner)).as("the learner under review never becomes a user").isNull();
    }

    @Test
    void aSubmissionReviewWithoutItsLearnerIsRefused() {
        optIn("LtiSubmissionReviewRequest");
        Page refused = lti.userAgent().navigate(lti.platform().loginInitiationUrl(submissionReview("x")
                .tweak(claims -> claims.claim(LTI + "for_user", null))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("lti_claim_malformed").contains("for_user");
    }

    @Test
    void aContextLaunchReachesAToolThatTakesIt() {
        LtiMessage course = LtiMessage.resourceLink().user("c-" + UUID.randomUUID(), "Ada", "L").context("course-7", "Seven")
                .tweak(claims -> claims.claim(LTI + "message_type", "LtiContextLaunchRequest").claim(LTI + "resource_link", null));
        Page refused = lti.userAgent().navigate(lti.platform().loginInitiationUrl(course));
        assertThat(refused.text()).contains("lti_message_type_not_accepted");

        optIn("LtiSubmissionReviewRequest, LtiContextLaunchRequest");
        LtiMessage again = LtiMessage.resourceLink().user(course.subject(), "Ada", "L").context("course-7", "Seven")
                .tweak(claims -> claims.claim(LTI + "message_type", "LtiContextLaunchRequest").claim(LTI + "resource_link", null));
        Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(again));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim(LTI + "context"))).containsEntry("id", "course-7");
    }

    @Test
    void aMessageTypeNobodyKnowsGetsAPageNamingIt() {
        optIn("LtiStartProctoring");
        Page refused = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                .tweak(claims -> claims.claim(LTI + "message_type", "LtiStartProctoring"))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("lti_message_type_unsupported").contains("LtiStartProctoring");
    }
}
