package io.github.keycloaklti.launch;

import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The two calls a launch makes of Keycloak's brokering. Keycloak hands them to the identity provider's callback as
 * {@code UserAuthenticationIdentityProvider.AuthenticationCallback} since 26.5 and as
 * {@code IdentityProvider.AuthenticationCallback} before: each {@link LtiIdentityProvider} subclass adapts its own.
 */
public interface BrokerCallback {

    /** The authentication session named by the launch's {@code state}, checked by Keycloak (not expired, same tab). */
    AuthenticationSessionModel authenticationSession(String encodedCode);

    /** Keycloak's brokering for the launch's identity: the first-login flow, or the redirect to the tool. */
    Response authenticated(BrokeredIdentityContext identity);

    /** The two calls as a release's callback offers them (its {@code getAndVerifyAuthenticationSession}, {@code authenticated}). */
    static BrokerCallback of(Function<String, AuthenticationSessionModel> authenticationSession,
                             Function<BrokeredIdentityContext, Response> authenticated) {
        return new BrokerCallback() {
            @Override
            public AuthenticationSessionModel authenticationSession(String encodedCode) {
                return authenticationSession.apply(encodedCode);
            }

            @Override
            public Response authenticated(BrokeredIdentityContext identity) {
                return authenticated.apply(identity);
            }
        };
    }
}
