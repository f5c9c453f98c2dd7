package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PairwiseIdsTest {

    private static final String ISSUER = "https://lms.example.edu";
    private static final String KEY = PairwiseIds.newKey();

    private static PairwiseIds ids(String key) {
        return PairwiseIds.of(Map.of(PairwiseIds.ENABLED, "true", PairwiseIds.KEY, key)).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void theSameLearnerHasTheSameIdForAClientAndAnotherForAnotherClient() {
        String id = ids(KEY).hide(ISSUER, "user-42");
        assertThat(ids(KEY).hide(ISSUER, "user-42")).isEqualTo(id);
        assertThat(id).doesNotContain("user-42");
        assertThat(ids(PairwiseIds.newKey()).hide(ISSUER, "user-42")).isNotEqualTo(id);
        assertThat(ids(KEY).hide(ISSUER, "user-43")).isNotEqualTo(id);
        assertThat(ids(KEY).hide("https://other.example.edu", "user-42")).as("another platform's user")
                .isNotEqualTo(id);
    }

    @Test
    void onlyTheClientsKeyAndThePlatformOpenAnId() {
        String id = ids(KEY).hide(ISSUER, "user-42");
        assertThat(ids(KEY).reveal(ISSUER, id)).contains("user-42");
        assertThat(ids(PairwiseIds.newKey()).reveal(ISSUER, id)).isEmpty();
        assertThat(ids(KEY).reveal("https://other.example.edu", id)).isEmpty();
        for (int at : new int[] {0, 14, id.length() / 2, id.length() - 3}) {
            char flipped = id.charAt(at) == 'A' ? 'B' : 'A';
            assertThat(ids(KEY).reveal(ISSUER, id.substring(0, at) + flipped + id.substring(at + 1)))
                    .as("altered at %d", at).isEmpty();
        }
        assertThat(ids(KEY).reveal(ISSUER, "user-42")).as("a platform id is no pairwise id").isEmpty();
        assertThat(ids(KEY).reveal(ISSUER, "not base64 !")).isEmpty();
    }

    @Test
    void offOrWithoutAKeyThereAreNoPairwiseIds() {
        assertThat(PairwiseIds.of(Map.of(PairwiseIds.KEY, KEY))).isEmpty();
        assertThat(PairwiseIds.of(Map.of(PairwiseIds.ENABLED, "true"))).isEmpty();
        assertThat(PairwiseIds.of(Map.of(PairwiseIds.ENABLED, "true", PairwiseIds.KEY, "c2hvcnQ"))).isEmpty();
    }

    @Test
    void everyPlatformUserIdOfTheClaimsIsTheClientsAndTheSisIdIsLeftOut() {
        Map<String, Object> claims = Map.of(
                LtiClaims.PLATFORM, Map.of("iss", ISSUER, "sub", "user-42", "alias", "school"),
                "lti11", Map.of("user_id", "1p1-7", "verified_by", "signature"),
                LtiClaims.FOR_USER, Map.of("user_id", "user-9", "name", "Lin", "person_sourcedid", "sis-9"),
                LtiClaims.LIS, Map.of("person_sourcedid", "sis-42", "course_section_sourcedid", "sis-course"),
                LtiClaims.ROLES, java.util.List.of("Learner"));
        PairwiseIds ids = ids(KEY);
        Map<String, Object> hidden = ids.hideInClaims(claims);
        String owner = PairwiseIds.platform(ISSUER, null);
        assertThat(map(hidden.get(LtiClaims.PLATFORM))).containsEntry("sub", ids.hide(owner, "user-42"))
                .containsEntry("iss", ISSUER).containsEntry("alias", "school");
        assertThat(map(hidden.get("lti11"))).containsEntry("user_id", ids.hide(owner, "1p1-7"));
        assertThat(map(hidden.get(LtiClaims.FOR_USER))).containsEntry("user_id", ids.hide(owner, "user-9"))
                .containsEntry("name", "Lin").doesNotContainKey("person_sourcedid");
        assertThat(map(hidden.get(LtiClaims.LIS))).doesNotContainKey("person_sourcedid")
                .containsEntry("course_section_sourcedid", "sis-course");
        assertThat(hidden.get(LtiClaims.ROLES)).isEqualTo(claims.get(LtiClaims.ROLES));
    }

    @Test
    void registrationsSharingAnIssuerHaveUnrelatedIdsAndANumberOrAMissingPlatformLeaksNothing() {
        PairwiseIds ids = ids(KEY);
        String schoolA = PairwiseIds.platform("https://canvas.instructure.com", "10000000000001");
        String schoolB = PairwiseIds.platform("https://canvas.instructure.com", "10000000000002");
        String atA = ids.hide(schoolA, "user-42");
        assertThat(ids.hide(schoolB, "user-42")).isNotEqualTo(atA);
        assertThat(ids.reveal(schoolB, atA)).as("school A's id never opens for school B").isEmpty();
        assertThat(ids.reveal(schoolA, atA)).contains("user-42");

        Map<String, Object> numeric = ids.hideInClaims(Map.of(LtiClaims.PLATFORM, Map.of("iss", ISSUER, "sub", 42)));
        assertThat(map(numeric.get(LtiClaims.PLATFORM)).get("sub")).isEqualTo(ids.hide(PairwiseIds.platform(ISSUER,
                null), "42"));
        Map<String, Object> noPlatform = ids.hideInClaims(Map.of("lti11", Map.of("user_id", "1p1-7"),
                LtiClaims.FOR_USER, Map.of("user_id", "user-9")));
        assertThat(map(noPlatform.get("lti11"))).doesNotContainKey("user_id");
        assertThat(map(noPlatform.get(LtiClaims.FOR_USER))).doesNotContainKey("user_id");
    }
}
