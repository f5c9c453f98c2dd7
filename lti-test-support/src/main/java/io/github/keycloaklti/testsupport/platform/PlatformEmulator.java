package io.github.keycloaklti.testsupport.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.http.JdkHttpServers;
import io.github.keycloaklti.testsupport.http.QueryBuilder;

/**
 * An LTI 1.3 learning platform for tests and the demo, on a loopback port: its own RSA keys and JWKS, a strict
 * OIDC authentication endpoint answering with an auto-posted id_token (response_mode=form_post), a course page
 * with launch buttons, and (see {@link PlatformServices}) the token, NRPS, AGS and deep-link return endpoints.
 */
public final class PlatformEmulator implements AutoCloseable {

    static {
        JdkHttpServers.configure();
    }


    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final Map<String, LtiMessage> messagesByHint = new ConcurrentHashMap<>();
    private final Map<String, LtiMessage> messagesBySubject = new ConcurrentHashMap<>();
    private final List<Map<String, String>> authRequests = new CopyOnWriteArrayList<>();
    private final PlatformServices services;
    private final PlatformDynamicRegistration dynamicRegistration;
    private final PlainOidcProvider oidcProvider;
    private volatile RSAKey signingKey;
    private volatile boolean jwksAvailable = true;
    private volatile boolean jwksWithoutAlg;
    private final java.util.concurrent.atomic.AtomicInteger jwksRequests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Registration registration;
    /** Every tool registered here, the first one (the course page's own tool) first, as an LMS keeps them. */
    private final List<Registration> registrations = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What the platform knows of the tool (Keycloak), as an LMS admin would have entered it. */
    public record Registration(String clientId, String deploymentId, String loginInitiationUrl, String launchUri,
                               String toolJwksUrl, String defaultTargetLinkUri) {
    }

    private PlatformEmulator(HttpServer server, ExecutorService executor, String baseUrl) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = baseUrl;
        this.signingKey = newKey();
        this.services = new PlatformServices(this);
        this.dynamicRegistration = new PlatformDynamicRegistration(this);
        this.oidcProvider = new PlainOidcProvider(this);
    }

    public static PlatformEmulator start(String host, int port) {
        return start(host, port, null);
    }

    /** Over HTTPS when {@code tls} is given, as real platforms are (a launch iframe in an HTTP page is insecure). */
    public static PlatformEmulator start(String host, int port, SSLContext tls) {
        return start(host, host, port, tls);
    }

    /**
     * Listening on {@code bindAddress} (e.g. {@code 0.0.0.0} in a container, whose published port reaches it from
     * outside) while its URLs name {@code host}.
     */
    public static PlatformEmulator start(String bindAddress, String host, int port, SSLContext tls) {
        try {
            HttpServer server;
            if (tls != null) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(bindAddress, port), 1024);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024);
            }
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "platform-emulator");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            PlatformEmulator platform = new PlatformEmulator(server, executor,
                    (tls != null ? "https://" : "http://") + host + ":" + server.getAddress().getPort());
            server.createContext("/", platform::handle);
            server.start();
            return platform;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the platform emulator", e);
        }
    }

    /**
     * Registers a tool (again, for the same client id) and makes it the one launches and services use by default;
     * the course page's main buttons keep launching the first tool registered, others get buttons of their own.
     */
    public PlatformEmulator register(Registration registration) {
        add(registration);
        this.registration = registration;
        return this;
    }

    /**
     * Registers another tool (again, for the same client id) as an LMS admin adds one: it gets the next place on the
     * course page ({@code tool=N}); launches and services built by hand keep the default one.
     */
    public PlatformEmulator add(Registration registration) {
        registrations.removeIf(known -> known.clientId().equals(registration.clientId()));
        registrations.add(registration);
        return this;
    }

    /** The tools registered here, in the order they were registered. */
    public List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /** The registration of a tool's client id, for the services its tokens and responses name. */
    Registration registrationOf(String clientId) {
        for (Registration known : registrations) {
            if (known.clientId().equals(clientId)) {
                return known;
            }
        }
        return null;
    }

    public Registration registration() {
        return registration;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String issuer() {
        return baseUrl;
    }

    public String clientId() {
        return registration.clientId();
    }

    public String deploymentId() {
        return registration.deploymentId();
    }

    public String jwksUrl() {
        return baseUrl + "/jwks";
    }

    public String authorizationUrl() {
        return baseUrl + "/auth";
    }

    public String tokenUrl() {
        return baseUrl + "/token";
    }

    public PlatformServices services() {
        return services;
    }

    /** The same server as a plain OIDC provider (the benchmark's baseline). */
    public PlainOidcProvider oidcProvider() {
        return oidcProvider;
    }

    public PlatformDynamicRegistration dynamicRegistration() {
        return dynamicRegistration;
    }

    public RSAKey signingKey() {
        return signingKey;
    }

    /** Takes the JWKS endpoint down (503) or brings it back. */
    public void setJwksAvailable(boolean available) {
        this.jwksAvailable = available;
    }

    /** How often the JWKS was requested, by anyone. */
    /** The keyset answers one byte every {@code millisPerByte} (0: at once, as usual). */
    public void trickleJwks(long millisPerByte) {
        this.jwksTrickleMillis = millisPerByte;
    }

    /** Each request's path and {@code User-Agent}, as received ({@code "/token keycloak-lti/..."}). */
    public List<String> receivedUserAgents() {
        return List.copyOf(receivedUserAgents);
    }

    private volatile long jwksTrickleMillis;
    private final List<String> receivedUserAgents = new java.util.concurrent.CopyOnWriteArrayList<>();

    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** A new signing key; the JWKS publishes only the new one. */
    /** Publishes the keys without {@code alg} (and {@code use}), as many platforms do: both are optional in a JWK. */
    public void jwksWithoutAlg(boolean without) {
        this.jwksWithoutAlg = without;
    }

    /** The launch's id_token under a header of the caller's making, signed with {@code key}. */
    public String idToken(LtiMessage message, String nonce, JWSHeader header, RSAKey key) {
        withDefaultTarget(message);
        return sign(header, message.claims(this, nonce, Instant.now()), signer(key));
    }

    public RSAKey rotateKey() {
        signingKey = newKey();
        return signingKey;
    }

    /** The authentication requests Keycloak sent here, parameter by parameter, oldest first. */
    public List<Map<String, String>> authRequests() {
        return List.copyOf(authRequests);
    }

    /** The parameters of a login initiation for this message (Security Framework 5.1.1.1). */
    public Map<String, String> loginInitiationParams(LtiMessage message) {
        return loginInitiationParams(message, registration);
    }

    private Map<String, String> loginInitiationParams(LtiMessage message, Registration registration) {
        message.registration = registration;
        withDefaultTarget(message);
        String hint = UUID.randomUUID().toString();
        messagesByHint.put(hint, message);
        messagesBySubject.put(message.subject, message);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", issuer());
        params.put("login_hint", message.subject);
        params.put("target_link_uri", message.targetLinkUri);
        params.put("lti_message_hint", hint);
        params.put("client_id", registration.clientId());
        params.put("lti_deployment_id", message.deploymentId != null ? message.deploymentId : registration.deploymentId());
        if (message.storageTarget != null) {
            params.put("lti_storage_target", message.storageTarget);
        }
        return params;
    }

    /**
     * The least a platform may send (Security Framework 5.1.1.1): {@code iss}, {@code login_hint} and
     * {@code target_link_uri}; no client id, deployment or message hint.
     */
    public String minimalLoginInitiationUrl(LtiMessage message) {
        Map<String, String> params = loginInitiationParams(message);
        QueryBuilder url = QueryBuilder.of(registration.loginInitiationUrl());
        for (String name : List.of("iss", "login_hint", "target_link_uri")) {
            url.param(name, params.get(name));
        }
        return url.build();
    }

    /** The login initiation as a GET URL. */
    public String loginInitiationUrl(LtiMessage message) {
        return loginInitiationUrl(message, registration);
    }

    private String loginInitiationUrl(LtiMessage message, Registration registration) {
        QueryBuilder url = QueryBuilder.of(registration.loginInitiationUrl());
        loginInitiationParams(message, registration).forEach(url::param);
        return url.build();
    }

    /** The id_token this platform would send for the message, signed with its current key. */
    public String idToken(LtiMessage message, String nonce) {
        withDefaultTarget(message);
        return sign(message.claims(this, nonce, Instant.now()));
    }

    /**
     * The launch's id_token with {@code aud} as a JSON array even when it names one client (nimbus writes a single
     * audience as a string; some platforms always send an array).
     */
    public String idTokenWithAudienceArray(LtiMessage message, String nonce) {
        withDefaultTarget(message);
        Map<String, Object> payload = new LinkedHashMap<>(message.claims(this, nonce, Instant.now()).toJSONObject());
        Object audience = payload.get("aud");
        payload.put("aud", audience instanceof List<?> list ? list : List.of(audience));
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .type(JOSEObjectType.JWT).build(), new Payload(payload));
            jws.sign(signer(signingKey));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message without a target goes to the registration's default target link URI, as the course page sends it. */
    private void withDefaultTarget(LtiMessage message) {
        if (message.targetLinkUri == null) {
            message.targetLinkUri(registrationOf(message).defaultTargetLinkUri());
        }
    }

    /** The registration a message was launched through (the default one for a message built by hand). */
    Registration registrationOf(LtiMessage message) {
        return message.registration != null ? message.registration : registration;
    }

    public String sign(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT)
                .build(), claims, signer(signingKey));
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWSSigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID("platform-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            receivedUserAgents.add(path + " " + exchange.getRequestHeaders().getFirst("User-Agent"));
            if (path.equals("/jwks")) {
                jwksRequests.incrementAndGet();
                if (jwksTrickleMillis > 0) {
                    Exchanges.trickle(exchange, "application/json", 120, jwksTrickleMillis);
                    return;
                }
                if (!jwksAvailable) {
                    Exchanges.respond(exchange, 503, "text/plain", "keys unavailable");
                    return;
                }
                RSAKey published = jwksWithoutAlg
                        ? new RSAKey.Builder(signingKey.toPublicJWK()).algorithm(null).keyUse(null).build()
                        : signingKey.toPublicJWK();
                Exchanges.json(exchange, 200, new JWKSet(published).toString());
            } else if (path.equals("/auth")) {
                authenticate(exchange);
            } else if (path.equals("/") || path.equals("/course")) {
                Exchanges.html(exchange, 200, CoursePage.html(this));
            } else if (path.equals("/start")) {
                startLaunch(exchange);
            } else if (path.startsWith("/oidc/")) {
                if (!oidcProvider.handle(exchange, path)) {
                    Exchanges.respond(exchange, 404, "text/plain", "not found");
                }
            } else if (path.startsWith("/dr/")) {
                if (!dynamicRegistration.handle(exchange, path)) {
                    Exchanges.respond(exchange, 404, "text/plain", "not found");
                }
            } else if (!services.handle(exchange, path)) {
                Exchanges.respond(exchange, 404, "text/plain", "not found");
            }
        } catch (RuntimeException e) {
            Exchanges.respond(exchange, 500, "text/plain", "platform emulator error: " + e);
        }
    }

    /** OIDC authentication request of Security Framework 5.1.1.2, checked as strictly as real platforms do. */
    private void authenticate(HttpExchange exchange) throws IOException {
        Map<String, String> params = Exchanges.params(exchange);
        authRequests.add(params);
        LtiMessage message = params.get("lti_message_hint") != null
                ? messagesByHint.get(params.get("lti_message_hint"))
                : messagesBySubject.get(String.valueOf(params.get("login_hint")));
        Registration reg = message != null ? registrationOf(message) : registration;
        String redirectUri = params.get("redirect_uri");
        if (reg == null || !reg.launchUri().equals(redirectUri)) {
            Exchanges.html(exchange, 400, "<p>redirect_uri is not registered: " + Exchanges.escape(redirectUri) + "</p>");
            return;
        }
        String problem = null;
        if (!String.valueOf(params.get("scope")).contains("openid")) {
            problem = "scope must contain openid";
        } else if (!"id_token".equals(params.get("response_type"))) {
            problem = "response_type must be id_token";
        } else if (!"form_post".equals(params.get("response_mode"))) {
            problem = "response_mode must be form_post";
        } else if (!"none".equals(params.get("prompt"))) {
            problem = "prompt must be none";
        } else if (!reg.clientId().equals(params.get("client_id"))) {
            problem = "unknown client_id";
        } else if (params.get("nonce") == null) {
            problem = "nonce is required";
        }
        if (problem == null && message == null) {
            problem = "lti_message_hint does not name a launch of this platform";
        }
        if (problem == null && !message.subject.equals(params.get("login_hint"))) {
            problem = "login_hint does not match the launch";
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (problem != null) {
            fields.put("error", "invalid_request");
            fields.put("error_description", problem);
        } else {
            fields.put("id_token", idToken(message, params.get("nonce")));
        }
        if (params.get("state") != null) {
            fields.put("state", params.get("state"));
        }
        Exchanges.html(exchange, 200, Exchanges.autoPostForm(redirectUri, fields));
    }

    /**
     * The course page's launch buttons: {@code /start?as=learner|instructor|deep-linking&user=...&frame=1&tool=N}
     * (tool: the index of the registration, default the first one).
     */
    private void startLaunch(HttpExchange exchange) throws IOException {
        Map<String, String> params = Exchanges.params(exchange);
        String as = params.getOrDefault("as", "learner");
        if ("1".equals(params.get("frame"))) {
            Map<String, String> inner = new LinkedHashMap<>(params);
            inner.put("frame", "0");
            Exchanges.html(exchange, 200, CoursePage.frame(QueryBuilder.of("/start").build() + "?"
                    + QueryBuilder.encode(inner), "1".equals(params.get("storage"))));
            return;
        }
        LtiMessage message = switch (as) {
            case "instructor" -> LtiMessage.resourceLink().asInstructor();
            case "deep-linking" -> LtiMessage.deepLinking();
            default -> LtiMessage.resourceLink().asLearner();
        };
        String user = params.get("user");
        if (user != null) {
            message.user(user, CoursePage.given(user), CoursePage.family(user));
            message.email(user + "@platform.example");
        } else if (as.equals("instructor") || as.equals("deep-linking")) {
            message.user("instructor-1", "Grace", "Hopper").email("grace@platform.example");
        } else {
            message.user("learner-1", "Ada", "Lovelace").email("ada@platform.example");
        }
        if (params.get("context") != null) {
            message.context(params.get("context"), "Course " + params.get("context"));
        }
        if (params.get("target") != null) {
            message.targetLinkUri(params.get("target"));
        }
        if ("1".equals(params.get("storage"))) {
            message.storageTarget("_parent"); // the course page keeps the tool's data (Platform Storage)
        }
        Registration tool;
        try {
            tool = registrations.get(Integer.parseInt(params.getOrDefault("tool", "0")));
        } catch (RuntimeException e) {
            Exchanges.html(exchange, 400, "<p>no such tool on this course page</p>");
            return;
        }
        Exchanges.redirect(exchange, loginInitiationUrl(message, tool));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
