package io.github.keycloaklti.handoff;

import jakarta.ws.rs.core.NewCookie;

import org.keycloak.cookie.CookieType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * A login from a launch hint gives the tool its session, not the browser an SSO session: Keycloak sets its SSO
 * cookies ({@code KEYCLOAK_IDENTITY}, {@code KEYCLOAK_SESSION}) at the end of every browser login, so once the
 * login has completed (after Keycloak's own cookies were added to the response) the same cookies are sent again,
 * expired, and so are the login's own cookies. Browsers apply the last one: the browser leaves the hint login with no
 * SSO cookie, and neither the account console nor any other client of the realm accepts it as logged in.
 */
final class BrowserCookies {

    private BrowserCookies() {
    }

    static void noSsoCookieAfterThisLogin(KeycloakSession session, RealmModel realm) {
        String path = AuthenticationManager.getRealmCookiePath(realm, session.getContext().getUri());
        boolean secure = "https".equalsIgnoreCase(session.getContext().getUri().getBaseUri().getScheme());
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                expire(session, CookieType.IDENTITY.getName(), path, secure, true);
                expire(session, CookieType.SESSION.getName(), path, secure, false);
                // the login's own cookies name the tool's new session: a next login in this browser (another
                // learner on a shared computer) must not find it
                expire(session, CookieType.AUTH_SESSION_ID.getName(), path, secure, true);
                expire(session, CookieType.AUTH_SESSION_ID_HASH.getName(), path, secure, false);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static void expire(KeycloakSession session, String name, String path, boolean secure, boolean httpOnly) {
        NewCookie.Builder cookie = new NewCookie.Builder(name).version(1).value("").path(path).maxAge(0)
                .secure(secure).httpOnly(httpOnly);
        if (secure) {
            cookie.sameSite(NewCookie.SameSite.NONE);
        }
        session.getContext().getHttpResponse().setCookieIfAbsent(cookie.build());
    }
}
