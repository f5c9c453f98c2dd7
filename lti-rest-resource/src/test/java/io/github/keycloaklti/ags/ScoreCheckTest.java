package io.github.keycloaklti.ags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** AGS 2.0 scores as a tool sends them: what is refused before anything reaches the platform. */
class ScoreCheckTest {

    private static Map<String, Object> score() {
        Map<String, Object> score = new HashMap<>();
        score.put("userId", "platform-user-1");
        score.put("scoreGiven", 7);
        score.put("scoreMaximum", 10);
        score.put("activityProgress", "Completed");
        score.put("gradingProgress", "FullyGraded");
        score.put("timestamp", "2026-12-01T10:00:00Z");
        return score;
    }

    @Test
    void aCompleteScoreHasNoProblem() {
        assertThat(ScoreCheck.problems(score())).isEmpty();
    }

    @Test
    void everyProblemIsListedAtOnce() {
        Map<String, Object> score = score();
        score.remove("userId");
        score.put("scoreGiven", 11);
        score.put("activityProgress", "Done");
        score.put("timestamp", "yesterday");
        score.put("comment", 5);
        assertThat(ScoreCheck.problems(score)).hasSize(5)
                .anyMatch(p -> p.startsWith("userId is required"))
                .anyMatch(p -> p.contains("greater than scoreMaximum"))
                .anyMatch(p -> p.startsWith("activityProgress must be one of"))
                .anyMatch(p -> p.contains("not ISO 8601"))
                .anyMatch(p -> p.equals("comment must be a string"));
    }

    @Test
    void aGivenScoreNeedsAPositiveMaximum() {
        Map<String, Object> score = score();
        score.put("scoreMaximum", 0);
        assertThat(ScoreCheck.problems(score)).containsExactly(
                "scoreMaximum is required with scoreGiven and must be greater than 0");
        score.remove("scoreGiven");
        score.remove("scoreMaximum");
        assertThat(ScoreCheck.problems(score)).as("progress only, no score").isEmpty();
    }
}
