package io.github.keycloaklti.registration;

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

    private FirstLaunchFlow() {
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
        return flow;
    }
}
