package io.github.keycloaklti.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.keycloak.common.Profile;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AuthenticationManagementResource;


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
    /** The id of the "LTI launch hint" step the browser flow starts with (the handoff package's authenticator). */
    public static final String LAUNCH_HINT_STEP = "lti-launch-hint";

    /** What the setup did: the flows, the tool clients it bound, whether it bound the registration. */
    public record Result(String firstLaunchFlow, String browserFlow, List<String> toolClientsBound,
                         boolean registrationBound, LearnerProfile.Result learnerProfile) {
    }

    /**
     * What a setup may do: add the flows where missing, apply the learner profile, and bind which tool clients. The
     * admin REST call (*manage realm*) does everything; Dynamic Registration as much as its link's issuer could.
     */
    public record Scope(boolean addFlows, boolean learnerProfile, Predicate<String> mayBindClient) {
        public static final Scope WHOLE = new Scope(true, true, clientId -> true);
    }

    private RealmSetup() {
    }

    /** The whole setup, by an admin who may manage the realm (the admin REST call). */
    public static Result apply(KeycloakSession session, RealmModel realm, IdentityProviderModel registration) {
        return apply(session, realm, registration, Scope.WHOLE);
    }

    /** The setup, as far as {@code scope} goes; flows it may not add are used where they exist, else left out. */
    public static Result apply(KeycloakSession session, RealmModel realm, IdentityProviderModel registration,
                               Scope scope) {
        AuthenticationFlowModel firstLaunch = scope.addFlows() ? FirstLaunchFlow.ensureIn(realm)
                : realm.getFlowByAlias(FirstLaunchFlow.ALIAS);
        AuthenticationFlowModel browser = scope.addFlows() ? ensureBrowserFlow(session, realm)
                : realm.getFlowByAlias(BROWSER_FLOW_ALIAS);
        if (scope.addFlows() && firstLaunch != null && registration.getOrganizationId() != null
                && Profile.isFeatureEnabled(Profile.Feature.ORGANIZATION)
                && !FirstLaunchFlow.hasOrganizationStep(realm, firstLaunch.getId())) {
            // a flow made before it held Keycloak's Organization Member Onboard step (an earlier release's), set up
            // for a registration that now belongs to an organization: the one step it misses, nothing else of it
            FirstLaunchFlow.addOrganizationStep(realm, firstLaunch);
        }
        boolean registrationBound = false;
        String chosen = registration.getFirstBrokerLoginFlowId();
        AuthenticationFlowModel realmDefault = realm.getFirstBrokerLoginFlow();
        if (firstLaunch != null
                && (chosen == null || chosen.isBlank() || realmDefault != null && realmDefault.getId().equals(chosen))) {
            registration.setFirstBrokerLoginFlowId(firstLaunch.getId());
            session.identityProviders().update(registration);
            registrationBound = true;
        }
        List<String> bound = new ArrayList<>();
        for (String clientId : new LtiPlatformConfig(registration).getToolClientIds()) {
            ClientModel client = realm.getClientByClientId(clientId);
            String override = client == null ? null
                    : client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING);
            if (browser != null && client != null && ToolClients.isTool(client) && scope.mayBindClient().test(clientId)
                    && (override == null || override.isBlank())) {
                client.setAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING, browser.getId());
                bound.add(clientId);
            }
        }
        LearnerProfile.Result profile = scope.learnerProfile()
                ? LearnerProfile.apply(session, realm, new LtiPlatformConfig(registration).getToolClientIds()) : null;
        return new Result(firstLaunch == null ? null : firstLaunch.getAlias(),
                browser == null ? null : browser.getAlias(), bound, registrationBound, profile);
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
                .anyMatch(e -> LAUNCH_HINT_STEP.equals(e.getAuthenticator()));
        if (!present) {
            int first = realm.getAuthenticationExecutionsStream(copy.getId())
                    .mapToInt(AuthenticationExecutionModel::getPriority).min().orElse(10);
            AuthenticationExecutionModel step = new AuthenticationExecutionModel();
            step.setParentFlow(copy.getId());
            step.setAuthenticator(LAUNCH_HINT_STEP);
            step.setRequirement(AuthenticationExecutionModel.Requirement.ALTERNATIVE);
            step.setPriority(first - 1);
            step.setAuthenticatorFlow(false);
            realm.addAuthenticatorExecution(step);
        }
        return copy;
    }
}
