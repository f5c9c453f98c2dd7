package io.github.keycloaklti.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.utils.KeycloakSessionUtil;

import io.github.keycloaklti.compat.KeycloakSpi;
import io.github.keycloaklti.lti11.Lti11Claim;
import io.github.keycloaklti.platform.PlatformUrls;

/**
 * One LTI 1.3 platform registration (issuer + the client id the platform assigned to us), kept as the
 * config of an identity provider of type {@code lti}. Every config key is a constant here.
 */
public class LtiPlatformConfig extends IdentityProviderModel {

    /** The identity provider type of LTI registrations. */
    public static final String PROVIDER_ID = "lti";

    public static final String ISSUER = "issuer";
    public static final String CLIENT_ID = "clientId";
    public static final String AUTHORIZATION_URL = "authorizationUrl";
    public static final String JWKS_URL = "jwksUrl";
    public static final String TOKEN_URL = "tokenUrl";
    public static final String DEPLOYMENT_IDS = "deploymentIds";
    public static final String TOOL_CLIENT_IDS = "toolClientIds";
    public static final String ALLOWED_CLOCK_SKEW = "allowedClockSkew";
    public static final String RECORD_NEW_DEPLOYMENTS = "recordNewDeployments";
    public static final String ALLOWED_ALGORITHMS = "allowedAlgorithms";
    public static final String USERNAME_TEMPLATE = "usernameTemplate";
    public static final String TOKEN_AUDIENCE = "tokenAudience";
    public static final String LAUNCH_HINT_LIFETIME = "launchHintLifetime";
    /** Institution or system roles that may read rosters and results like course staff (none by default). */
    public static final String SERVICE_STAFF_ROLES = "serviceStaffRoles";
    /** LTI 1.1 migration: {@code off} (default), {@code verify} (with the 1.1 secret) or {@code trust}. */
    public static final String LTI11_MIGRATION = "lti11Migration";
    /** The 1.1 consumer key the platform's claim must name (optional). */
    public static final String LTI11_CONSUMER_KEY = "lti11ConsumerKey";
    /** A user attribute holding the 1.1 user id of users imported earlier: a first launch links to that user. */
    public static final String LTI11_USER_ATTRIBUTE = "lti11UserAttribute";
    /**
     * The LTI 1.1 shared secret: Keycloak's own "Client Secret" of the registration, which its admin REST API and
     * console never show again ("**********"), its exports leave out, and which may name a vault entry.
     */
    public static final String LTI11_SECRET = "clientSecret";
    /** Client attribute: where the tool starts its login (OIDC third-party initiated login), if not at target_link_uri. */
    public static final String CLIENT_INITIATE_LOGIN_URI = "lti.initiate.login.uri";


    public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
    public static final int DEFAULT_LAUNCH_HINT_LIFETIME_SECONDS = 30;
    public static final String DEFAULT_USERNAME_TEMPLATE = "${ALIAS}.${SUB}";
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    public LtiPlatformConfig() {
    }

    public LtiPlatformConfig(IdentityProviderModel model) {
        super(model);
    }

    /**
     * Whether the platform is Canvas (its preset, Instructure's cloud issuer, or an authentication endpoint on
     * Instructure's hosts): only then do the pages for the LMS admin offer Canvas's configuration URL.
     */
    public boolean isCanvas() {
        String preset = getConfig().get(PlatformPresets.PRESET);
        return "canvas".equalsIgnoreCase(preset == null ? "" : preset.trim())
                || (getIssuer() != null && CanvasCloud.isCloudIssuer(getIssuer()))
                || (getAuthorizationUrl() != null && CanvasCloud.isInstructureHost(getAuthorizationUrl()));
    }

    public String getIssuer() {
        return typedOrPreset(ISSUER);
    }

    public void setIssuer(String issuer) {
        getConfig().put(ISSUER, issuer);
    }

    public String getClientId() {
        return trimmed(CLIENT_ID);
    }

    public String getAuthorizationUrl() {
        return typedOrPreset(AUTHORIZATION_URL);
    }

    /**
     * The origin of the platform's OIDC authentication endpoint ({@code scheme://authority}), null without one: the
     * origin Platform Storage messages go to and are accepted from.
     */
    public String getAuthorizationOrigin() {
        String url = getAuthorizationUrl();
        return url == null ? null : originOf(url);
    }

    /** {@code scheme://authority} of a URL; null when it is no URL. */
    static String originOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() == null || uri.getRawAuthority() == null ? null
                    : uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String getJwksUrl() {
        return typedOrPreset(JWKS_URL);
    }

    public String getTokenUrl() {
        return typedOrPreset(TOKEN_URL);
    }

    /** The {@code aud} of service token assertions when the platform wants another than its token URL. */
    public String getTokenAudience() {
        return typedOrPreset(TOKEN_AUDIENCE);
    }

    /** Seconds a launch hint stays usable by the tool: 30 by default, at most 300. */
    public int getLaunchHintLifetimeSeconds() {
        String value = trimmed(LAUNCH_HINT_LIFETIME);
        try {
            return value == null ? DEFAULT_LAUNCH_HINT_LIFETIME_SECONDS
                    : Math.max(1, Math.min(300, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return DEFAULT_LAUNCH_HINT_LIFETIME_SECONDS;
        }
    }

    public List<String> getDeploymentIds() {
        return multiValued(DEPLOYMENT_IDS);
    }

    public void addDeploymentId(String deploymentId) {
        Set<String> ids = new LinkedHashSet<>(getDeploymentIds());
        ids.add(deploymentId);
        getConfig().put(DEPLOYMENT_IDS, MultiValue.join(ids));
    }

    public List<String> getServiceStaffRoles() {
        return multiValued(SERVICE_STAFF_ROLES);
    }

    public List<String> getToolClientIds() {
        return multiValued(TOOL_CLIENT_IDS);
    }

    /** Whether this registration launches that one tool client and no other (the platform then sees only it). */
    public boolean launchesOnly(String toolClientId) {
        return getToolClientIds().equals(List.of(toolClientId));
    }

    public int getAllowedClockSkewSeconds() {
        String value = trimmed(ALLOWED_CLOCK_SKEW);
        if (value == null) {
            return DEFAULT_CLOCK_SKEW_SECONDS;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return DEFAULT_CLOCK_SKEW_SECONDS;
        }
    }

    public boolean isRecordNewDeployments() {
        return Boolean.parseBoolean(trimmed(RECORD_NEW_DEPLOYMENTS));
    }

    /** Signature algorithms accepted on launches; RS256 (LTI's required algorithm) unless the admin allows more. */
    public Set<String> getAllowedAlgorithms() {
        List<String> configured = multiValued(ALLOWED_ALGORITHMS);
        if (configured.isEmpty()) {
            return Set.of("RS256");
        }
        Set<String> result = new LinkedHashSet<>();
        for (String alg : configured) {
            for (String part : alg.split(",")) {
                if (!part.isBlank()) {
                    result.add(part.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return result;
    }

    /** The registration's LTI 1.1 migration mode; off when the config names none. */
    public Lti11Claim.Mode getLti11Mode() {
        Lti11Claim.Mode mode = Lti11Claim.Mode.of(getConfig().get(LTI11_MIGRATION));
        return mode == null ? Lti11Claim.Mode.OFF : mode;
    }

    public String getLti11ConsumerKey() {
        return trimmed(LTI11_CONSUMER_KEY);
    }

    public String getLti11UserAttribute() {
        return trimmed(LTI11_USER_ATTRIBUTE);
    }

    /** The secret as stored: the value, or a vault reference ({@code ${vault.key}}) to resolve. */
    public String getLti11SecretReference() {
        return getConfig().get(LTI11_SECRET);
    }

    public String getUsernameTemplate() {
        String template = trimmed(USERNAME_TEMPLATE);
        return template == null ? DEFAULT_USERNAME_TEMPLATE : template;
    }

    /** The admin console's label of each checked setting, used in every message about it. */
    public static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry(PlatformPresets.PRESET, "Platform preset"),
            Map.entry(PlatformPresets.SITE_URL, "Platform site URL"),
            Map.entry(ISSUER, "Platform issuer"),
            Map.entry(CLIENT_ID, "Client ID"),
            Map.entry(AUTHORIZATION_URL, "Platform authentication request URL"),
            Map.entry(JWKS_URL, "Platform public keyset URL"),
            Map.entry(TOKEN_URL, "Platform access token URL"),
            Map.entry(TOKEN_AUDIENCE, "Token audience"),
            Map.entry(DEPLOYMENT_IDS, "Deployment IDs"),
            Map.entry(RECORD_NEW_DEPLOYMENTS, "Record new deployments on first launch"),
            Map.entry(TOOL_CLIENT_IDS, "Tool clients"),
            Map.entry(ALLOWED_CLOCK_SKEW, "Allowed clock skew (seconds)"),
            Map.entry(ALLOWED_ALGORITHMS, "Allowed signature algorithms"),
            Map.entry(USERNAME_TEMPLATE, "Username template"),
            Map.entry(SERVICE_STAFF_ROLES, "Institution roles that count as course staff"),
            Map.entry(LAUNCH_HINT_LIFETIME, "Launch hint lifetime (seconds)"),
            Map.entry(LTI11_MIGRATION, "LTI 1.1 migration"),
            Map.entry(LTI11_CONSUMER_KEY, "LTI 1.1 consumer key"),
            Map.entry(LTI11_USER_ATTRIBUTE, "LTI 1.1 user id attribute"),
            Map.entry(LTI11_SECRET, "Client Secret"));

    /** "Platform issuer (issuer)": the form's label, and the config key for admin REST users. */
    static String named(String key) {
        return LABELS.getOrDefault(key, key) + " (" + key + ")";
    }

    /**
     * Checks run when the registration is saved through the admin REST API, the console or a realm import: every
     * problem at once, each named by the form's label. Nothing of the realm is written; of the registration itself,
     * only what saving it must mean: the "For the LMS" URLs shown in its form, and that it is never a login button.
     */
    @Override
    public void validate(RealmModel realm) {
        super.validate(realm);
        List<String> problems = new ArrayList<>();
        try {
            PlatformPresets.check(this);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        require(problems, ISSUER, "the 'iss' of the platform's launches");
        require(problems, CLIENT_ID, "the client id the platform assigned to this tool");
        require(problems, AUTHORIZATION_URL, "the platform's OIDC authentication request URL");
        require(problems, JWKS_URL, "the platform's public keyset URL");
        if (getIssuer() != null) {
            checkIssuer(problems);
        }
        checkUrl(problems, AUTHORIZATION_URL);
        checkUrl(problems, JWKS_URL);
        checkUrl(problems, TOKEN_URL);
        checkCanvasCloudHosts(problems);
        checkTokenUrlOrigin(problems);
        if (getClientId() != null) {
            checkClientIdIsNoRealmIssuer(problems);
        }
        String skew = trimmed(ALLOWED_CLOCK_SKEW);
        if (skew != null) {
            try {
                int seconds = Integer.parseInt(skew);
                if (seconds < 0 || seconds > 600) {
                    problems.add(named(ALLOWED_CLOCK_SKEW) + " must be between 0 and 600 seconds, got " + seconds);
                }
            } catch (NumberFormatException e) {
                problems.add(named(ALLOWED_CLOCK_SKEW) + " must be a number of seconds, got '" + skew + "'");
            }
        }
        for (String alg : getAllowedAlgorithms()) {
            if (!SUPPORTED_ALGORITHMS.contains(alg)) {
                problems.add(named(ALLOWED_ALGORITHMS) + ": '" + alg + "' is not an asymmetric JWS algorithm; use "
                        + "one of " + String.join(", ", SUPPORTED_ALGORITHMS.stream().sorted().toList()));
            }
        }
        checkLti11(problems);
        if (isTransientUsers()) {
            problems.add("Transient users are not supported for LTI registrations: a launch's user is the platform's "
                    + "user, kept and linked so that later launches, roles and services find it");
        }
        List<String> tools = getToolClientIds();
        if (tools.isEmpty()) {
            problems.add(named(TOOL_CLIENT_IDS) + " must name at least one client of realm '" + realm.getName()
                    + "' that this platform may launch");
        }
        // A realm import creates identity providers before clients: there, unknown clients are found at launch.
        boolean clientsExist = AdminRequest.isIdentityProviderEdit();
        for (String clientId : tools) {
            ClientModel client = clientsExist ? realm.getClientByClientId(clientId) : null;
            if (clientsExist && client == null) {
                problems.add(named(TOOL_CLIENT_IDS) + ": there is no client '" + clientId + "' in realm '"
                        + realm.getName() + "'");
            } else if (client != null && !ToolClients.isTool(client)) {
                problems.add(named(TOOL_CLIENT_IDS) + ": " + ToolClients.refusal(client));
            }
        }
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (problems.isEmpty() && session != null && session.getContext().getRealm() != null
                && realm.getId().equals(session.getContext().getRealm().getId())) {
            // only the registrations with this client id (Keycloak's query on a config value), not the realm's all:
            // thousands of registrations in a realm cost a save one small query; the id is kept as compared
            getConfig().put(CLIENT_ID, getClientId());
            checkUnique(session.identityProviders().getAllStream(Map.of(CLIENT_ID, getClientId()), null, null));
            checkLti11AttributeIsOwn(session);
        }
        if (!problems.isEmpty()) {
            String alias = getAlias() == null ? "" : " '" + getAlias() + "'";
            throw invalid("LTI platform" + alias + ": " + (problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems: " + String.join("; ", problems)));
        }
        ToolUrls.fill(this, realm);
        // a platform cannot start a login from Keycloak (its launches start at the platform): never a button on the
        // login page, whatever path saves the registration (console, admin REST, import, Dynamic Registration)
        KeycloakSpi.current().hideOnLogin(this);
    }

    /**
     * The token URL belongs to the registration's own issuer (same origin), so that no registration can have Keycloak
     * ask another institution's token endpoint for that institution's token (then send it to its own service URLs).
     * Where a platform's token service is elsewhere: the preset's (Canvas cloud, Blackboard, Brightspace, Schoology,
     * chosen by the admin), or an origin the Keycloak operator trusts (option {@code trusted-token-origins}).
     */
    private void checkTokenUrlOrigin(List<String> problems) {
        String token = getTokenUrl();
        String issuer = getIssuer();
        if (token == null || issuer == null || PlatformUrls.sameOrigin(token, issuer)
                || token.equals(PlatformPresets.valueFor(this, TOKEN_URL)) || CanvasCloud.isCloudIssuer(issuer)
                && CanvasCloud.isInstructureHost(token) || PlatformUrls.isTrustedTokenOrigin(token)) {
            return;
        }
        problems.add(named(TOKEN_URL) + " must be on the issuer's origin (" + issuer + ": same scheme, host and port), "
                + "or be the token service of the registration's preset, or one the Keycloak operator trusts "
                + "(server option trusted-token-origins)");
    }

    private void checkLti11(List<String> problems) {
        String value = getConfig().get(LTI11_MIGRATION);
        Lti11Claim.Mode mode = Lti11Claim.Mode.of(value);
        if (mode == null) {
            problems.add(named(LTI11_MIGRATION) + " must be off, verify or trust, got '" + value + "'");
            return;
        }
        String secret = getLti11SecretReference();
        if (mode == Lti11Claim.Mode.VERIFY && (secret == null || secret.isBlank())) {
            problems.add(named(LTI11_MIGRATION) + " verify needs the LTI 1.1 shared secret in " + named(LTI11_SECRET));
        }
        if (mode != Lti11Claim.Mode.VERIFY && getLti11UserAttribute() != null) {
            problems.add(named(LTI11_USER_ATTRIBUTE) + " links launches to users by their verified 1.1 user id: set "
                    + named(LTI11_MIGRATION) + " to verify for it");
        }
    }

    /**
     * 1.1 user ids are unique per 1.1 consumer only: two registrations linking by one attribute would let one's
     * platform claim the users imported for the other. Each registration names an attribute of its own.
     */
    private void checkLti11AttributeIsOwn(KeycloakSession session) {
        String attribute = getLti11UserAttribute();
        if (attribute == null) {
            return;
        }
        getConfig().put(LTI11_USER_ATTRIBUTE, attribute);
        session.identityProviders().getAllStream(Map.of(LTI11_USER_ATTRIBUTE, attribute), null, null)
                .filter(other -> PROVIDER_ID.equals(other.getProviderId()) && !other.getAlias().equals(getAlias()))
                .findFirst().ifPresent(other -> {
                    throw invalid(named(LTI11_USER_ATTRIBUTE) + ": registration '" + other.getAlias() + "' links by '"
                            + attribute + "' already: give each 1.1 consumer's users an attribute of their own");
                });
    }

    private void require(List<String> problems, String key, String what) {
        if (typedOrPreset(key) == null) {
            problems.add(named(key) + " is required (" + what + ")");
        }
    }

    private void checkIssuer(List<String> problems) {
        try {
            URI uri = new URI(getIssuer());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() != null && (scheme.equals("https") || scheme.equals("http"))) {
                return;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        problems.add(named(ISSUER) + " must be an absolute http(s) URL, got '" + getIssuer() + "'");
    }

    private void checkUrl(List<String> problems, String key) {
        String value = typedOrPreset(key);
        if (value == null) {
            return;
        }
        try {
            PlatformUrls.checkEntered(value, named(key));
        } catch (PlatformUrls.RefusedUrlException e) {
            problems.add(e.getMessage() + ", got '" + value + "'");
        }
    }

    /** Canvas cloud's shared issuer only with Instructure's own endpoints (see {@link CanvasCloud}). */
    private void checkCanvasCloudHosts(List<String> problems) {
        if (getIssuer() == null || !CanvasCloud.isCloudIssuer(getIssuer())) {
            return;
        }
        for (String key : List.of(AUTHORIZATION_URL, JWKS_URL, TOKEN_URL)) {
            String url = typedOrPreset(key);
            if (url != null && !CanvasCloud.isInstructureHost(url)) {
                problems.add(named(key) + " must be on Instructure's hosts (instructure.com, canvaslms.com) for the "
                        + "Canvas cloud issuer " + getIssuer() + ", got '" + url + "'");
            }
        }
    }

    /**
     * Keycloak signs service-token assertions with the realm's key, {@code iss} and {@code sub} being this client id:
     * a client id that looks like a realm issuer would make Keycloak sign tokens that claim to come from a realm.
     */
    private void checkClientIdIsNoRealmIssuer(List<String> problems) {
        String lower = getClientId().toLowerCase(Locale.ROOT);
        if ((lower.startsWith("http://") || lower.startsWith("https://")) && lower.contains("/realms/")) {
            problems.add(named(CLIENT_ID) + " must be the id the platform assigned to the tool, not a realm URL, got '"
                    + getClientId() + "'");
        }
    }

    /**
     * One registration per issuer and client id: a second one (under another alias) would let its holder share the
     * first one's users and platform tokens.
     */
    public void checkUnique(Stream<IdentityProviderModel> existing) {
        existing.filter(other -> PROVIDER_ID.equals(other.getProviderId()))
                .filter(other -> !other.getAlias().equals(getAlias())
                        && (getInternalId() == null || !getInternalId().equals(other.getInternalId())))
                .map(LtiPlatformConfig::new)
                .filter(other -> getClientId().equals(other.getClientId()) && (getIssuer().equals(other.getIssuer())
                        || getTokenUrl() != null && other.getTokenUrl() != null
                        && PlatformUrls.sameOrigin(getTokenUrl(), other.getTokenUrl())))
                .findFirst()
                .ifPresent(other -> {
                    if (!getIssuer().equals(other.getIssuer())) {
                        // another issuer with that client id at that token URL would borrow its token credentials
                        throw invalid("client id '" + getClientId() + "' at token URL " + getTokenUrl()
                                + " is already registered as '" + other.getAlias() + "' for another issuer: two "
                                + "registrations never share a token URL and client id (nor a token service's origin)");
                    }
                    throw invalid("platform issuer " + getIssuer() + " with client id '" + getClientId()
                            + "' is already registered as '" + other.getAlias() + "': edit that registration instead "
                            + "(one registration per issuer and client id)");
                });
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException(message);
    }

    /** What the admin typed, else the platform preset's value (see {@link PlatformPresets}). */
    private String typedOrPreset(String key) {
        String typed = trimmed(key);
        return typed != null ? typed : PlatformPresets.valueFor(this, key);
    }

    private String trimmed(String key) {
        String value = getConfig().get(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.trim();
    }

    private List<String> multiValued(String key) {
        return MultiValue.parse(getConfig().get(key));
    }
}
