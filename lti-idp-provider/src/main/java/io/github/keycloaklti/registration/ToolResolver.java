package io.github.keycloaklti.registration;

import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

/**
 * The launch's tool: the first enabled client among the registration's {@code toolClientIds} that is a tool
 * ({@link ToolClients}) and whose valid redirect URIs admit {@code target_link_uri}. The browser is only ever sent to a URI a tool client admits.
 */
public final class ToolResolver {

    private ToolResolver() {
    }

    public static Optional<ClientModel> resolve(KeycloakSession session, RealmModel realm, LtiPlatformConfig platform,
                                                String targetLinkUri) {
        for (String clientId : platform.getToolClientIds()) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null || !client.isEnabled() || !ToolClients.isTool(client)) {
                continue; // a registration imported or saved before the rule still launches only tools
            }
            if (RedirectUtils.verifyRedirectUri(session, targetLinkUri, client) != null) {
                return Optional.of(client);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the tool's initiate-login URI (client attribute {@value LtiPlatformConfig#CLIENT_INITIATE_LOGIN_URI}),
     * where the browser and its launch hint go after the launch, is one of the client's valid redirect URIs too.
     */
    public static boolean initiateLoginUriAdmitted(KeycloakSession session, ClientModel tool) {
        String uri = tool.getAttribute(LtiPlatformConfig.CLIENT_INITIATE_LOGIN_URI);
        return uri == null || uri.isBlank() || RedirectUtils.verifyRedirectUri(session, uri.trim(), tool) != null;
    }
}
