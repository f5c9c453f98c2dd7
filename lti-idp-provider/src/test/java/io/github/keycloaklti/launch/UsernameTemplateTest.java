package io.github.keycloaklti.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.claims.LtiLaunch;

class UsernameTemplateTest {

    private static LtiLaunch launch(String email) {
        return new LtiLaunch("https://lms.example", "User-42", "LtiResourceLinkRequest", "d1", "https://t/l", List.of(),
                email, "Ada", "Lovelace", null, null, Map.of(), 0L);
    }

    @Test
    void theDefaultIsAliasAndSubjectInLowerCase() {
        assertThat(UsernameTemplate.render("${ALIAS}.${SUB}", "Moodle", launch(null))).isEqualTo("moodle.user-42");
    }

    @Test
    void placeholdersAreFilledFromTheLaunch() {
        assertThat(UsernameTemplate.render("${EMAIL}", "moodle", launch("Ada@Example.org"))).isEqualTo("ada@example.org");
        assertThat(UsernameTemplate.render("${GIVEN_NAME}-${FAMILY_NAME}-${SUB}", "m", launch(null)))
                .isEqualTo("ada-lovelace-user-42");
    }

    @Test
    void aTemplateNamingAClaimThePlatformDidNotSendFallsBackToTheDefault() {
        assertThat(UsernameTemplate.render("${EMAIL}", "moodle", launch(null))).isEqualTo("moodle.user-42");
    }

    @Test
    void replacementTextIsTakenLiterally() {
        assertThat(UsernameTemplate.render("${EMAIL}", "m", launch("a$1\\b@example.org"))).isEqualTo("a$1\\b@example.org");
    }
}
