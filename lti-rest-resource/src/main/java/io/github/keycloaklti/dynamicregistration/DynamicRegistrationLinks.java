package io.github.keycloaklti.dynamicregistration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.services.Urls;

import io.github.keycloaklti.registration.MultiValue;
import io.github.keycloaklti.registration.RealmSetup;
import io.github.keycloaklti.registration.ToolClients;
import io.github.keycloaklti.registration.ToolLaunchUrl;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * One-time, expiring Dynamic Registration links, kept in Keycloak's single-use object store (cluster-wide) under the
 * SHA-256 of their secret, never the secret itself: the URL is shown once, to the admin who issues it. A link is
 * spent only by a successful registration in its own realm (removing it is atomic, so it registers at most one
 * platform); a failed attempt, or one at another realm's address, leaves it usable.
 */
public final class DynamicRegistrationLinks {

    static final String KEY_PREFIX = "lti-dynamic-registration:";
    static final String REALM = "realm";
    static final String TOOL_CLIENT_IDS = "toolClientIds";
    static final String TARGET_LINK_URI = "targetLinkUri";
    /** Whether the registration starts enabled; by default it waits for an admin to enable it. */
    static final String ENABLE_ON_REGISTRATION = "enableOnRegistration";
    /** What the issuer could do directly, so what the registration's setup may do: the flows, and which clients. */
    static final String SETUP_FLOWS = "setupFlows";
    static final String BINDABLE_CLIENTS = "bindableClients";
    /** The organization (id) the registration joins: its institution, in a realm of many. */
    static final String ORGANIZATION = "organization";
    static final int DEFAULT_LIFETIME_SECONDS = 3600;
    static final int MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

    private final KeycloakSession session;
    private final RealmModel realm;

    public DynamicRegistrationLinks(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /**
     * What the admin who issues a link may do directly: add the LTI flows (manage the realm), and change which of the
     * link's tool clients (their browser-flow binding). The registration the link creates does no more.
     */
    public record Issuer(boolean mayManageRealm, java.util.function.Predicate<ClientModel> mayManageClient) {
        /** An admin of the realm (the console's links page: saving a component needs *manage realm*). */
        public static final Issuer REALM_ADMIN = new Issuer(true, client -> true);
    }

    public Map<String, Object> create(Map<String, Object> request, Issuer issuer) {
        List<String> tools = request.get("toolClientIds") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        if (tools.isEmpty()) {
            throw new ServiceException(400, "invalid_request", "toolClientIds must name the realm clients the platform may launch");
        }
        ClientModel first = null;
        for (String clientId : tools) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null) {
                throw new ServiceException(400, "invalid_request", "there is no client '" + clientId + "' in realm '" + realm.getName() + "'");
            }
            if (!ToolClients.isTool(client)) {
                throw new ServiceException(400, "not_a_tool_client", ToolClients.refusal(client));
            }
            first = first == null ? client : first;
        }
        String target = request.get("targetLinkUri") instanceof String t && !t.isBlank() ? t : defaultTarget(first);
        if (target == null || tools.stream().map(realm::getClientByClientId)
                .noneMatch(c -> RedirectUtils.verifyRedirectUri(session, target, c) != null)) {
            throw new ServiceException(400, "invalid_request", "targetLinkUri must be admitted by a valid redirect URI of one "
                    + "of the tool clients (give it, or set the first client's Home URL)");
        }
        int lifetime = request.get("expiresInSeconds") instanceof Number n ? n.intValue() : DEFAULT_LIFETIME_SECONDS;
        if (lifetime < 60 || lifetime > MAX_LIFETIME_SECONDS) {
            throw new ServiceException(400, "invalid_request", "expiresInSeconds must be between 60 and " + MAX_LIFETIME_SECONDS);
        }
        OrganizationModel organization = organization(request.get(ORGANIZATION), issuer);
        boolean enable = Boolean.TRUE.equals(request.get(ENABLE_ON_REGISTRATION))
                || "true".equals(request.get(ENABLE_ON_REGISTRATION));
        String token = SecretGenerator.getInstance().randomString(40);
        Map<String, String> notes = new HashMap<>();
        notes.put(ENABLE_ON_REGISTRATION, String.valueOf(enable));
        notes.put(REALM, realm.getId());
        notes.put(TOOL_CLIENT_IDS, MultiValue.join(tools));
        notes.put(TARGET_LINK_URI, target);
        notes.put(SETUP_FLOWS, String.valueOf(issuer.mayManageRealm()));
        notes.put(BINDABLE_CLIENTS, MultiValue.join(tools.stream()
                .filter(id -> issuer.mayManageClient().test(realm.getClientByClientId(id))).toList()));
        if (organization != null) {
            notes.put(ORGANIZATION, organization.getId());
        }
        session.singleUseObjects().put(key(token), lifetime, notes);
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("url", Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())
                + "/lti/dynamic-registration?link=" + token);
        link.put("expires_at", Time.currentTime() + lifetime);
        link.put("tool_client_ids", tools);
        link.put("target_link_uri", target);
        link.put("enable_on_registration", enable);
        if (organization != null) {
            link.put("organization", Map.of("id", organization.getId(), "alias", organization.getAlias()));
        }
        return link;
    }

    /**
     * The organization a link names (its id or alias): one of this realm's, its organizations enabled, and named only
     * by an admin who may manage the realm (who links identity providers to organizations in Keycloak 26.4).
     */
    private OrganizationModel organization(Object named, Issuer issuer) {
        if (named == null || named instanceof String blank && blank.isBlank()) {
            return null;
        }
        if (!(named instanceof String name)) {
            throw new ServiceException(400, "invalid_request", "organization must be the id or alias of an organization");
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        if (organizations == null || !realm.isOrganizationsEnabled()) {
            throw new ServiceException(400, "invalid_request", "organization: realm '" + realm.getName()
                    + "' has organizations turned off (Realm settings, General, Organizations)");
        }
        if (!issuer.mayManageRealm()) {
            throw new ServiceException(403, "forbidden", "naming an organization on a registration link needs the "
                    + "permission to manage the realm");
        }
        OrganizationModel organization = organizations.getById(name);
        if (organization == null) {
            organization = organizations.getByAlias(name);
        }
        if (organization == null) {
            throw new ServiceException(400, "invalid_request", "there is no organization '" + name + "' in realm '"
                    + realm.getName() + "'");
        }
        return organization;
    }

    /** The organization (id) the link's registration joins; null when none. */
    static String organizationId(Map<String, String> notes) {
        return notes.get(ORGANIZATION);
    }

    /** Whether this URL is one of this realm's links, still unused and unexpired. */
    boolean isLive(String url) {
        return peek(tokenOf(url)) != null;
    }

    /** The link's secret in one of its URLs; null if none. */
    static String tokenOf(String url) {
        int at = url == null ? -1 : url.indexOf("link=");
        return at < 0 ? null : url.substring(at + "link=".length());
    }

    /** The link's settings, if it is this realm's and still unused and unexpired; it stays usable. */
    Map<String, String> peek(String token) {
        if (!wellFormed(token)) {
            return null;
        }
        Map<String, String> notes = session.singleUseObjects().get(key(token));
        return notes != null && realm.getId().equals(notes.get(REALM)) ? notes : null;
    }

    /**
     * Spends the link once a registration succeeded (at most once, cluster-wide); false when someone spent it
     * meanwhile or it expired.
     */
    boolean spend(String token) {
        return peek(token) != null && session.singleUseObjects().remove(key(token)) != null;
    }

    static boolean enablesOnRegistration(Map<String, String> notes) {
        return Boolean.parseBoolean(notes.get(ENABLE_ON_REGISTRATION));
    }

    private static boolean wellFormed(String token) {
        return token != null && !token.isBlank() && token.length() <= 100;
    }

    private static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> toolClientIds(Map<String, String> notes) {
        return MultiValue.parse(notes.get(TOOL_CLIENT_IDS));
    }

    /**
     * What the registration's realm setup may do: as much as the link's issuer could. A link issued before this was
     * recorded sets up nothing beyond the registration's own first-login flow (where that flow exists).
     */
    static RealmSetup.Scope setupScope(Map<String, String> notes) {
        List<String> bindable = MultiValue.parse(notes.get(BINDABLE_CLIENTS));
        return new RealmSetup.Scope(Boolean.parseBoolean(notes.get(SETUP_FLOWS)), false, bindable::contains);
    }

    private static String defaultTarget(ClientModel client) {
        return ToolLaunchUrl.of(client);
    }
}
