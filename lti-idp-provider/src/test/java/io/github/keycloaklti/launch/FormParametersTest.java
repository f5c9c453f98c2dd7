package io.github.keycloaklti.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormParametersTest {

    @Test
    void aQueryIsDecodedValueByValue() {
        var params = FormParameters.parse("iss=https%3A%2F%2Flms.example&login_hint=a+b&empty=&flag&&x=1&x=2");
        assertThat(params.getFirst("iss")).isEqualTo("https://lms.example");
        assertThat(params.getFirst("login_hint")).isEqualTo("a b");
        assertThat(params.getFirst("empty")).isEmpty();
        assertThat(params.getFirst("flag")).isEmpty();
        assertThat(params.get("x")).containsExactly("1", "2");
        assertThat(FormParameters.parse(null)).isEmpty();
    }

    @Test
    void malformedEscapesAreARefusedLaunchNotAServerError() {
        for (String malformed : new String[] {"iss=%zz", "%", "iss=%E0%A4%A"}) {
            assertThatThrownBy(() -> FormParameters.parse(malformed)).isInstanceOfSatisfying(LaunchRejectedException.class,
                    e -> assertThat(e.error()).isEqualTo(LaunchError.MALFORMED_REQUEST));
        }
    }
}
