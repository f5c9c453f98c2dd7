package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LtiRoleTest {

    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    @Test
    void aFullContextRoleUriMatchesItsShortName() {
        LtiRole role = LtiRole.of(INSTRUCTOR);
        assertThat(role.matches("Instructor")).isTrue();
        assertThat(role.matches("membership#Instructor")).isTrue();
        assertThat(role.matches(INSTRUCTOR)).isTrue();
        assertThat(role.matches("Learner")).isFalse();
        assertThat(role.isContextRole()).isTrue();
        assertThat(role.name()).isEqualTo("Instructor");
    }

    @Test
    void theDeprecatedShortFormSentByPlatformsIsAContextRole() {
        LtiRole role = LtiRole.of("Learner");
        assertThat(role.uri()).isEqualTo("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner");
        assertThat(role.matches("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner")).isTrue();
    }

    @Test
    void institutionAndSystemRolesAreNotContextRoles() {
        LtiRole faculty = LtiRole.of("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty");
        LtiRole admin = LtiRole.of("http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator");
        assertThat(faculty.isInstitutionRole()).isTrue();
        assertThat(faculty.isContextRole()).isFalse();
        assertThat(faculty.matches("institution/person#Faculty")).isTrue();
        assertThat(faculty.matches("Faculty")).as("a short name means a context role").isFalse();
        assertThat(admin.isSystemRole()).isTrue();
        assertThat(admin.matches("Administrator")).isFalse();
    }

    @Test
    void subRolesKeepTheirParent() {
        LtiRole ta = LtiRole.of("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant");
        assertThat(ta.isContextRole()).isTrue();
        assertThat(ta.name()).isEqualTo("TeachingAssistant");
        assertThat(ta.matches("membership/Instructor#TeachingAssistant")).isTrue();
        assertThat(ta.matches("Instructor")).isFalse();
    }

    @Test
    void noneRolesAreRecognised() {
        assertThat(LtiRole.of("http://purl.imsglobal.org/vocab/lis/v2/system/person#None").isNone()).isTrue();
        assertThat(LtiRole.of(INSTRUCTOR).isNone()).isFalse();
    }

    @Test
    void anEmptyRoleIsRefusedAndNeverMatches() {
        assertThatThrownBy(() -> LtiRole.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LtiRole.of(INSTRUCTOR).matches("")).isFalse();
        assertThat(LtiRole.of(INSTRUCTOR).matches(null)).isFalse();
    }
}
