package io.github.keycloaklti.deeplinking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.claims.LaunchClaims;

/** Deep Linking 2.0 content items against the platform's deep-linking settings. */
class ContentItemsCheckTest {

    private static final LaunchClaims.DeepLinkingSettings SETTINGS = new LaunchClaims.DeepLinkingSettings(
            "https://platform.example/return", List.of("ltiResourceLink", "link"), List.of("iframe"), false, true, null);

    @Test
    void anAcceptedItemHasNoProblem() {
        assertThat(ContentItemsCheck.problems(List.of(Map.of("type", "ltiResourceLink", "title", "Week 1",
                "url", "https://tool.example/launch")), SETTINGS)).isEmpty();
        assertThat(ContentItemsCheck.problems(List.of(), SETTINGS)).as("an empty array cancels").isEmpty();
    }

    @Test
    void whatThePlatformDoesNotAcceptIsRefused() {
        List<String> problems = ContentItemsCheck.problems(List.of(
                Map.of("type", "html", "html", "<p>x</p>"),
                Map.of("type", "link", "url", "https://tool.example/x", "window", Map.of()),
                Map.of("type", "bogus")), SETTINGS);
        assertThat(problems)
                .anyMatch(p -> p.contains("accepts one content item"))
                .anyMatch(p -> p.contains("does not accept type 'html'"))
                .anyMatch(p -> p.contains("presentation 'window' is not accepted"))
                .anyMatch(p -> p.contains("unknown type 'bogus'"));
    }

    @Test
    void notAnArrayIsOneClearProblem() {
        assertThat(ContentItemsCheck.problems(Map.of("type", "link"), SETTINGS))
                .containsExactly("content_items must be a JSON array (an empty array cancels)");
    }
}
