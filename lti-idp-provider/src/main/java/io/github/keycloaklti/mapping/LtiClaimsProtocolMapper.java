package io.github.keycloaklti.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

import io.github.keycloaklti.claims.LaunchSessionNotes;
import io.github.keycloaklti.claims.PairwiseIds;
import io.github.keycloaklti.lti11.Lti11Claim;
import io.github.keycloaklti.registration.ToolClients;

/**
 * {@code oidc-lti-claims-mapper}: puts the claims of the launch that created the user session into the ID
 * token, access token and userinfo of that launch's tool client (no other client's), under their LTI names (Keycloak's "User Session Note" mapper splits
 * claim names on dots, which breaks LTI's URL-shaped names).
 */
public class LtiClaimsProtocolMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = ToolClients.CLAIMS_MAPPER;

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, LtiClaimsProtocolMapper.class);
        ProviderConfigProperty pairwise = new ProviderConfigProperty(PairwiseIds.ENABLED, "Pairwise platform user ids",
                "This client's own ids for the platform's users (lti_platform.sub, lti11.user_id, for_user, the roster's "
                        + "and results' user ids), so that tools of other vendors cannot join learners by id; Keycloak "
                        + "turns them back for the platform (scores). The SIS id (lis.person_sourcedid) is left out.",
                ProviderConfigProperty.BOOLEAN_TYPE, "false");
        CONFIG.add(pairwise);
        ProviderConfigProperty key = new ProviderConfigProperty(PairwiseIds.KEY, "Pairwise key",
                "Made when you save with pairwise ids on. Clients with the same key see the same ids; a new key gives "
                        + "every learner a new id for this client.", ProviderConfigProperty.STRING_TYPE, null);
        CONFIG.add(key);
    }

    /** Turning pairwise ids on makes the client's key, as Keycloak's pairwise subject mapper makes its salt. */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        Map<String, String> config = mapperModel.getConfig();
        if (config == null || !Boolean.parseBoolean(config.get(PairwiseIds.ENABLED))) {
            return;
        }
        if (client instanceof ClientScopeModel && !(client instanceof ClientModel)) {
            String refusal = "pairwise platform user ids are a client's own: set them on the client's dedicated "
                    + "mapper, not in a client scope (every client of a scope would share its ids)";
            throw new ProtocolMapperConfigException(refusal, refusal); // Keycloak looks its message key up
        }
        String key = config.get(PairwiseIds.KEY);
        if (key == null || key.isBlank()) {
            config.put(PairwiseIds.KEY, PairwiseIds.newKey());
        } else if (!PairwiseIds.isKey(key)) {
            String refusal = "the pairwise key must be 256 bits, base64url: leave it empty to have one made";
            throw new ProtocolMapperConfigException(refusal, refusal);
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getDisplayType() {
        return "LTI launch claims";
    }

    @Override
    public String getHelpText() {
        return "Adds the LTI claims of the launch (context, roles, resource link, custom, deep linking, NRPS, AGS, "
                + "and lti_platform) to the tokens.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession keycloakSession, ClientSessionContext clientSessionCtx) {
        if (userSession == null || clientSessionCtx == null || clientSessionCtx.getClientSession() == null) {
            return;
        }
        // A launch's claims (its course, roles, custom values, service endpoints) are for the launch's tool only;
        // another client that joins the same session through the SSO cookie gets the user, never the launch
        var clientSession = clientSessionCtx.getClientSession();
        Map<String, String> launch = LaunchSessionNotes.forClient(userSession.getNotes(), clientSession.getNotes(),
                clientSession.getClient().getClientId());
        // a launch an earlier release kept (during a rolling update, or from before it) may hold the platform's LTI
        // 1.1 claims as sent: this release's tokens never carry them, whoever kept the launch
        Map<String, Object> claims = Lti11Claim.withoutPlatformClaims(LaunchSessionNotes.claimsFrom(launch));
        // the client's pairwise setting, as the REST tier reads it (its own LTI claims mapper's, else a scope's), whichever
        // of its mappers runs: a second, plain one in a client scope never gives a pairwise client the platform's ids
        Map<String, String> decided = PairwiseIds.mapperConfig(clientSession.getClient())
                .orElse(mappingModel.getConfig());
        token.getOtherClaims().putAll(PairwiseIds.of(decided).map(ids -> ids.hideInClaims(claims))
                .orElseGet(() -> PairwiseIds.requested(decided) ? PairwiseIds.withoutUserIds(claims) : claims));
    }
}
