package io.github.keycloaklti.registration;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.handoff.LaunchHintAuthenticatorFactory;

/**
 * Puts the "LTI launch hint" step first in the realm's browser flow (once, when an LTI registration is saved), so that
 * a tool's authorization request carrying a launch hint logs in without cookies. The step does nothing for requests
 * without a valid hint; admins may move or disable it like any execution.
 */
final class LaunchHintStep {

    private LaunchHintStep() {
    }

    static void ensureIn(RealmModel realm) {
        AuthenticationFlowModel browser = realm.getBrowserFlow();
        if (browser == null) {
            return;
        }
        boolean present = realm.getAuthenticationExecutionsStream(browser.getId())
                .anyMatch(e -> LaunchHintAuthenticatorFactory.ID.equals(e.getAuthenticator()));
        if (present) {
            return;
        }
        int first = realm.getAuthenticationExecutionsStream(browser.getId())
                .mapToInt(AuthenticationExecutionModel::getPriority).min().orElse(10);
        AuthenticationExecutionModel step = new AuthenticationExecutionModel();
        step.setParentFlow(browser.getId());
        step.setAuthenticator(LaunchHintAuthenticatorFactory.ID);
        step.setRequirement(AuthenticationExecutionModel.Requirement.ALTERNATIVE);
        step.setPriority(first - 1);
        step.setAuthenticatorFlow(false);
        realm.addAuthenticatorExecution(step);
    }
}
