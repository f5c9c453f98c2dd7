package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * What Keycloak's own 2025–2026 identity-brokering advisories teach, tried on LTI launches end to end: a disabled
 * registration, a disabled tool client, a disabled user, a link-only registration, a platform user seen under another
 * deployment, an id_token in JWS JSON serialization, {@code for_user} never becoming the login. Each refusal creates
 * no user and no session and never reaches the tool; the legitimate launch beside it lands.
 */
class BrokerAdvisoriesIT extends LtiRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    private static Page launch(LtiMessage message) {
        return lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
    }

    private static LtiMessage learner() {
        return LtiMessage.resourceLink().user("adv-" + UUID.randomUUID(), "Ada", "Lovelace");
    }

    private static void assertLanded(Page page) {
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
    }

    /** The page is a refusal, and the launch changed nothing: no user, no session, the tool not reached. */
    private static void assertRefusedWithoutTrace(Page page, int users, int sessions, int toolHits) {
        assertThat(page.uri().toString()).as(page.text()).doesNotStartWith(lti.tool().callbackUrl());
        assertThat(page.status()).as(page.text()).isGreaterThanOrEqualTo(400);
        assertThat(lti.userCount()).as("no user created").isEqualTo(users);
        assertThat(lti.sessionCount()).as("no session created").isEqualTo(sessions);
        assertThat(lti.tool().launchHits()).as("the tool was not reached").isEqualTo(toolHits);
    }

    @Test
    void aDisabledRegistrationLaunchesNobody() {
        IdentityProviderRepresentation registration = lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation();
        int users = lti.userCount();
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();
        BadLaunchIT.StartedLogin started = BadLaunchIT.startLogin(lti, learner()); // before the admin disables it
        registration.setEnabled(false);
        lti.realm().identityProviders().get(LtiRealm.ALIAS).update(registration);
        try {
            assertRefusedWithoutTrace(launch(learner()), users, sessions, hits);
            HttpResponse<String> posted = started.browser().postOnce(lti.launchUri(), Map.of("state", started.state(),
                    "id_token", lti.platform().idToken(started.message(), started.nonce())));
            assertThat(posted.statusCode()).as("a login started while enabled, finished after").isGreaterThanOrEqualTo(400);
            assertThat(lti.userCount()).isEqualTo(users);
        } finally {
            registration.setEnabled(true);
            lti.realm().identityProviders().get(LtiRealm.ALIAS).update(registration);
        }
        assertLanded(launch(learner()));
    }

    @Test
    void aDisabledToolClientIsNoLaunchTargetEvenForALoginStartedBefore() {
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        int users = lti.userCount();
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();
        BadLaunchIT.StartedLogin started = BadLaunchIT.startLogin(lti, learner());
        tool.setEnabled(false);
        lti.realm().clients().get(tool.getId()).update(tool);
        try {
            Page refused = launch(learner());
            assertRefusedWithoutTrace(refused, users, sessions, hits);
            assertThat(refused.text()).contains("lti_tool_not_found");
            Page posted = started.browser().post(lti.launchUri(), Map.of("state", started.state(),
                    "id_token", lti.platform().idToken(started.message(), started.nonce())));
            assertRefusedWithoutTrace(posted, users, sessions, hits);
        } finally {
            tool.setEnabled(true);
            lti.realm().clients().get(tool.getId()).update(tool);
        }
    }

    /** Moodle's 2025 advisory: suspended users still logged in through LTI. Here a disabled user stays out. */
    @Test
    void aDisabledUserLaunchingAgainIsRefused() {
        LtiMessage message = learner();
        assertLanded(launch(message));
        UserRepresentation user = lti.userLinkedTo(message.subject());
        user.setEnabled(false);
        lti.realm().users().get(user.getId()).update(user);
        lti.realm().users().get(user.getId()).logout();
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();
        Page again = launch(LtiMessage.resourceLink().user(message.subject(), "Ada", "Lovelace"));
        assertRefusedWithoutTrace(again, lti.userCount(), sessions, hits);
    }

    @Test
    void aLinkOnlyRegistrationCreatesNoUserFromALaunch() {
        IdentityProviderRepresentation registration = lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation();
        registration.setLinkOnly(true);
        lti.realm().identityProviders().get(LtiRealm.ALIAS).update(registration);
        int users = lti.userCount();
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();
        try {
            assertRefusedWithoutTrace(launch(learner()), users, sessions, hits);
        } finally {
            registration.setLinkOnly(false);
            lti.realm().identityProviders().get(LtiRealm.ALIAS).update(registration);
        }
    }

    /** A platform user is one person across the platform's deployments: one Keycloak user, each launch its own. */
    @Test
    void aSubSeenUnderAnotherDeploymentIsTheSameUserWithThatLaunchsDeployment() {
        lti.updatePlatform(Map.of("deploymentIds", LtiRealm.DEPLOYMENT_ID + "##deployment-2"));
        try {
            LtiMessage first = learner();
            assertLanded(launch(first));
            String userId = lti.tool().lastLogin().subject();
            assertLanded(launch(LtiMessage.resourceLink().user(first.subject(), "Ada", "Lovelace").deploymentId("deployment-2")));
            assertThat(lti.tool().lastLogin().subject()).as("the same user").isEqualTo(userId);
            assertThat(lti.tool().lastLogin().claim(LTI + "deployment_id")).isEqualTo("deployment-2");
            assertThat(lti.realm().users().get(userId).getFederatedIdentity()).hasSize(1);
        } finally {
            lti.updatePlatform(Map.of("deploymentIds", LtiRealm.DEPLOYMENT_ID));
        }
    }

    /**
     * An id_token in JWS JSON serialization (a 2026 library advisory accepted it unsigned): general and flattened,
     * with a valid signature or none, refused as malformed: a launch is a compact JWS.
     */
    @Test
    void anIdTokenInJwsJsonSerializationIsRefused() throws Exception {
        int users = lti.userCount();
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();
        for (int variant = 0; variant < 4; variant++) {
            // each refusal ends its login (as every refused launch does): a fresh login for each form
            BadLaunchIT.StartedLogin started = BadLaunchIT.startLogin(lti, learner());
            String[] compact = lti.platform().idToken(started.message(), started.nonce()).split("\\.");
            String flattened = JSON.writeValueAsString(Map.of("protected", compact[0], "payload", compact[1],
                    "signature", compact[2]));
            String general = JSON.writeValueAsString(Map.of("payload", compact[1],
                    "signatures", List.of(Map.of("protected", compact[0], "signature", compact[2]))));
            String unsigned = JSON.writeValueAsString(Map.of("payload", compact[1], "signatures", List.of()));
            String idToken = List.of(flattened, general, unsigned,
                    Base64.getUrlEncoder().withoutPadding().encodeToString(general.getBytes())).get(variant);
            HttpResponse<String> posted = started.browser().postOnce(lti.launchUri(),
                    Map.of("state", started.state(), "id_token", idToken));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(400);
            assertThat(posted.body()).contains("lti_malformed_jwt");
        }
        assertThat(lti.userCount()).isEqualTo(users);
        assertThat(lti.sessionCount()).isEqualTo(sessions);
        assertThat(lti.tool().launchHits()).isEqualTo(hits);
    }

    /** {@code for_user} names someone else (the learner a teacher reviews): the login is always {@code sub}. */
    @Test
    void forUserNeverBecomesTheLogin() {
        String learnerSubject = "learner-" + UUID.randomUUID();
        LtiMessage teacher = LtiMessage.resourceLink().user("teacher-" + UUID.randomUUID(), "Tea", "Cher").asInstructor()
                .tweak(claims -> claims.claim(LTI + "for_user", Map.of("user_id", learnerSubject,
                        "roles", List.of(LtiMessage.LEARNER))));
        assertLanded(launch(teacher));
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim("lti_platform"))).containsEntry("sub", teacher.subject());
        assertThat(lti.userLinkedTo(learnerSubject)).as("no user for the learner under review").isNull();
    }
}
