package io.github.keycloaklti.launch;

import java.util.Arrays;
import java.util.Set;

import org.keycloak.models.ClientModel;

import io.github.keycloaklti.claims.LtiClaims;

/**
 * Which message types a tool client takes. Every tool takes resource-link and deep-linking launches; a submission
 * review (AGS 2.0: an instructor opens a learner's submission from the gradebook, Moodle's "Grade analysis",
 * Brightspace) and a context launch (a course-level placement) only where the tool says it handles them, in the
 * client attribute {@value #ATTRIBUTE} (space- or comma-separated). A tool that never heard of them would otherwise
 * show the instructor a page as if it were an ordinary launch.
 */
final class MessageTypes {

    /** Client attribute: the extra message types the tool takes. */
    static final String ATTRIBUTE = "lti.message.types";
    private static final Set<String> EVERY_TOOL = Set.of(LtiClaims.RESOURCE_LINK_REQUEST, LtiClaims.DEEP_LINKING_REQUEST);

    private MessageTypes() {
    }

    static boolean accepts(ClientModel tool, String messageType) {
        if (EVERY_TOOL.contains(messageType)) {
            return true;
        }
        String optedIn = tool.getAttribute(ATTRIBUTE);
        return optedIn != null && Arrays.stream(optedIn.split("[\\s,]+")).anyMatch(messageType::equals);
    }
}
