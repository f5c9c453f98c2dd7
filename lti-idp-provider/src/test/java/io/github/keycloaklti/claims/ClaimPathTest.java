package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClaimPathTest {

    private static final LtiLaunch LAUNCH = new LtiLaunch("https://lms.example", "user-1", LtiClaims.RESOURCE_LINK_REQUEST,
            "d1", "https://tool.example/launch", List.of("Learner"), "ada@example.org", "Ada", "Lovelace", "Ada Lovelace",
            null, Map.of(
                    LtiClaims.CONTEXT, Map.of("id", "c1", "title", "Intro", "type", List.of("CourseSection")),
                    LtiClaims.LIS, Map.of("person_sourcedid", "sis-1"),
                    LtiClaims.ROLES, List.of("Learner", "Mentor")), 0L);

    @Test
    void aClaimNameWithDotsIsFoundWhole() {
        assertThat(ClaimPath.resolve(LAUNCH, LtiClaims.CONTEXT)).isInstanceOf(Map.class);
    }

    @Test
    void aKeyAfterTheClaimNameReadsInsideIt() {
        assertThat(ClaimPath.resolve(LAUNCH, LtiClaims.CONTEXT + ".id")).isEqualTo("c1");
        assertThat(ClaimPath.resolve(LAUNCH, LtiClaims.LIS + ".person_sourcedid")).isEqualTo("sis-1");
    }

    @Test
    void standardClaimsAreAvailable() {
        assertThat(ClaimPath.resolve(LAUNCH, "email")).isEqualTo("ada@example.org");
        assertThat(ClaimPath.resolve(LAUNCH, "sub")).isEqualTo("user-1");
    }

    @Test
    void missingPathsGiveNull() {
        assertThat(ClaimPath.resolve(LAUNCH, LtiClaims.CONTEXT + ".nothing")).isNull();
        assertThat(ClaimPath.resolve(LAUNCH, LtiClaims.CONTEXT + ".id.deeper")).isNull();
        assertThat(ClaimPath.resolve(LAUNCH, "https://other.example/claim")).isNull();
        assertThat(ClaimPath.resolve(LAUNCH, "picture")).isNull();
        assertThat(ClaimPath.resolve(LAUNCH, "")).isNull();
    }

    @Test
    void valuesBecomeStringsItemByItemAndObjectsBecomeJson() {
        assertThat(ClaimPath.asStrings(ClaimPath.resolve(LAUNCH, LtiClaims.ROLES))).containsExactly("Learner", "Mentor");
        assertThat(ClaimPath.asStrings(ClaimPath.resolve(LAUNCH, LtiClaims.LIS)))
                .containsExactly("{\"person_sourcedid\":\"sis-1\"}");
        assertThat(ClaimPath.asStrings(null)).isEmpty();
    }
}
