package io.github.keycloaklti.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The names a launch gives the learner: what the platform sent, split or kept whole, never invented. */
class LtiLaunchNamesTest {

    private static LtiLaunch launch(String given, String family, String name) {
        return new LtiLaunch("https://lms.example", "sub-1", LtiClaims.RESOURCE_LINK_REQUEST, "d", null, List.of(),
                null, given, family, name, null, Map.of(), 0);
    }

    @Test
    void givenAndFamilyNamesWin() {
        assertThat(launch("Ada", "Lovelace", "Countess Ada").firstName()).isEqualTo("Ada");
        assertThat(launch("Ada", "Lovelace", "Countess Ada").lastName()).isEqualTo("Lovelace");
    }

    @Test
    void aNameAloneIsSplitAtItsLastWord() {
        assertThat(launch(null, null, " Mary Ann  Evans ").firstName()).isEqualTo("Mary Ann");
        assertThat(launch(null, null, " Mary Ann  Evans ").lastName()).isEqualTo("Evans");
    }

    @Test
    void aOneWordNameIsKeptWholeAsTheFirstName() {
        assertThat(launch(null, null, "Socrates").firstName()).isEqualTo("Socrates");
        assertThat(launch(null, null, "Socrates").lastName()).isNull();
    }

    @Test
    void noNameGivesNoName() {
        assertThat(launch(null, "", null).firstName()).isNull();
        assertThat(launch(null, "", null).lastName()).isNull();
    }
}
