package io.github.keycloaklti.launch;

import java.util.Set;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The steps of a first-login flow that can link a launch to an account that already exists: a launch never does
 * that (a platform may send anyone's email), so a registration whose flow holds one of them is refused at launch
 * ({@code lti_first_login_flow_links_accounts}). Keycloak's own "first broker login" holds them; "lti first launch"
 * does not.
 */
final class LinkingSteps {

    static final Set<String> LINKING_AUTHENTICATORS = Set.of("idp-confirm-link", "idp-email-verification",
            "idp-username-password-form", "idp-auto-link", "idp-confirm-override-link", "idp-detect-existing-broker-user");

    private LinkingSteps() {
    }

    static boolean in(RealmModel realm, AuthenticationFlowModel flow) {
        return in(realm, flow.getId(), 0);
    }

    private static boolean in(RealmModel realm, String flowId, int depth) {
        if (depth > 10) {
            return true; // a flow nested this deep is not one a launch should run
        }
        return realm.getAuthenticationExecutionsStream(flowId)
                .filter(e -> e.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED)
                .anyMatch(e -> e.isAuthenticatorFlow() ? in(realm, e.getFlowId(), depth + 1)
                        : LINKING_AUTHENTICATORS.contains(e.getAuthenticator()));
    }
}
