package io.github.keycloaklti.toolapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaklti.registration.LtiPlatformConfig;

/** Course staff for rosters and results: context staff roles only; institution roles where the admin lists them. */
class ServiceCallerTest {

    private static final String VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/";

    private static boolean staff(String role, String optedIn) {
        LtiPlatformConfig platform = new LtiPlatformConfig();
        if (optedIn != null) {
            platform.getConfig().put(LtiPlatformConfig.SERVICE_STAFF_ROLES, optedIn);
        }
        return new ServiceCaller(null, null, platform, List.of(role), false).isStaff();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator",
            VOCAB + "membership#Instructor", VOCAB + "membership/Instructor#TeachingAssistant",
            "membership/Instructor#Grader"})
    void courseStaffRolesAreStaff(String role) {
        assertThat(staff(role, null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Learner", "Mentor", VOCAB + "membership#Mentor", VOCAB + "membership/Mentor#Advisor",
            VOCAB + "membership/Learner#Instructor", VOCAB + "institution/person#Instructor",
            VOCAB + "institution/person#Administrator", VOCAB + "system/person#Administrator",
            VOCAB + "membership/Instructor#None", "", "https://example.edu/roles#Instructor"})
    void othersAreNot(String role) {
        assertThat(staff(role, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {VOCAB + "institution/person#Administrator", "institution/person#Administrator"})
    void institutionRolesOnlyWhereTheAdminListsThem(String listed) {
        assertThat(staff(VOCAB + "institution/person#Administrator", listed)).isTrue();
        assertThat(staff(VOCAB + "institution/person#Instructor", listed)).isFalse();
    }
}
