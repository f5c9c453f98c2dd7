package io.github.keycloaklti.dynamicregistration;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.page.PageText;
import io.github.keycloaklti.page.ScriptedPage;
import io.github.keycloaklti.services.PlatformCallBulkhead;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * {@code GET /realms/R/lti/dynamic-registration?link=...}: the URL an LMS admin pastes into "register a tool by
 * URL". The LMS opens it with {@code openid_configuration} and {@code registration_token}; with a valid link
 * Keycloak registers itself at the platform, creates the identity provider, shows a confirmation and tells the
 * LMS window it may close (Dynamic Registration 1.0, 3.7).
 */
public class DynamicRegistrationResource {

    private static final Logger LOG = Logger.getLogger(DynamicRegistrationResource.class);

    private final KeycloakSession session;

    private final PlatformCallBulkhead calls;

    public DynamicRegistrationResource(KeycloakSession session, PlatformCallBulkhead calls) {
        this.session = session;
        this.calls = calls;
    }

    @GET
    public Response register(@QueryParam("link") String link, @QueryParam("openid_configuration") String configuration,
                             @QueryParam("registration_token") String registrationToken) {
        RealmModel realm = session.getContext().getRealm();
        allowFraming();
        if (configuration == null || configuration.isBlank()) {
            return errorPage(400, "this page is opened by the learning platform's \"register tool by URL\", which adds "
                    + "openid_configuration; paste the link there");
        }
        DynamicRegistrationLinks links = new DynamicRegistrationLinks(session, realm);
        Map<String, String> notes = links.peek(link);
        if (notes == null) {
            return errorPage(400, "this registration link was already used, has expired, or was never issued. Ask "
                    + "the Keycloak administrator for a new link");
        }
        try {
            PlatformRegistrar.Registered registered = new PlatformRegistrar(session, realm, calls).register(configuration,
                    registrationToken, DynamicRegistrationLinks.toolClientIds(notes),
                    notes.get(DynamicRegistrationLinks.TARGET_LINK_URI),
                    DynamicRegistrationLinks.enablesOnRegistration(notes), DynamicRegistrationLinks.setupScope(notes),
                    DynamicRegistrationLinks.organizationId(notes), () -> links.spend(link));
            RegistrationLinksPage.markUsed(session, realm, link, registered.alias());
            LOG.infof("LTI Dynamic Registration: platform '%s' registered in realm '%s' as '%s'",
                    LogText.of(registered.platformName()), realm.getName(), registered.alias());
            return donePage(registered);
        } catch (ServiceException e) {
            LOG.warnf("LTI Dynamic Registration failed in realm '%s': %s", realm.getName(), LogText.of(e.getMessage()));
            return errorPage(e.status() >= 500 ? 502 : 400, e.getMessage());
        }
    }

    private void allowFraming() {
        // the LMS shows the registration in an iframe or a popup of its admin page
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().allowAnyFrameAncestor();
        }
    }

    private Response donePage(PlatformRegistrar.Registered registered) {
        return ScriptedPage.render(session, "lti-dynamic-registration-done.ftl", Map.of(
                "ltiPlatformName", registered.platformName(), "ltiAlias", registered.alias()), "", "no-referrer");
    }

    private Response errorPage(int status, String reason) {
        return PageText.errorPage(session, Response.Status.fromStatusCode(status), "ltiRegistrationFailed",
                PageText.of(reason, 400));
    }
}
