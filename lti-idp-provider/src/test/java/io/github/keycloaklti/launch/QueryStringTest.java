package io.github.keycloaklti.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Parameters Keycloak adds to the tool's URL (iss, the launch hint) go in the query, never after a fragment. */
class QueryStringTest {

    private static final Map<String, String> HINT = new LinkedHashMap<>(Map.of("login_hint", "lti-launch.abc"));

    @Test
    void parametersGoBeforeAFragment() {
        assertThat(QueryString.append("https://tool.example/app#/course/1", HINT))
                .isEqualTo("https://tool.example/app?login_hint=lti-launch.abc#/course/1");
        assertThat(QueryString.append("https://tool.example/app?x=1#frag?y=2", HINT))
                .isEqualTo("https://tool.example/app?x=1&login_hint=lti-launch.abc#frag?y=2");
    }

    @Test
    void withoutAFragmentTheyAreAppended() {
        assertThat(QueryString.append("https://tool.example/app", HINT))
                .isEqualTo("https://tool.example/app?login_hint=lti-launch.abc");
    }
}
