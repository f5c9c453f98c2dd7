package io.github.keycloaklti.deeplinking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.registration.ToolResolver;
import io.github.keycloaklti.toolapi.LaunchBearer;

/**
 * A deep-linking response may only create links that launch the calling tool: the platform sees one tool (the
 * registration), so a link whose URL another tool client of the registration admits would, when a learner opens it,
 * launch that other tool with custom values the caller chose. Each item type that launches is checked: its URL must
 * be admitted by the caller's redirect URIs and resolve, among the registration's tools, to the caller.
 */
final class LaunchTargets {

    /** Deep Linking 2.0 item types that the platform launches as LTI links. */
    static final Set<String> LAUNCHING_TYPES = Set.of("ltiResourceLink");

    private LaunchTargets() {
    }

    static List<String> notIntoCaller(KeycloakSession session, LaunchBearer launch, Object items) {
        List<String> problems = new ArrayList<>();
        if (!(items instanceof List<?> list)) {
            return problems;
        }
        ClientModel caller = launch.auth().client();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> item) || !LAUNCHING_TYPES.contains(item.get("type"))) {
                continue;
            }
            String where = "content_items[" + i + "]";
            Object url = item.get("url");
            if (url == null) {
                // the platform then launches the registration's default URL, which may be another tool's
                if (!launch.platform().launchesOnly(caller.getClientId())) {
                    problems.add(where + ": 'url' is required: the registration launches several tools, and the "
                            + "link must name one of client '" + caller.getClientId() + "'");
                }
                continue;
            }
            if (!(url instanceof String target) || !ContentItemsCheck.isWebUrl(target)) {
                continue; // ContentItemsCheck says so
            }
            boolean launchesCaller = ToolResolver.resolve(session, session.getContext().getRealm(), launch.platform(),
                    target).map(tool -> tool.getId().equals(caller.getId())).orElse(false);
            if (!launchesCaller) {
                problems.add(where + ": 'url' does not launch client '" + caller.getClientId()
                        + "' (a link may only launch the tool that made it: one of its valid redirect URIs, not "
                        + "another tool's)");
            }
        }
        return problems;
    }
}
