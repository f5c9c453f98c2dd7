package io.github.keycloaklti.registration;

import org.keycloak.common.Profile;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;


/**
 * The first-broker-login flow of LTI registrations: create the user from the launch without showing the
 * learner anything. Keycloak's default flow shows a "Review Profile" form when a platform sends no email
 * or name, which a learner clicking a link in a course must never see.
 *
 * <p>The flow is added by {@link RealmSetup}, which binds it to registrations whose admin left the first-broker-login
 * flow empty or at the realm's default. It is an ordinary flow: admins may edit it, or choose another one per
 * registration.
 */
public final class FirstLaunchFlow {

    public static final String ALIAS = "lti first launch";
    static final String CREATE_USER_IF_UNIQUE = "idp-create-user-if-unique";
    /** Keycloak's "Organization Member Onboard" and the condition its first broker login puts before it. */
    public static final String ADD_ORGANIZATION_MEMBER = "idp-add-organization-member";
    static final String CONDITION_USER_CONFIGURED = "conditional-user-configured";
    static final String ORGANIZATION_SUBFLOW = "lti first launch organization";

    private FirstLaunchFlow() {
    }

    /**
     * Whether the flow holds the organization step anywhere (an admin may have moved it into a sub-flow of theirs).
     */
    static boolean hasOrganizationStep(RealmModel realm, String flowId) {
        return realm.getAuthenticationExecutionsStream(flowId).anyMatch(e -> e.isAuthenticatorFlow()
                ? hasOrganizationStep(realm, e.getFlowId()) : ADD_ORGANIZATION_MEMBER.equals(e.getAuthenticator()));
    }

    public static AuthenticationFlowModel ensureIn(RealmModel realm) {
        AuthenticationFlowModel existing = realm.getFlowByAlias(ALIAS);
        if (existing != null) {
            return existing;
        }
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setAlias(ALIAS);
        flow.setDescription("LTI 1.3 launches: create the platform's user on first launch, without any prompt");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        flow = realm.addAuthenticationFlow(flow);

        AuthenticationExecutionModel createUser = new AuthenticationExecutionModel();
        createUser.setParentFlow(flow.getId());
        createUser.setRequirement(AuthenticationExecutionModel.Requirement.REQUIRED);
        createUser.setAuthenticator(CREATE_USER_IF_UNIQUE);
        createUser.setPriority(10);
        createUser.setAuthenticatorFlow(false);
        realm.addAuthenticatorExecution(createUser);
        if (Profile.isFeatureEnabled(Profile.Feature.ORGANIZATION)) {
            addOrganizationStep(realm, flow);
        }
        return flow;
    }

    /**
     * Keycloak's own step that makes the user a member of the organization the registration is linked to, as in its
     * "first broker login" flow: a conditional sub-flow that runs where the realm has organizations and the
     * registration belongs to one, and is skipped otherwise.
     */
    static void addOrganizationStep(RealmModel realm, AuthenticationFlowModel parent) {
        AuthenticationFlowModel organization = new AuthenticationFlowModel();
        organization.setAlias(ORGANIZATION_SUBFLOW);
        organization.setDescription("Makes the launch's new user a member of the registration's organization");
        organization.setProviderId("basic-flow");
        organization.setTopLevel(false);
        organization.setBuiltIn(false);
        organization = realm.addAuthenticationFlow(organization);

        AuthenticationExecutionModel subflow = new AuthenticationExecutionModel();
        subflow.setParentFlow(parent.getId());
        subflow.setRequirement(AuthenticationExecutionModel.Requirement.CONDITIONAL);
        subflow.setFlowId(organization.getId());
        subflow.setPriority(20);
        subflow.setAuthenticatorFlow(true);
        realm.addAuthenticatorExecution(subflow);

        int priority = 10;
        for (String step : new String[] {CONDITION_USER_CONFIGURED, ADD_ORGANIZATION_MEMBER}) {
            AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
            execution.setParentFlow(organization.getId());
            execution.setRequirement(AuthenticationExecutionModel.Requirement.REQUIRED);
            execution.setAuthenticator(step);
            execution.setPriority(priority);
            execution.setAuthenticatorFlow(false);
            realm.addAuthenticatorExecution(execution);
            priority += 10;
        }
    }
}
