package io.github.keycloaklti.testsupport.tool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.JdkHttpServers;

/**
 * A learning tool that knows only OIDC: a confidential client of the realm, built on the Nimbus OAuth 2.0 SDK
 * with OpenID Connect extensions. Its {@code /launch} page is the LTI target_link_uri: as the architecture asks
 * of tools, it starts a new authorization code flow there (own state, nonce, PKCE) on every visit. Its
 * {@code /callback} validates the ID token and shows the claims. It keeps no cookie: pending logins are found
 * by their state, so it works the same inside a third-party iframe.
 */
public final class OidcTool implements AutoCloseable {

    static {
        JdkHttpServers.configure();
    }


    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private record PendingLogin(Nonce nonce, CodeVerifier verifier) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, PendingLogin> pending = new ConcurrentHashMap<>();
    private final List<ToolLogin> logins = new CopyOnWriteArrayList<>();
    private final AtomicInteger launchHits = new AtomicInteger();
    private volatile OIDCProviderMetadata metadata;
    private volatile IDTokenValidator validator;
    private volatile boolean forwardLaunchHints;

    private OidcTool(HttpServer server, ExecutorService executor, String baseUrl, String issuer, String clientId,
                     String clientSecret) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = baseUrl;
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** A tool on {@code host:port} (0: any free port), logging in at the realm whose issuer URL is given. */
    public static OidcTool start(String host, int port, String realmIssuer, String clientId, String clientSecret) {
        return start(host, host, port, realmIssuer, clientId, clientSecret);
    }

    /** Listening on {@code bindAddress} (e.g. {@code 0.0.0.0} in a container) while its URLs name {@code host}. */
    public static OidcTool start(String bindAddress, String host, int port, String realmIssuer, String clientId,
                                 String clientSecret) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024); // load tests connect at once
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "oidc-tool");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            OidcTool tool = new OidcTool(server, executor, "http://" + host + ":" + server.getAddress().getPort(),
                    realmIssuer, clientId, clientSecret);
            server.createContext("/", tool::handle);
            server.start();
            return tool;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OIDC tool", e);
        }
    }

    private volatile List<String> extraScopes = List.of();
    private volatile List<String> baseScopes = List.of("openid", "profile", "email");

    public String baseUrl() {
        return baseUrl;
    }

    /** Whether the tool passes a {@code login_hint} it receives at its entry point on to its authorization request. */
    public void forwardLaunchHints(boolean forward) {
        this.forwardLaunchHints = forward;
    }

    /** Scopes the tool asks for besides {@code openid profile email} (e.g. Keycloak's {@code organization}). */
    public void requestScopes(String... scopes) {
        this.extraScopes = List.of(scopes);
    }

    public String launchUrl() {
        return baseUrl + "/launch";
    }

    public String callbackUrl() {
        return baseUrl + "/callback";
    }

    public String clientId() {
        return clientId;
    }

    public List<ToolLogin> logins() {
        return List.copyOf(logins);
    }

    public ToolLogin lastLogin() {
        return logins.isEmpty() ? null : logins.get(logins.size() - 1);
    }

    /** How often a browser reached the tool's launch entry point. */
    public int launchHits() {
        return launchHits.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            switch (exchange.getRequestURI().getPath()) {
                case "/launch" -> startLogin(exchange);
                case "/callback" -> completeLogin(exchange);
                case "/deep-link" -> returnContent(exchange);
                case "/" -> Exchanges.html(exchange, 200, "<!DOCTYPE html><html><body><h1>Demo tool</h1>"
                        + "<p>Open me from a course of the learning platform.</p></body></html>");
                default -> Exchanges.respond(exchange, 404, "text/plain", "not found");
            }
        } catch (Exception e) {
            Exchanges.html(exchange, 500, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">Login failed</h1><pre>"
                    + Exchanges.escape(String.valueOf(e)) + "</pre></body></html>");
        }
    }

    private OIDCProviderMetadata metadata() throws Exception {
        if (metadata == null) {
            metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
        }
        return metadata;
    }

    /** One validator for the tool's life, caching the realm's keys, as real OIDC clients do. */
    private IDTokenValidator validator() throws Exception {
        if (validator == null) {
            validator = new IDTokenValidator(metadata().getIssuer(), new ClientID(clientId), JWSAlgorithm.RS256,
                    metadata().getJWKSetURI().toURL(), new com.nimbusds.jose.util.DefaultResourceRetriever(5000, 5000));
        }
        return validator;
    }

    /** The scopes the tool asks for instead of {@code openid profile email} (a tool that wants no name nor email). */
    public void baseScopes(String... scopes) {
        this.baseScopes = List.of(scopes);
    }

    private Scope scope() {
        Scope scope = new Scope(baseScopes.toArray(String[]::new));
        extraScopes.forEach(scope::add);
        return scope;
    }

    private void startLogin(HttpExchange exchange) throws Exception {
        launchHits.incrementAndGet();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        pending.put(state.getValue(), new PendingLogin(nonce, verifier));
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
                scope(), new ClientID(clientId), URI.create(callbackUrl()))
                .endpointURI(metadata().getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        Map<String, String> params = Exchanges.params(exchange);
        String loginHint = params.get("login_hint");
        String idpHint = params.get("kc_idp_hint");
        if ((forwardLaunchHints || idpHint != null) && loginHint != null) {
            builder.loginHint(loginHint);
        }
        if (idpHint != null) { // a login brokered through one of Keycloak's identity providers (benchmark baseline)
            builder.customParameter("kc_idp_hint", idpHint);
        }
        AuthenticationRequest request = builder.build();
        Exchanges.redirect(exchange, request.toURI().toString());
    }

    private void completeLogin(HttpExchange exchange) throws Exception {
        Map<String, String> params = Exchanges.params(exchange);
        PendingLogin login = params.get("state") == null ? null : pending.remove(params.get("state"));
        if (login == null) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">Unknown state</h1></body></html>");
            return;
        }
        if (params.get("error") != null) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">"
                    + Exchanges.escape(params.get("error")) + "</h1></body></html>");
            return;
        }
        TokenRequest tokenRequest = new TokenRequest(metadata().getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret)),
                new AuthorizationCodeGrant(new AuthorizationCode(params.get("code")), URI.create(callbackUrl()),
                        login.verifier()));
        TokenResponse response = OIDCTokenResponseParser.parse(tokenRequest.toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">Token request failed: "
                    + Exchanges.escape(response.toErrorResponse().getErrorObject().toString()) + "</h1></body></html>");
            return;
        }
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
        JWTClaimsSet idClaims = validator().validate(tokens.getOIDCTokens().getIDToken(), login.nonce()).toJWTClaimsSet();
        BearerAccessToken accessToken = tokens.getOIDCTokens().getBearerAccessToken();
        UserInfoResponse userInfoResponse = UserInfoResponse.parse(
                new UserInfoRequest(metadata().getUserInfoEndpointURI(), accessToken).toHTTPRequest().send());
        Map<String, Object> userInfo = userInfoResponse.indicatesSuccess()
                ? userInfoResponse.toSuccessResponse().getUserInfo().toJSONObject() : Map.of();
        ToolLogin toolLogin = new ToolLogin(new State().getValue(), idClaims.getSubject(), (String) idClaims.getClaim("preferred_username"),
                idClaims.getClaims(), userInfo, accessToken.getValue(),
                tokens.getOIDCTokens().getRefreshToken() == null ? null
                        : tokens.getOIDCTokens().getRefreshToken().getValue());
        logins.add(toolLogin);
        Exchanges.html(exchange, 200, ToolPage.html(toolLogin, JSON.writeValueAsString(idClaims.toJSONObject())));
    }

    /** The picker's submit: the chosen items go to Keycloak, which signs them; the browser takes them to the LMS. */
    private void returnContent(HttpExchange exchange) throws Exception {
        Map<String, List<String>> form = Exchanges.multiParams(Exchanges.body(exchange));
        String loginId = form.containsKey("login") ? form.get("login").get(0) : null;
        ToolLogin login = logins.stream().filter(l -> l.id().equals(loginId)).findFirst().orElse(null);
        if (login == null) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">Unknown login</h1></body></html>");
            return;
        }
        List<Map<String, Object>> chosen = new java.util.ArrayList<>();
        for (String item : form.getOrDefault("item", List.of())) {
            chosen.add(DeepLinkingPicker.item(baseUrl, item));
        }
        java.net.http.HttpResponse<String> response = deepLinkingResponse(login.accessToken(),
                JSON.writeValueAsString(Map.of("content_items", chosen, "msg", "Added " + chosen.size() + " item(s)")),
                "application/json");
        if (response.statusCode() != 200) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"tool-error\">Keycloak refused: "
                    + response.statusCode() + "</h1><pre>" + Exchanges.escape(response.body()) + "</pre></body></html>");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> signed = JSON.readValue(response.body(), Map.class);
        Exchanges.html(exchange, 200, Exchanges.autoPostForm(signed.get("deep_link_return_url"),
                Map.of("JWT", signed.get("jwt"))));
    }

    /**
     * The tool's back end refreshing a login's tokens at the realm's token endpoint (its client secret, as in its code
     * exchange): Keycloak's answer as it came, its JSON holding the new {@code access_token} and {@code id_token}.
     */
    public java.net.http.HttpResponse<String> refresh(String refreshToken) {
        try {
            String form = "grant_type=refresh_token&refresh_token="
                    + java.net.URLEncoder.encode(refreshToken, java.nio.charset.StandardCharsets.UTF_8);
            String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                    metadata().getTokenEndpointURI())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Authorization", "Basic " + basic)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("refresh failed", e);
        }
    }

    /** Calls Keycloak's deep-linking endpoint as this tool would, with the user's access token. */
    public java.net.http.HttpResponse<String> deepLinkingResponse(String accessToken, String jsonBody, String accept) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        URI.create(issuer + "/lti/deep-linking/response"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(jsonBody));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
