package io.github.keycloaklti.registration;

import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.Constants;
import org.keycloak.models.ProtocolMapperModel;

/**
 * Which clients of a realm a registration (or a registration link) may name as its tools: an OpenID Connect client
 * that carries the {@code oidc-lti-claims-mapper} (directly or through one of its client scopes), that is, a client
 * someone who may manage clients made a tool; never one of Keycloak's own clients (the admin and account consoles,
 * admin-cli, the broker, realm management). So an admin who may only manage identity providers can never point a
 * launch, or the flows a realm setup binds, at a client that is not a tool.
 */
public final class ToolClients {

    /** The id of the LTI launch claims mapper ({@code LtiClaimsProtocolMapper}): the mark of a tool. */
    public static final String CLAIMS_MAPPER = "oidc-lti-claims-mapper";
    private static final Set<String> KEYCLOAKS_OWN = Set.of(Constants.ADMIN_CONSOLE_CLIENT_ID,
            Constants.ADMIN_CLI_CLIENT_ID, Constants.ACCOUNT_MANAGEMENT_CLIENT_ID, Constants.ACCOUNT_CONSOLE_CLIENT_ID,
            Constants.BROKER_SERVICE_CLIENT_ID, Constants.REALM_MANAGEMENT_CLIENT_ID, Constants.ADMIN_PERMISSIONS_CLIENT_ID);

    private ToolClients() {
    }

    /** Why {@code client} cannot be a tool of a registration; null when it can. */
    public static String refusal(ClientModel client) {
        if (KEYCLOAKS_OWN.contains(client.getClientId()) || client.getClientId().endsWith("-realm")
                && client.getRealm().getName().equals(Config.getAdminRealm())) {
            return "client '" + client.getClientId() + "' is not a tool: it is one of Keycloak's own clients";
        }
        if (client.isBearerOnly() || !"openid-connect".equals(client.getProtocol() == null ? "openid-connect"
                : client.getProtocol())) {
            return "client '" + client.getClientId() + "' is not a tool: it is no OpenID Connect client that logs users in";
        }
        if (!hasClaimsMapper(client)) {
            return "client '" + client.getClientId() + "' is not a tool: it has no LTI launch claims mapper ("
                    + CLAIMS_MAPPER + "), directly or through a client scope";
        }
        return null;
    }

    public static boolean isTool(ClientModel client) {
        return refusal(client) == null;
    }

    private static boolean hasClaimsMapper(ClientModel client) {
        Stream<ProtocolMapperModel> own = client.getProtocolMappersStream();
        Stream<ProtocolMapperModel> scoped = Stream.concat(client.getClientScopes(true).values().stream(),
                client.getClientScopes(false).values().stream()).flatMap(ClientScopeModel::getProtocolMappersStream);
        return Stream.concat(own, scoped).anyMatch(m -> CLAIMS_MAPPER.equals(m.getProtocolMapper()));
    }
}
