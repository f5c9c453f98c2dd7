package io.github.keycloaklti.launch;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaklti.registration.FirstLaunchFlow;

/**
 * A first launch without any Keycloak cookie (Platform Storage launches): Keycloak's first-login pages need the
 * login cookie, so the user is created here, exactly as the "lti first launch" flow does it (idp-create-user-if-unique),
 * and only where the registration's first-login flow is that flow (any other is refused with a clear page):
 * only when neither username nor email is taken, linked to the platform user, with the registration's mappers
 * applied as for a new user. Then Keycloak's brokering sees a returning user and finishes without a redirect.
 */
final class FirstLaunchUser {

    private FirstLaunchUser() {
    }

    static void createIfNew(KeycloakSession session, RealmModel realm, LtiIdentityProvider provider,
                            BrokeredIdentityContext identity) {
        String alias = provider.getConfig().getAlias();
        FederatedIdentityModel link = new FederatedIdentityModel(alias, identity.getId(), identity.getUsername());
        if (session.users().getUserByFederatedIdentity(realm, link) != null) {
            return;
        }
        if (!FirstLaunchFlow.onlyCreatesUserIfUnique(realm, provider.getConfig().getFirstBrokerLoginFlowId())) {
            // the admin chose another first-login flow (review, deny, link...): it needs Keycloak's pages, and those
            // need the cookie this browser does not keep in the frame
            throw new LaunchRejectedException(LaunchError.FIRST_LAUNCH_NEEDS_COOKIES, alias);
        }
        String username = identity.getUsername().trim();
        String email = identity.getEmail();
        if (session.users().getUserByUsername(realm, username) != null || (email != null && !email.isBlank()
                && !realm.isDuplicateEmailsAllowed() && session.users().getUserByEmail(realm, email) != null)) {
            throw new LaunchRejectedException(LaunchError.ACCOUNT_EXISTS);
        }
        UserModel user = session.users().addUser(realm, username);
        user.setEnabled(true);
        if (email != null && !email.isBlank()) {
            user.setEmail(email);
        }
        user.setFirstName(identity.getFirstName());
        user.setLastName(identity.getLastName());
        session.users().addFederatedIdentity(realm, user, link);
        provider.importNewUser(session, realm, user, identity);
        session.identityProviders().getMappersByAliasStream(alias).forEach(mapper -> {
            IdentityProviderMapper target = (IdentityProviderMapper) session.getKeycloakSessionFactory()
                    .getProviderFactory(IdentityProviderMapper.class, mapper.getIdentityProviderMapper());
            if (target != null) {
                target.importNewUser(session, realm, user, mapper, identity);
            }
        });
        new EventBuilder(realm, session).event(EventType.REGISTER).user(user)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.USERNAME, username)
                .detail(Details.REGISTER_METHOD, "lti-platform-storage").success();
    }
}
