package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LaunchSessionNotesTest {

    @Test
    void theLaunchClaimsSurviveTheTripThroughSessionNotes() {
        Map<String, Object> claims = Map.of(
                LtiClaims.CONTEXT, Map.of("id", "c1", "title", "Intro"),
                LtiClaims.ROLES, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"),
                LtiClaims.CUSTOM, Map.of("due", "2026-12-01", "points", 10));
        LtiLaunch launch = new LtiLaunch("https://lms.example", "user-1", LtiClaims.RESOURCE_LINK_REQUEST, "d1",
                "https://tool.example/launch", List.of(), null, null, null, null, null, claims, 0L);

        Map<String, String> notes = LaunchSessionNotes.of(launch, "moodle", "client-1", "tool");
        Map<String, Object> tokenClaims = LaunchSessionNotes.claimsFrom(notes);

        assertThat(tokenClaims).containsAllEntriesOf(claims);
        assertThat(tokenClaims.get(LtiClaims.PLATFORM)).isEqualTo(
                Map.of("iss", "https://lms.example", "sub", "user-1", "client_id", "client-1", "alias", "moodle"));
    }

    @Test
    void otherSessionNotesAreNotTurnedIntoClaims() {
        Map<String, Object> tokenClaims = LaunchSessionNotes.claimsFrom(Map.of("identity_provider", "moodle",
                "AUTH_TIME", "12345"));
        assertThat(tokenClaims).isEmpty();
    }
}
