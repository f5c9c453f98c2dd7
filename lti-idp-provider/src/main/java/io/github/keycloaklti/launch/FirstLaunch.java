package io.github.keycloaklti.launch;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
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
            throw new LaunchRejectedException(LaunchError.FIRST_LAUNCH_NEEDS_COOKIES, alias);
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
        Response page;
        try {
            page = processor.authenticateOnly();
        } catch (AuthenticationFlowException e) {
            page = Response.status(Response.Status.FORBIDDEN).build();
        }
        UserModel user = authSession.getAuthenticatedUser();
        boolean created = Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.BROKER_REGISTERED_NEW_USER));
        if (page != null || user == null) {
            boolean taken = authSession.getAuthNote(AbstractIdpAuthenticator.EXISTING_USER_INFO) != null;
            if (browserKeepsCookies && page != null && !(taken && page.getStatus() == 409)) {
                // the flow shows a page (review profile, confirm a link...): this browser keeps Keycloak's login
                // cookie, so the page and the rest of the flow work as after Keycloak's own redirect
                return page;
            }
            if (created && user != null) {
                new UserManager(session).removeUser(realm, user); // the flow created it, then wanted a page
            }
            if (taken) {
                // "create if unique" found the username or email taken: the extension's page, not Keycloak's
                throw new LaunchRejectedException(LaunchError.ACCOUNT_EXISTS, alias);
            }
            throw new LaunchRejectedException(LaunchError.FIRST_LAUNCH_NEEDS_COOKIES, alias);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername()).success();
        authSession.removeAuthNote(AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE);
        linkAsKeycloakDoes(session, realm, provider, identity, user, created);
        return finisher.finish(identity);
    }

    /** What Keycloak does after its first-login flow: the link, the new user's import by the mappers, the event. */
    private static void linkAsKeycloakDoes(KeycloakSession session, RealmModel realm, LtiIdentityProvider provider,
                                           BrokeredIdentityContext identity, UserModel user, boolean created) {
        String alias = provider.getConfig().getAlias();
        session.users().addFederatedIdentity(realm, user,
                new FederatedIdentityModel(alias, identity.getId(), identity.getUsername(), identity.getToken()));
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).user(user)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USERNAME, identity.getUsername())
                .detail(Details.USERNAME, user.getUsername());
        if (!created) {
            event.event(EventType.FEDERATED_IDENTITY_LINK).success();
            return;
        }
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
