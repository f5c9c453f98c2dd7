package io.github.keycloaklti.registration;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AuthenticationManagementResource;

import io.github.keycloaklti.handoff.LaunchHintAuthenticatorFactory;

/**
 * What a realm needs for LTI launches, set up explicitly (an admin's call, or Dynamic Registration, which creates the
 * registration) and visibly (flows and bindings the admin sees in the console), never by saving a registration:
 * <ul>
 * <li>the flow "lti first launch" (create the platform's user if unique, no form), bound as the registration's first
 * login flow where the registration has none of its own (or the realm's default);</li>
 * <li>the flow "lti browser": a copy of the realm's browser flow with the "LTI launch hint" step first, bound as the
 * browser flow of the registration's tool clients that have no browser flow of their own;</li>
 * <li>the learner profile (see {@link LearnerProfile}): names and email not required of the tool clients' logins,
 * still required of every other login.</li>
 * </ul>
 * Built-in flows are never edited and an admin's choice is never undone: what exists is kept, what is bound
 * otherwise stays bound otherwise. Running it again only adds what is missing.
 */
public final class RealmSetup {

    public static final String BROWSER_FLOW_ALIAS = "lti browser";

    /** What the setup did: the flows, the tool clients it bound, whether it bound the registration. */
    public record Result(String firstLaunchFlow, String browserFlow, List<String> toolClientsBound,
                         boolean registrationBound, LearnerProfile.Result learnerProfile) {
    }

    private RealmSetup() {
    }

    /** The whole setup, by an admin who may manage the realm (the admin REST call). */
    public static Result apply(KeycloakSession session, RealmModel realm, IdentityProviderModel registration) {
        return apply(session, realm, registration, true);
    }

    /**
     * The setup; with {@code learnerProfile} false, without the user-profile and client-scope changes (Dynamic
     * Registration, whose link was issued by an admin who may only manage identity providers).
     */
    public static Result apply(KeycloakSession session, RealmModel realm, IdentityProviderModel registration,
                               boolean learnerProfile) {
        AuthenticationFlowModel firstLaunch = FirstLaunchFlow.ensureIn(realm);
        AuthenticationFlowModel browser = ensureBrowserFlow(session, realm);
        boolean registrationBound = false;
        String chosen = registration.getFirstBrokerLoginFlowId();
        AuthenticationFlowModel realmDefault = realm.getFirstBrokerLoginFlow();
        if (chosen == null || chosen.isBlank() || realmDefault != null && realmDefault.getId().equals(chosen)) {
            registration.setFirstBrokerLoginFlowId(firstLaunch.getId());
            session.identityProviders().update(registration);
            registrationBound = true;
        }
        List<String> bound = new ArrayList<>();
        for (String clientId : new LtiPlatformConfig(registration).getToolClientIds()) {
            ClientModel client = realm.getClientByClientId(clientId);
            String override = client == null ? null
                    : client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING);
            if (client != null && (override == null || override.isBlank())) {
                client.setAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING, browser.getId());
                bound.add(clientId);
            }
        }
        LearnerProfile.Result profile = learnerProfile
                ? LearnerProfile.apply(session, realm, new LtiPlatformConfig(registration).getToolClientIds()) : null;
        return new Result(firstLaunch.getAlias(), browser.getAlias(), bound, registrationBound, profile);
    }

    /** The realm's "lti browser" flow; created as a copy of its browser flow with the hint step first if missing. */
    static AuthenticationFlowModel ensureBrowserFlow(KeycloakSession session, RealmModel realm) {
        AuthenticationFlowModel existing = realm.getFlowByAlias(BROWSER_FLOW_ALIAS);
        if (existing != null) {
            return existing;
        }
        AuthenticationFlowModel copy = AuthenticationManagementResource.copyFlow(session, realm, realm.getBrowserFlow(),
                BROWSER_FLOW_ALIAS);
        copy.setDescription("The realm's browser flow, with the LTI launch hint first: for the tools of LTI platforms");
        realm.updateAuthenticationFlow(copy);
        boolean present = realm.getAuthenticationExecutionsStream(copy.getId())
                .anyMatch(e -> LaunchHintAuthenticatorFactory.ID.equals(e.getAuthenticator()));
        if (!present) {
            int first = realm.getAuthenticationExecutionsStream(copy.getId())
                    .mapToInt(AuthenticationExecutionModel::getPriority).min().orElse(10);
            AuthenticationExecutionModel step = new AuthenticationExecutionModel();
            step.setParentFlow(copy.getId());
            step.setAuthenticator(LaunchHintAuthenticatorFactory.ID);
            step.setRequirement(AuthenticationExecutionModel.Requirement.ALTERNATIVE);
            step.setPriority(first - 1);
            step.setAuthenticatorFlow(false);
            realm.addAuthenticatorExecution(step);
        }
        return copy;
    }
}
