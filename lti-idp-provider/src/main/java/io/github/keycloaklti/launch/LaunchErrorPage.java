package io.github.keycloaklti.launch;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.page.PageText;

/**
 * A refused launch, told three ways: a page in the realm's login theme (what happened for the learner, what to
 * fix for the admin, the error code and the spec rule), a Keycloak event, and a log line. None holds a token.
 */
final class LaunchErrorPage {

    private static final Logger LOG = Logger.getLogger(LaunchErrorPage.class);

    /** Details shown on the page: the request's values are the sender's words, so never more than text. */
    static final int MAX_SHOWN_CHARS = 120;

    private LaunchErrorPage() {
    }

    static Response render(KeycloakSession session, EventBuilder event, String platformAlias, LaunchRejectedException e) {
        LaunchError error = e.error();
        LaunchMetrics.refused(platformAlias, error);
        LOG.warnf("LTI launch refused for platform '%s': %s (%s)", LogText.of(platformAlias), error.code(),
                error.specRule());
        event.event(EventType.IDENTITY_PROVIDER_LOGIN)
                .detail(Details.IDENTITY_PROVIDER, platformAlias)
                .detail(Details.REASON, error.code())
                .error(error.code());

        Object[] params = new Object[e.params().length + 2];
        for (int i = 0; i < e.params().length; i++) {
            params[i + 2] = PageText.of(e.params()[i], MAX_SHOWN_CHARS);
        }
        params[0] = error.code();
        params[1] = error.specRule();
        // The page is shown inside the platform's iframe, where Keycloak's default headers would forbid it.
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().allowAnyFrameAncestor();
        }
        return PageText.errorPage(session, Response.Status.fromStatusCode(error.status()), error.messageKey(), params);
    }
}
