package io.github.keycloaklti.ags;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** AGS 2.0 score publish service (section 3.4): what a score must hold before it is sent to the platform. */
final class ScoreCheck {

    static final Set<String> ACTIVITY = Set.of("Initialized", "Started", "InProgress", "Submitted", "Completed");
    static final Set<String> GRADING = Set.of("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady");

    private ScoreCheck() {
    }

    static List<String> problems(Map<String, Object> score) {
        List<String> problems = new ArrayList<>();
        if (!(score.get("userId") instanceof String user) || user.isBlank()) {
            problems.add("userId is required: the platform's user id (lti_platform.sub of the learner's launch)");
        }
        Object given = score.get("scoreGiven");
        Object maximum = score.get("scoreMaximum");
        if (given != null) {
            if (!(given instanceof Number g) || g.doubleValue() < 0) {
                problems.add("scoreGiven must be a number of at least 0");
            }
            if (!(maximum instanceof Number m) || m.doubleValue() <= 0) {
                problems.add("scoreMaximum is required with scoreGiven and must be greater than 0");
            } else if (given instanceof Number g && g.doubleValue() > m.doubleValue()) {
                problems.add("scoreGiven " + g + " is greater than scoreMaximum " + m);
            }
        } else if (maximum != null && !(maximum instanceof Number)) {
            problems.add("scoreMaximum must be a number");
        }
        if (!ACTIVITY.contains(String.valueOf(score.get("activityProgress")))) {
            problems.add("activityProgress must be one of " + ACTIVITY);
        }
        if (!GRADING.contains(String.valueOf(score.get("gradingProgress")))) {
            problems.add("gradingProgress must be one of " + GRADING);
        }
        if (!(score.get("timestamp") instanceof String timestamp)) {
            problems.add("timestamp is required (ISO 8601 with an offset, e.g. 2026-11-22T10:00:00Z)");
        } else {
            try {
                OffsetDateTime.parse(timestamp);
            } catch (DateTimeParseException e) {
                problems.add("timestamp '" + timestamp + "' is not ISO 8601 with an offset");
            }
        }
        if (score.containsKey("comment") && !(score.get("comment") instanceof String)) {
            problems.add("comment must be a string");
        }
        return problems;
    }
}
