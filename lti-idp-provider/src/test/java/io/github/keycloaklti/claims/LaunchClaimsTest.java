package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The claims the extension acts on, read as types; a claim not in the spec's shape reads as absent. */
class LaunchClaimsTest {

    @Test
    void theSpecsShapesReadAsTypes() {
        Map<String, Object> claims = Map.of(
                LtiClaims.CONTEXT, Map.of("id", "c-1", "title", "Biology 101", "type", List.of("CourseSection")),
                LtiClaims.DEEP_LINKING_SETTINGS, Map.of("deep_link_return_url", "https://lms.example/return",
                        "accept_types", List.of("ltiResourceLink"), "accept_multiple", false, "data", "opaque"),
                LtiClaims.NAMES_ROLE_SERVICE, Map.of("context_memberships_url", "https://lms.example/members",
                        "service_versions", List.of("2.0")),
                LtiClaims.AGS_ENDPOINT, Map.of("scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                        "lineitems", "https://lms.example/lineitems"),
                LtiClaims.ROLES, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", 7));

        assertThat(LaunchClaims.context(claims)).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo("c-1");
            assertThat(c.title()).isEqualTo("Biology 101");
        });
        assertThat(LaunchClaims.deepLinkingSettings(claims)).hasValueSatisfying(s -> {
            assertThat(s.returnUrl()).isEqualTo("https://lms.example/return");
            assertThat(s.acceptsMultiple()).isFalse();
            assertThat(s.acceptsLineItems()).as("absent: accepted").isTrue();
            assertThat(s.data()).isEqualTo("opaque");
        });
        assertThat(LaunchClaims.namesRoleService(claims).orElseThrow().contextMembershipsUrl())
                .isEqualTo("https://lms.example/members");
        assertThat(LaunchClaims.agsEndpoint(claims).orElseThrow().lineItems()).isEqualTo("https://lms.example/lineitems");
        assertThat(LaunchClaims.roles(claims)).containsExactly("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner");
    }

    @Test
    void claimsNotInTheSpecsShapeReadAsAbsent() {
        Map<String, Object> claims = Map.of(
                LtiClaims.CONTEXT, Map.of("title", "no id"),
                LtiClaims.DEEP_LINKING_SETTINGS, "not an object",
                LtiClaims.AGS_ENDPOINT, Map.of("scope", Map.of("not", "a list")),
                LtiClaims.ROLES, "Learner");

        assertThat(LaunchClaims.context(claims)).isEmpty();
        assertThat(LaunchClaims.deepLinkingSettings(claims)).isEmpty();
        assertThat(LaunchClaims.agsEndpoint(claims)).isEmpty();
        assertThat(LaunchClaims.namesRoleService(claims)).isEmpty();
        assertThat(LaunchClaims.roles(claims)).isEmpty();
    }
}
