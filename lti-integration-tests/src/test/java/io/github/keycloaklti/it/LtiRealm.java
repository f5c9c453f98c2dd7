package io.github.keycloaklti.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.OrganizationDomainRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.QueryBuilder;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.keycloak.TestCertificate;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;
import io.github.keycloaklti.testsupport.tool.OidcTool;

/**
 * One scenario's world, set up through the admin REST API as a Keycloak admin would: a realm, a tool client
 * with the {@code oidc-lti-claims-mapper}, the platform emulator (on 127.0.0.1) registered as an {@code lti}
 * identity provider, and the OIDC tool stand-in (on 127.0.0.2). Keycloak itself is on localhost: three sites.
 */
public final class LtiRealm implements AutoCloseable {

    public static final String ALIAS = "platform";
    public static final String TOOL_CLIENT_ID = "demo-tool";
    public static final String TOOL_SECRET = "tool-secret-" + UUID.randomUUID();
    public static final String PLATFORM_CLIENT_ID = "kc-tool-at-platform";
    public static final String DEPLOYMENT_ID = "deployment-1";

    private final KeycloakServer server;
    private final String baseUrl;
    private final TestCertificate certificate;
    private final javax.net.ssl.SSLContext trustingKeycloak;
    private final Keycloak admin;
    private final String name;
    private final PlatformEmulator platform;
    private final OidcTool tool;

    private LtiRealm(KeycloakServer server, String baseUrl, TestCertificate certificate, Keycloak admin, String name,
            PlatformEmulator platform, OidcTool tool) {
        this.server = server;
        this.baseUrl = baseUrl;
        this.certificate = certificate;
        this.trustingKeycloak = server != null ? server.sslContext() : certificate.trustingSslContext();
        this.admin = admin;
        this.name = name;
        this.platform = platform;
        this.tool = tool;
    }

    public static LtiRealm create(KeycloakServer server, Keycloak admin) {
        return create(server, server.baseUrl(), server.certificate(), admin);
    }

    /** In a cluster: Keycloak's public URL is the load balancer's. */
    public static LtiRealm create(String baseUrl, TestCertificate certificate, Keycloak admin) {
        return create(null, baseUrl, certificate, admin);
    }

    private static LtiRealm create(KeycloakServer server, String baseUrl, TestCertificate certificate, Keycloak admin) {
        String name = "lti-" + UUID.randomUUID().toString().substring(0, 8);
        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm(name);
        realm.setEnabled(true);
        admin.realms().create(realm); // its user profile stays Keycloak's default

        // an HTTPS platform, as real ones are: Keycloak trusts the test certificate (see KeycloakServer)
        PlatformEmulator platform = PlatformEmulator.start("127.0.0.1", 0, certificate.serverSslContext());
        String realmUrl = baseUrl + "/realms/" + name;
        OidcTool tool = OidcTool.start("127.0.0.2", 0, realmUrl, TOOL_CLIENT_ID, TOOL_SECRET);
        LtiRealm lti = new LtiRealm(server, baseUrl, certificate, admin, name, platform, tool);
        lti.createToolClient();
        lti.createPlatform(lti.platformConfig());
        lti.setUpRealmFor(ALIAS);
        platform.register(new PlatformEmulator.Registration(PLATFORM_CLIENT_ID, DEPLOYMENT_ID,
                lti.launchUri() + "/login", lti.launchUri(), realmUrl + "/protocol/openid-connect/certs",
                tool.launchUrl()));
        return lti;
    }

    /**
     * Declares a user attribute in the realm's user profile, as an admin does (Realm settings, User profile, Create
     * attribute) before a mapper writes it: admins see and edit it, users neither.
     */
    public void declareUserAttribute(String attributeName) {
        UPConfig profile = realm().users().userProfile().getConfiguration();
        if (profile.getAttribute(attributeName) == null) {
            UPAttribute attribute = new UPAttribute(attributeName);
            attribute.setPermissions(new UPAttributePermissions(Set.of("admin"), Set.of("admin")));
            profile.addOrReplaceAttribute(attribute);
            realm().users().userProfile().update(profile);
        }
    }

    private void createToolClient() {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(TOOL_CLIENT_ID);
        client.setName("Demo tool");
        client.setProtocol("openid-connect");
        client.setPublicClient(false);
        client.setSecret(TOOL_SECRET);
        client.setStandardFlowEnabled(true);
        client.setServiceAccountsEnabled(true);
        client.setRedirectUris(List.of(tool.baseUrl() + "/*"));
        client.setWebOrigins(List.of(tool.baseUrl()));
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("LTI launch claims");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-lti-claims-mapper");
        mapper.setConfig(Map.of("id.token.claim", "true", "access.token.claim", "true",
                "userinfo.token.claim", "true", "introspection.token.claim", "true"));
        client.setProtocolMappers(List.of(mapper));
        try (Response response = realm().clients().create(client)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("cannot create the tool client: " + response.getStatus());
            }
        }
    }

    public Map<String, String> platformConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("issuer", platform.issuer());
        config.put("clientId", PLATFORM_CLIENT_ID);
        config.put("authorizationUrl", platform.authorizationUrl());
        config.put("jwksUrl", platform.jwksUrl());
        config.put("tokenUrl", platform.tokenUrl());
        config.put("deploymentIds", DEPLOYMENT_ID);
        config.put("toolClientIds", TOOL_CLIENT_ID);
        return config;
    }

    public Response createPlatform(String alias, Map<String, String> config) {
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(alias);
        idp.setProviderId("lti");
        idp.setEnabled(true);
        idp.setConfig(new HashMap<>(config));
        return realm().identityProviders().create(idp);
    }

    private void createPlatform(Map<String, String> config) {
        try (Response response = createPlatform(ALIAS, config)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("cannot register the platform: " + response.getStatus() + " "
                        + response.readEntity(String.class));
            }
        }
    }

    /**
     * The admin's explicit realm setup for a registration ({@code POST /admin/realms/R/lti/platforms/A/realm-setup}):
     * the "lti first launch" and "lti browser" flows, bound where nothing else is. Returns the answer's JSON.
     */
    public String setUpRealmFor(String alias) {
        HttpResponse<String> answer = adminLti("POST", "platforms/" + alias + "/realm-setup", null);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("realm setup failed: " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    /** A call to the extension's admin REST ({@code /admin/realms/R/lti/...}) as the test's admin. */
    public HttpResponse<String> adminLti(String method, String path, String jsonBody) {
        return adminLti(name, method, path, jsonBody, admin.tokenManager().getAccessTokenString());
    }

    /**
     * A call to the extension's admin REST of a realm ({@code /admin/realms/R/lti/...}) with this access token
     * (none when null).
     */
    public HttpResponse<String> adminLti(String realmName, String method, String path, String jsonBody,
                                         String accessToken) {
        return admin(realmName, method, "lti/" + path, jsonBody, accessToken);
    }

    /** A call to the admin REST of a realm ({@code /admin/realms/R/...}: Keycloak's own, or ours) with this token. */
    public HttpResponse<String> admin(String realmName, String method, String path, String jsonBody, String accessToken) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create(baseUrl + "/admin/realms/" + realmName + "/" + path));
            if (accessToken != null) {
                request.header("Authorization", "Bearer " + accessToken);
            }
            return HttpClient.newBuilder().sslContext(trustingKeycloak).build().send(request
                            .header("Content-Type", "application/json")
                            .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(jsonBody)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A launch through another registration {@code alias} of the emulator's issuer, whose client id at the platform is
     * {@code clientId}: login initiation, Keycloak's authentication request, then the emulator's id_token for it.
     */
    public BrowserlessUserAgent.Page launchThrough(String alias, String clientId, LtiMessage message) {
        message.tweak(claims -> claims.audience(clientId));
        Map<String, String> initiation = new LinkedHashMap<>(platform.loginInitiationParams(message));
        initiation.put("client_id", clientId);
        String launchUri = realmUrl() + "/broker/" + alias + "/endpoint";
        BrowserlessUserAgent browser = userAgent();
        HttpResponse<String> started = browser.get(launchUri + "/login?"
                + QueryBuilder.encode(initiation));
        if (started.statusCode() != 302) {
            throw new IllegalStateException("login initiation answered " + started.statusCode() + ": " + started.body());
        }
        Map<String, List<String>> request = Exchanges.multiParams(
                URI.create(started.headers().firstValue("Location").orElseThrow()).getRawQuery());
        return browser.post(launchUri, Map.of("state", request.get("state").get(0),
                "id_token", platform.idToken(message, request.get("nonce").get(0))));
    }

    /**
     * Another registration {@code alias} of the emulator's platform, as a second tool there with {@code clientId} (the
     * platform knows it too: its token endpoint, a course page button), set up for launches; launches built by hand
     * keep going through the first.
     */
    public void addRegistration(String alias, String clientId) {
        Map<String, String> config = new HashMap<>(platformConfig());
        config.put("clientId", clientId);
        try (Response created = createPlatform(alias, config)) {
            if (created.getStatus() != 201) {
                throw new IllegalStateException("cannot register '" + alias + "': " + created.getStatus());
            }
        }
        setUpRealmFor(alias);
        PlatformEmulator.Registration first = platform.registration();
        String launch = realmUrl() + "/broker/" + alias + "/endpoint";
        platform.add(new PlatformEmulator.Registration(clientId, first.deploymentId(), launch + "/login", launch,
                first.toolJwksUrl(), first.defaultTargetLinkUri()));
    }

    /**
     * Another tool client of the default registration, as an admin makes one: a confidential OIDC client with the LTI
     * claims mapper ({@code claimsMapperConfig} added to its config; null: none but what {@code otherMappers} holds, in
     * the client's JSON) and any {@code otherMappers}, its service account
     * holding {@code lti-service}, served by a new OIDC tool on {@code host}; added to the registration's tools and set
     * up for launches. Close the tool after the class.
     */
    public OidcTool addTool(String clientId, String secret, String host, Map<String, String> claimsMapperConfig,
                            List<ProtocolMapperRepresentation> otherMappers) {
        OidcTool added = OidcTool.start(host, 0, realmUrl(), clientId, secret);
        addToolClient(clientId, secret, added.baseUrl(), claimsMapperConfig, otherMappers);
        return added;
    }

    /**
     * The client of {@link #addTool}, for a tool served elsewhere (a sample app) whose redirect URIs are
     * {@code toolBaseUrl/*}: the same client, mappers, service account with {@code lti-service}, registration entry
     * and realm setup, but no OIDC tool started.
     */
    public void addToolClient(String clientId, String secret, String toolBaseUrl, Map<String, String> claimsMapperConfig,
                              List<ProtocolMapperRepresentation> otherMappers) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setSecret(secret);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(true);
        client.setServiceAccountsEnabled(true);
        client.setRedirectUris(List.of(toolBaseUrl + "/*"));
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("LTI launch claims");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-lti-claims-mapper");
        Map<String, String> config = new HashMap<>(Map.of("id.token.claim", "true", "access.token.claim", "true",
                "userinfo.token.claim", "true"));
        config.putAll(claimsMapperConfig == null ? Map.of() : claimsMapperConfig);
        mapper.setConfig(config);
        client.setProtocolMappers(otherMappers);
        try (Response created = realm().clients().create(client)) {
            if (created.getStatus() != 201) {
                throw new IllegalStateException("cannot create client '" + clientId + "': " + created.getStatus() + " "
                        + created.readEntity(String.class));
            }
        }
        // added as the console adds a mapper (Client scopes, dedicated scope, "Add mapper"): its checks run
        String id = realm().clients().findByClientId(clientId).get(0).getId();
        if (claimsMapperConfig != null) {
            try (Response created = realm().clients().get(id).getProtocolMappers().createMapper(mapper)) {
                if (created.getStatus() != 201) {
                    throw new IllegalStateException("cannot add the LTI claims mapper: " + created.getStatus());
                }
            }
        }
        String tools = realm().identityProviders().get(ALIAS).toRepresentation().getConfig().get("toolClientIds");
        updatePlatform(Map.of("toolClientIds", tools + "##" + clientId));
        setUpRealmFor(ALIAS);
        if (realm().roles().list().stream().noneMatch(role -> "lti-service".equals(role.getName()))) {
            org.keycloak.representations.idm.RoleRepresentation role = new org.keycloak.representations.idm.RoleRepresentation();
            role.setName("lti-service");
            realm().roles().create(role);
        }
        var serviceRole = realm().roles().get("lti-service").toRepresentation();
        ClientRepresentation made = realm().clients().findByClientId(clientId).get(0);
        UserRepresentation account = realm().clients().get(made.getId()).getServiceAccountUser();
        realm().users().get(account.getId()).roles().realmLevel().add(List.of(serviceRole));
    }

    /** A call with a bearer token (a tool's call of the extension's REST), JSON body or none. */
    public HttpResponse<String> bearerCall(String method, String url, String token, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            return HttpClient.newBuilder().sslContext(trustingKeycloak).build().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A URL of the extension's REST under this realm ({@code /realms/R/lti/path?params}). */
    public String serviceUrl(String path, Map<String, String> params) {
        String query = QueryBuilder.encode(params);
        return realmUrl() + "/lti/" + path + (query.isEmpty() ? "" : "?" + query);
    }

    /** A tool client's service-account token (client credentials, as the tool's back end asks for it). */
    public String serviceAccountToken(String clientId, String secret) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().sslContext(trustingKeycloak).build().send(
                    HttpRequest.newBuilder(URI.create(realmUrl() + "/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(QueryBuilder.encode(Map.of(
                                    "grant_type", "client_credentials", "client_id", clientId, "client_secret", secret))))
                            .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("no service-account token for '" + clientId + "': "
                        + response.statusCode() + " " + response.body());
            }
            return (String) new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class)
                    .get("access_token");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Saves an entry of one of the extension's admin console pages ({@code page}: its id), as the console does. */
    public Response addConsolePage(String page, org.keycloak.common.util.MultivaluedHashMap<String, String> config) {
        org.keycloak.representations.idm.ComponentRepresentation entry = new org.keycloak.representations.idm.ComponentRepresentation();
        entry.setName(page);
        entry.setProviderId(page);
        entry.setProviderType("org.keycloak.services.ui.extend.UiPageProvider");
        entry.setParentId(realm().toRepresentation().getId());
        entry.setConfig(config);
        return realm().components().add(entry);
    }

    /**
     * An organization of the realm (its organizations turned on first), as the console's Organizations, "Create
     * organization" makes it, with one domain; returns its id.
     */
    public String createOrganization(String alias) {
        RealmRepresentation representation = realm().toRepresentation();
        if (!Boolean.TRUE.equals(representation.isOrganizationsEnabled())) {
            representation.setOrganizationsEnabled(true);
            realm().update(representation);
        }
        OrganizationRepresentation organization = new OrganizationRepresentation();
        organization.setName(alias + " district");
        organization.setAlias(alias);
        organization.setEnabled(true);
        OrganizationDomainRepresentation domain = new OrganizationDomainRepresentation();
        domain.setName(alias + ".example.edu");
        organization.addDomain(domain);
        try (Response created = realm().organizations().create(organization)) {
            if (created.getStatus() != 201) {
                throw new IllegalStateException("cannot create organization '" + alias + "': " + created.getStatus()
                        + " " + created.readEntity(String.class));
            }
            String path = created.getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** The ids of an organization's members. */
    public Set<String> organizationMembers(String organizationId) {
        return realm().organizations().get(organizationId).members().getAll().stream()
                .map(org.keycloak.representations.idm.MemberRepresentation::getId)
                .collect(java.util.stream.Collectors.toSet());
    }

    public void updatePlatform(Map<String, String> changes) {
        updatePlatform(ALIAS, changes);
    }

    public void updatePlatform(String alias, Map<String, String> changes) {
        IdentityProviderRepresentation idp = realm().identityProviders().get(alias).toRepresentation();
        idp.getConfig().putAll(changes);
        realm().identityProviders().get(alias).update(idp);
    }

    public RealmResource realm() {
        return admin.realm(name);
    }

    public String name() {
        return name;
    }

    /** The single server this realm lives on; null in a cluster. */
    public KeycloakServer server() {
        return server;
    }

    public String realmUrl() {
        return baseUrl + "/realms/" + name;
    }

    public PlatformEmulator platform() {
        return platform;
    }

    public OidcTool tool() {
        return tool;
    }

    public String launchUri() {
        return realmUrl() + "/broker/" + ALIAS + "/endpoint";
    }

    public BrowserlessUserAgent userAgent() {
        return new BrowserlessUserAgent(trustingKeycloak);
    }

    /** The Keycloak user of a platform user, looked up by its link to the platform (issuer + sub). */
    public UserRepresentation userLinkedTo(String platformSubject) {
        List<UserRepresentation> users = realm().users().search(null, 0, 1000, true);
        for (UserRepresentation user : users) {
            boolean linked = realm().users().get(user.getId()).getFederatedIdentity().stream()
                    .anyMatch(link -> ALIAS.equals(link.getIdentityProvider()) && platformSubject.equals(link.getUserId()));
            if (linked) {
                return user;
            }
        }
        return null;
    }

    public int userCount() {
        return realm().users().count();
    }

    public int sessionCount() {
        return realm().clients().findByClientId(TOOL_CLIENT_ID).stream()
                .mapToInt(c -> realm().clients().get(c.getId()).getUserSessions(0, 1000).size()).sum();
    }

    @Override
    public void close() {
        platform.close();
        tool.close();
        try {
            realm().remove();
        } catch (RuntimeException e) {
            // the realm is discarded with the server anyway
        }
    }
}
