package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * The valid launches of 1EdTech's LTI 1.3 tool certification plan (teacher and student launches): each lands in the
 * tool, in a realm whose user profile is Keycloak's default, with the roles exactly as the platform sent them. The
 * known bad payloads of the plan are in {@link BadLaunchIT}.
 */
class CertificationLaunchesIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private static final String INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

    static Stream<Arguments> validLaunches() {
        return Stream.of(
                valid("teacher launch", m -> m.asInstructor()),
                valid("student launch", m -> m.asLearner()),
                valid("multiple role values", m -> m.roles(MEMBERSHIP + "Instructor", MEMBERSHIP + "Mentor",
                        INSTITUTION + "Faculty", INSTITUTION + "Staff")),
                valid("short role names", m -> m.roles("Instructor", "Learner")),
                valid("unknown roles", m -> m.roles("http://example.org/roles#Wizard", "Sorcerer")),
                valid("roles with one empty value", m -> m.roles("")),
                valid("email only", m -> m.withoutNames().email("only-email@school.example")),
                valid("names only", m -> m.email(null)),
                valid("no personal data", m -> m.withoutNames().email(null)),
                valid("no context", m -> m.tweak(claims -> claims.claim(LTI + "context", null)
                        .claim("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice", null)
                        .claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", null))));
    }

    private static Arguments valid(String name, UnaryOperator<LtiMessage> shape) {
        return Arguments.of(name, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLaunches")
    void aValidLaunchOfTheCertificationPlanLandsInTheTool(String name, UnaryOperator<LtiMessage> shape) {
        String subject = "cert-" + UUID.randomUUID();
        LtiMessage message = shape.apply(LtiMessage.resourceLink().user(subject, "Cert", "Ified"));

        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));

        assertThat(page.uri().toString()).as(name + ": " + page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + subject).toLowerCase());
        assertThat(lti.tool().lastLogin().claim(LTI + "roles")).as("the roles as sent")
                .isEqualTo(message.roles());
    }
}
