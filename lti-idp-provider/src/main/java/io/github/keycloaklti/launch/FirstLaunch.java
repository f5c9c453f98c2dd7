package io.github.keycloaklti.launch;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.common.Profile;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A first launch. Keycloak's brokering has prepared its first-login flow (the platform's user, preprocessed by the
 * registration's mappers, saved in the authentication session) and would redirect to it. Instead the registration's
 * own first-login flow runs here, in the launch request, with Keycloak's authenticators: user profile, "create if
 * unique", attributes, events are Keycloak's. So a launch without any Keycloak cookie (Platform Storage), which could
 * not follow that redirect, lands too, and a learner whose username or email is taken gets the extension's page
 * ({@code lti_account_exists}, a refused launch) rather than Keycloak's generic one.
 * <ul>
 * <li>the flow completes without a page ("lti first launch"; Keycloak's "first broker login" for a complete, unique
 * launch): the user is linked as Keycloak does, and the launch goes on to the tool;</li>
 * <li>the flow wants a page (review, confirm a link, re-authenticate): with the login cookie, that page, and the rest
 * as after Keycloak's redirect; without it, refused ({@code lti_first_launch_needs_cookies}), no user left;</li>
 * <li>"create if unique", required, finds the account taken: refused ({@code lti_account_exists}); an existing account
 * is never taken over.</li>
 * </ul>
 */
final class FirstLaunch {

    private FirstLaunch() {
    }

    /** Whether Keycloak's answer to the launch is the redirect into the first-login flow. */
    static boolean isFirstLogin(AuthenticationSessionModel authSession) {
        return LoginActionsService.FIRST_BROKER_LOGIN_PATH.equals(
                authSession.getAuthNote(AuthenticationProcessor.CURRENT_FLOW_PATH))
                && authSession.getAuthNote(AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE) != null;
    }

    /**
     * Runs the registration's first-login flow for the launch's user, links the user to the platform as Keycloak does
     * after that flow, and returns Keycloak's answer for the now returning user (the redirect to the tool).
     */
    static Response complete(KeycloakSession session, RealmModel realm, LtiIdentityProvider provider,
                             AuthenticationSessionModel authSession, BrokeredIdentityContext identity,
                             boolean browserKeepsCookies, LoginFinisher finisher) {
        String alias = provider.getConfig().getAlias();
        String flowId = provider.getConfig().getFirstBrokerLoginFlowId();
        AuthenticationFlowModel flow = flowId == null ? realm.getFirstBrokerLoginFlow()
                : realm.getAuthenticationFlowById(flowId);
        if (flow == null) {
            throw refuse(session, realm, authSession, LaunchError.FIRST_LAUNCH_NEEDS_COOKIES, alias);
        }
        if (LinkingSteps.in(realm, flow)) {
            // a flow that can link the launch to an existing account (confirm link, verify by email or password,
            // auto-link): a platform could send anyone's email and have the victim, or nobody, confirm it
            throw refuse(session, realm, authSession, LaunchError.FIRST_LOGIN_FLOW_LINKS_ACCOUNTS, alias);
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.IDENTITY_PROVIDER_FIRST_LOGIN).detail(Details.IDENTITY_PROVIDER, alias)
                .detail(Details.IDENTITY_PROVIDER_USERNAME, identity.getUsername());
        AuthenticationProcessor processor = new AuthenticationProcessor()
                .setAuthenticationSession(authSession)
                .setFlowPath(LoginActionsService.FIRST_BROKER_LOGIN_PATH)
                .setBrowserFlow(true)
                .setFlowId(flow.getId())
                .setConnection(session.getContext().getConnection())
                .setEventBuilder(event)
                .setRealm(realm)
                .setSession(session)
                .setUriInfo(session.getContext().getUri())
                .setRequest(session.getContext().getHttpRequest());
        joinOrganizationAsKeycloakDoes(session, realm, provider, identity);
        Response page;
        boolean failed = false;
        try {
            page = processor.authenticateOnly();
        } catch (AuthenticationFlowException e) {
            page = null;
            failed = true;
        }
        UserModel user = authSession.getAuthenticatedUser();
        boolean created = Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.BROKER_REGISTERED_NEW_USER));
        boolean taken = authSession.getAuthNote(AbstractIdpAuthenticator.EXISTING_USER_INFO) != null;
        if (browserKeepsCookies && page != null && !taken && !failed) {
            // the flow shows a page (e.g. review profile): this browser keeps Keycloak's login cookie, so the page and
            // the rest of the flow work as after Keycloak's own redirect (no step of the flow can link accounts)
            return page;
        }
        if (failed || page != null || user == null || !created || taken) {
            if (created && user != null) {
                new UserManager(session).removeUser(realm, user); // the flow created it, then did not finish
            }
            // an existing account found (taken) or chosen (not created): never linked by a launch
            throw refuse(session, realm, authSession, taken || (user != null && !created)
                    ? LaunchError.ACCOUNT_EXISTS : LaunchError.FIRST_LAUNCH_NEEDS_COOKIES, alias);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername()).success();
        authSession.removeAuthNote(AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE);
        linkNewUserAsKeycloakDoes(session, realm, provider, identity, user);
        return finisher.finish(identity);
    }

    /**
     * What Keycloak does before its first-login flow for a registration linked to an organization: the organization
     * is the request's, so that the flow's "Organization Member Onboard" step makes the new user its member.
     */
    private static void joinOrganizationAsKeycloakDoes(KeycloakSession session, RealmModel realm,
                                                       LtiIdentityProvider provider, BrokeredIdentityContext identity) {
        String organizationId = provider.getConfig().getOrganizationId();
        if (organizationId == null || !realm.isOrganizationsEnabled()
                || !Profile.isFeatureEnabled(Profile.Feature.ORGANIZATION)) {
            return;
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        OrganizationModel organization = organizations == null ? null : organizations.getById(organizationId);
        if (organization != null) {
            session.getContext().setOrganization(organization);
            session.setAttribute(BrokeredIdentityContext.class.getName(), identity);
        }
    }

    /** A refusal that leaves nothing behind: the launch's authentication session goes too. */
    private static LaunchRejectedException refuse(KeycloakSession session, RealmModel realm,
                                                  AuthenticationSessionModel authSession, LaunchError error,
                                                  String alias) {
        new AuthenticationSessionManager(session).removeAuthenticationSession(realm, authSession, true);
        return new LaunchRejectedException(error, alias);
    }

    /**
     * What Keycloak does after its first-login flow created a user: the link, the new user's import by the mappers,
     * the event. (A flow that picked an existing user never gets here: it is refused above.)
     */
    private static void linkNewUserAsKeycloakDoes(KeycloakSession session, RealmModel realm,
                                                  LtiIdentityProvider provider, BrokeredIdentityContext identity,
                                                  UserModel user) {
        String alias = provider.getConfig().getAlias();
        session.users().addFederatedIdentity(realm, user,
                new FederatedIdentityModel(alias, identity.getId(), identity.getUsername(), identity.getToken()));
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).user(user)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USERNAME, identity.getUsername())
                .detail(Details.USERNAME, user.getUsername());
        provider.importNewUser(session, realm, user, identity);
        session.identityProviders().getMappersByAliasStream(alias).forEach(mapper -> {
            IdentityProviderMapper target = (IdentityProviderMapper) session.getKeycloakSessionFactory()
                    .getProviderFactory(IdentityProviderMapper.class, mapper.getIdentityProviderMapper());
            if (target != null) {
                target.importNewUser(session, realm, user, mapper, identity);
            }
        });
        provider.updateBrokeredUser(session, realm, user, identity);
        event.event(EventType.REGISTER).detail(Details.REGISTER_METHOD, "broker")
                .detail(Details.EMAIL, user.getEmail()).success();
    }

    /** Keycloak's brokering, asked again for the launch's user (now linked): its answer for a returning user. */
    @FunctionalInterface
    interface LoginFinisher {
        Response finish(BrokeredIdentityContext identity);
    }
}
