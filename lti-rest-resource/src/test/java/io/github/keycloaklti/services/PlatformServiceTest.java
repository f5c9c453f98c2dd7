package io.github.keycloaklti.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaklti.platform.ServiceUrls;

/** Which URLs a tool may have Keycloak call inside a course's service container, and paging links. */
class PlatformServiceTest {

    private static final String CONTAINER = "https://lms.example.edu/api/lti/courses/42/line_items";

    @ParameterizedTest
    @ValueSource(strings = {CONTAINER, CONTAINER + "/7", CONTAINER + "/7/results", CONTAINER + "/7?x=%2e%2e",
            "HTTPS://LMS.EXAMPLE.EDU/api/lti/courses/42/line_items/8"})
    void urlsInsideTheContainerAreAccepted(String url) {
        assertThat(ServiceUrls.within(url, CONTAINER)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {CONTAINER + "/../../43/line_items/1", CONTAINER + "/%2e%2e/%2e%2e/43/line_items/1",
            CONTAINER + "/%2E%2E/x", CONTAINER + "/.%2e/x", CONTAINER + "//43", CONTAINER + "/7;jsessionid=1",
            CONTAINER + "/7\\..\\x", CONTAINER + "/%2f43", CONTAINER + "/%5c43", CONTAINER + "/%252e%252e/x",
            CONTAINER + "/./7", CONTAINER + "/7/..", CONTAINER + "x/7", "https://lms.example.edu/api/lti/courses/43",
            "https://evil.example/api/lti/courses/42/line_items/7", "http://lms.example.edu/api/lti/courses/42/line_items/7",
            "https://lms.example.edu:8443/api/lti/courses/42/line_items/7",
            "https://user@lms.example.edu/api/lti/courses/42/line_items/7", CONTAINER + "/7#frag", "not a url"})
    void urlsThatLeaveTheContainerOnceNormalizedAreRefused(String url) {
        assertThat(ServiceUrls.within(url, CONTAINER)).isFalse();
    }

    @Test
    void theNextLinkIsReadFromAnyLinkHeader() {
        PlatformService.Answer answer = new PlatformService.Answer(200, "{}", "application/json", List.of(
                "<https://lms.example.edu/a?p=1>; rel=\"prev\", <https://lms.example.edu/a?p=3>; rel=\"next\""));
        assertThat(answer.nextLink()).isEqualTo("https://lms.example.edu/a?p=3");
        assertThat(new PlatformService.Answer(200, "{}", null, List.of("<https://x>; rel=\"last\"")).nextLink()).isNull();
    }

    @Test
    void aSuffixGoesIntoThePathBeforeTheQuery() {
        assertThat(PlatformService.withPathSuffix(CONTAINER + "/7?type=x", "scores")).isEqualTo(CONTAINER + "/7/scores?type=x");
    }
}
