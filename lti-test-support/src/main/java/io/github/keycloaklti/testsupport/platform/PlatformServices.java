package io.github.keycloaklti.testsupport.platform;

import java.io.IOException;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;

import io.github.keycloaklti.testsupport.http.Exchanges;

/**
 * The platform's services: OAuth 2.0 client credentials with a private_key_jwt assertion verified against the
 * tool's JWKS (Security Framework 4.1), NRPS 2.0 memberships with Link-header paging, AGS 2.0 line items,
 * scores and results, and the deep-link return endpoint that verifies the LtiDeepLinkingResponse it receives.
 */
public final class PlatformServices {

    public static final String SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
    public static final String SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public static final String SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public static final String SCOPE_RESULT = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public static final String SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    static final String NRPS_CONTAINER = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    static final String LINEITEM = "application/vnd.ims.lis.v2.lineitem+json";
    static final String LINEITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    static final String RESULT_CONTAINER = "application/vnd.ims.lis.v2.resultcontainer+json";
    static final String SCORE = "application/vnd.ims.lis.v1.score+json";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> receivedAssertions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PlatformEmulator platform;
    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
    private final Set<String> usedAssertionIds = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Map<String, Object>>> members = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> lineItems = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> scores = new ConcurrentHashMap<>();
    private final List<JWTClaimsSet> deepLinkResponses = new CopyOnWriteArrayList<>();
    private final Set<String> issuedDeepLinkingData = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger lineItemIds = new AtomicInteger();
    private volatile int pageSize = Integer.MAX_VALUE;
    private volatile int tokenStatus = 200;
    private volatile boolean tokenExpiresIn = true;
    private volatile boolean refuseTokenScopes;
    private volatile String expectedTokenAudience;
    private volatile boolean moodleLineItemIds;
    private volatile Fault fault;
    private volatile long delayMillis;

    /** A failure the next service call (not the token endpoint) gets: a status with a body, after a delay. */
    public record Fault(int status, String body, long delayMillis) {
    }

    PlatformServices(PlatformEmulator platform) {
        this.platform = platform;
    }

    /**
     * How the token endpoint answers a good request: its status (200, or 201 as some platforms do) and whether it
     * says {@code expires_in} (optional in OAuth 2.0).
     */
    public void tokenAnswers(int status, boolean withExpiresIn) {
        this.tokenStatus = status;
        this.tokenExpiresIn = withExpiresIn;
    }

    /** The token endpoint refuses every request with {@code invalid_scope} (the tool's scopes are not enabled). */
    public void refuseTokenScopes(boolean refuse) {
        this.refuseTokenScopes = refuse;
    }

    /** The {@code aud} the token endpoint wants in client assertions (Brightspace); null: its own URL. */
    public void expectTokenAudience(String audience) {
        this.expectedTokenAudience = audience;
    }

    /** Line item ids as Moodle makes them: {@code .../lineitems/7/lineitem?type_id=7}. */
    public void moodleLineItemIds(boolean moodle) {
        this.moodleLineItemIds = moodle;
    }

    /** Sets the roster of a context, as NRPS members ({@code user_id}, {@code roles}, names, {@code status}). */
    public void setMembers(String contextId, List<Map<String, Object>> roster) {
        members.put(contextId, List.copyOf(roster));
    }

    void rememberDeepLinkingData(String data) {
        issuedDeepLinkingData.add(data);
    }

    /** Pages rosters by this many members even when the caller asks for no limit. */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Every access token this platform issued and still honours (for checks that they never reach a log). */
    /** The client assertions (private_key_jwt) the tool side sent to the token endpoint. */
    public List<String> receivedAssertions() {
        return List.copyOf(receivedAssertions);
    }

    public Set<String> issuedTokens() {
        return Set.copyOf(tokens.keySet());
    }

    /** Forgets every access token it issued, as a platform does when tokens are revoked or it restarts. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Delays every NRPS and AGS answer by this long (0: none), as a platform under load does. */
    /** The rosters of this course answer one byte every {@code millisPerByte} (0: as usual). */
    public void trickleRoster(String contextId, long millisPerByte) {
        this.trickleContext = "/nrps/" + contextId + "/";
        this.trickleMillis = millisPerByte;
    }

    private volatile String trickleContext = "";
    private volatile long trickleMillis;

    public void delayServiceCalls(long millis) {
        this.delayMillis = millis;
    }

    public void failNextServiceCall(Fault fault) {
        this.fault = fault;
    }

    public List<JWTClaimsSet> deepLinkResponses() {
        return List.copyOf(deepLinkResponses);
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public List<Map<String, Object>> scores(String lineItemId) {
        return List.copyOf(scores.getOrDefault(lineItemId, List.of()));
    }

    /** Requests to the NRPS and AGS services (whatever their answer), in arrival order, as raw paths. */
    /** A line item made at the platform itself (a teacher's column in the gradebook), as no tool made it; its id. */
    public String addLineItem(String contextId, String label) {
        String collection = platform.baseUrl() + "/ags/" + contextId + "/lineitems";
        int n = lineItemIds.incrementAndGet();
        String id = moodleLineItemIds ? collection + "/" + n + "/lineitem?type_id=" + n : collection + "/" + n;
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("label", label);
        item.put("scoreMaximum", 100);
        lineItems.put(id, item);
        return id;
    }

    public List<String> serviceRequests() {
        return List.copyOf(serviceRequests);
    }

    private final List<String> serviceRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    boolean handle(HttpExchange exchange, String path) throws IOException {
        if (path.startsWith("/nrps/") || path.startsWith("/ags/")) {
            serviceRequests.add(exchange.getRequestURI().getRawPath());
        }
        if (trickleMillis > 0 && path.startsWith("/nrps/") && path.contains(trickleContext)) {
            Exchanges.trickle(exchange, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json", 120, trickleMillis);
            return true;
        }
        if (delayMillis > 0 && (path.startsWith("/nrps/") || path.startsWith("/ags/"))) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault injected = fault;
        if (injected != null && (path.startsWith("/nrps/") || path.startsWith("/ags/"))) {
            fault = null;
            try {
                Thread.sleep(injected.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Exchanges.respond(exchange, injected.status(), "application/json", injected.body());
            return true;
        }
        if (path.equals("/token")) {
            token(exchange);
        } else if (path.equals("/deep-link-return")) {
            deepLinkReturn(exchange);
        } else if (path.startsWith("/nrps/") && path.endsWith("/memberships")) {
            memberships(exchange, path.substring("/nrps/".length(), path.length() - "/memberships".length()));
        } else if (path.startsWith("/ags/")) {
            assignmentsAndGrades(exchange, path.substring("/ags/".length()).split("/"));
        } else {
            return false;
        }
        return true;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = Exchanges.params(exchange);
        if (form.get("client_assertion") != null) {
            receivedAssertions.add(form.get("client_assertion"));
        }
        if (!"client_credentials".equals(form.get("grant_type")) || !JWT_BEARER.equals(form.get("client_assertion_type"))) {
            Exchanges.json(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        try {
            if (SignedJWT.parse(form.get("client_assertion")).getHeader().getKeyID() == null) {
                throw new IllegalArgumentException("the assertion names no kid");
            }
            PlatformEmulator.Registration tool = registrationNamedBy(form.get("client_assertion"));
            JWTClaimsSet assertion = verifyToolJwt(tool, form.get("client_assertion"),
                    Set.of("iss", "sub", "aud", "exp", "iat", "jti"));
            String clientId = tool.clientId();
            String audience = expectedTokenAudience != null ? expectedTokenAudience : platform.tokenUrl();
            if (!clientId.equals(assertion.getIssuer()) || !clientId.equals(assertion.getSubject())
                    || !assertion.getAudience().contains(audience)) {
                throw new IllegalArgumentException("assertion iss/sub/aud do not match the registration");
            }
            if (!usedAssertionIds.add(assertion.getJWTID())) {
                throw new IllegalArgumentException("assertion jti already used");
            }
        } catch (Exception e) {
            Exchanges.json(exchange, 401, JSON.writeValueAsString(Map.of("error", "invalid_client",
                    "error_description", String.valueOf(e.getMessage()))));
            return;
        }
        if (refuseTokenScopes) {
            Exchanges.json(exchange, 400, "{\"error\":\"invalid_scope\",\"error_description\":\"scope not enabled for this tool\"}");
            return;
        }
        Set<String> scopes = Set.of(String.valueOf(form.getOrDefault("scope", "")).split(" "));
        String token = UUID.randomUUID().toString();
        tokens.put(token, scopes);
        Map<String, Object> answer = new LinkedHashMap<>(Map.of("access_token", token, "token_type", "Bearer",
                "scope", String.join(" ", scopes)));
        if (tokenExpiresIn) {
            answer.put("expires_in", 3600);
        }
        Exchanges.json(exchange, tokenStatus, JSON.writeValueAsString(answer));
    }

    private void memberships(HttpExchange exchange, String contextId) throws IOException {
        if (!accepts(exchange, NRPS_CONTAINER) || !authorized(exchange, SCOPE_NRPS)) {
            return;
        }
        List<Map<String, Object>> roster = members.getOrDefault(contextId, List.of());
        Map<String, String> params = Exchanges.params(exchange);
        String role = params.get("role");
        List<Map<String, Object>> filtered = roster.stream()
                .filter(m -> role == null || String.valueOf(m.get("roles")).contains(role)).toList();
        int limit = params.get("limit") == null ? Math.min(pageSize, Math.max(1, filtered.size()))
                : Math.max(1, Integer.parseInt(params.get("limit")));
        int from = params.get("from") == null ? 0 : Integer.parseInt(params.get("from"));
        int to = Math.min(filtered.size(), from + limit);
        if (to < filtered.size()) {
            String next = platform.baseUrl() + "/nrps/" + contextId + "/memberships?limit=" + limit + "&from=" + to
                    + (role == null ? "" : "&role=" + java.net.URLEncoder.encode(role, java.nio.charset.StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", platform.baseUrl() + "/nrps/" + contextId + "/memberships");
        body.put("context", Map.of("id", contextId));
        body.put("members", filtered.subList(Math.min(from, to), to));
        Exchanges.respond(exchange, 200, NRPS_CONTAINER, JSON.writeValueAsString(body));
    }

    /**
     * {@code /ags/{context}/lineitems[/{n}[/scores|/results]]}, or with Moodle's ids
     * {@code /ags/{context}/lineitems/{n}/lineitem[/scores|/results]?type_id={n}}. Each request must carry the media
     * types AGS 2.0 defines (406 or 415 otherwise, as Moodle answers).
     */
    private void assignmentsAndGrades(HttpExchange exchange, String[] parts) throws IOException {
        String method = exchange.getRequestMethod();
        if (parts.length < 2 || !parts[1].equals("lineitems")) {
            Exchanges.respond(exchange, 404, "text/plain", "not found");
            return;
        }
        String contextId = parts[0];
        String collection = platform.baseUrl() + "/ags/" + contextId + "/lineitems";
        if (parts.length == 2) {
            if (method.equals("GET")) {
                if (!accepts(exchange, LINEITEM_CONTAINER) || !authorized(exchange, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)) {
                    return;
                }
                List<Map<String, Object>> items = lineItems.values().stream()
                        .filter(i -> String.valueOf(i.get("id")).startsWith(collection + "/")).toList();
                Exchanges.respond(exchange, 200, LINEITEM_CONTAINER, JSON.writeValueAsString(items));
            } else if (method.equals("POST")) {
                if (!sends(exchange, LINEITEM) || !accepts(exchange, LINEITEM) || !authorized(exchange, SCOPE_LINEITEM)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> item = JSON.readValue(Exchanges.body(exchange), LinkedHashMap.class);
                int n = lineItemIds.incrementAndGet();
                String id = moodleLineItemIds ? collection + "/" + n + "/lineitem?type_id=" + n : collection + "/" + n;
                item.put("id", id);
                lineItems.put(id, item);
                Exchanges.respond(exchange, 201, LINEITEM, JSON.writeValueAsString(item));
            } else {
                Exchanges.respond(exchange, 405, "text/plain", "method not allowed");
            }
            return;
        }
        String n = parts[2];
        int actionAt = moodleLineItemIds ? 4 : 3;
        if (moodleLineItemIds && (parts.length < 4 || !parts[3].equals("lineitem")
                || !n.equals(Exchanges.params(exchange).get("type_id")))) {
            Exchanges.respond(exchange, 404, "text/plain", "no such line item (Moodle wants .../lineitem?type_id=)");
            return;
        }
        String id = moodleLineItemIds ? collection + "/" + n + "/lineitem?type_id=" + n : collection + "/" + n;
        String action = parts.length > actionAt ? parts[actionAt] : null;
        Map<String, Object> item = lineItems.get(id);
        if (item == null || parts.length > actionAt + 1) {
            Exchanges.respond(exchange, 404, "text/plain", "no such line item");
            return;
        }
        if (action == null && method.equals("PUT")) {
            if (!sends(exchange, LINEITEM) || !accepts(exchange, LINEITEM) || !authorized(exchange, SCOPE_LINEITEM)) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> updated = JSON.readValue(Exchanges.body(exchange), LinkedHashMap.class);
            updated.put("id", id);
            lineItems.put(id, updated);
            Exchanges.respond(exchange, 200, LINEITEM, JSON.writeValueAsString(updated));
        } else if (action == null && method.equals("DELETE")) {
            if (!authorized(exchange, SCOPE_LINEITEM)) {
                return;
            }
            lineItems.remove(id);
            Exchanges.respond(exchange, 204, "text/plain", "");
        } else if (action == null) {
            if (!accepts(exchange, LINEITEM) || !authorized(exchange, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)) {
                return;
            }
            Exchanges.respond(exchange, 200, LINEITEM, JSON.writeValueAsString(item));
        } else if (action.equals("scores") && method.equals("POST")) {
            if (!sends(exchange, SCORE) || !authorized(exchange, SCOPE_SCORE)) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> score = JSON.readValue(Exchanges.body(exchange), LinkedHashMap.class);
            scores.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(score);
            Exchanges.respond(exchange, 204, "text/plain", "");
        } else if (action.equals("results") && method.equals("GET")) {
            if (!accepts(exchange, RESULT_CONTAINER) || !authorized(exchange, SCOPE_RESULT)) {
                return;
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (Map<String, Object> score : scores.getOrDefault(id, List.of())) {
                results.add(Map.of("id", id + "/results/" + score.get("userId"), "scoreOf", id,
                        "userId", String.valueOf(score.get("userId")),
                        "resultScore", score.getOrDefault("scoreGiven", 0),
                        "resultMaximum", score.getOrDefault("scoreMaximum", 0)));
            }
            Exchanges.respond(exchange, 200, RESULT_CONTAINER, JSON.writeValueAsString(results));
        } else {
            Exchanges.respond(exchange, 404, "text/plain", "not found");
        }
    }

    /** The request's {@code Accept} names the media type the service defines; else 406. */
    private static boolean accepts(HttpExchange exchange, String mediaType) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains(mediaType)) {
            return true;
        }
        Exchanges.json(exchange, 406, JSON.writeValueAsString(Map.of("error", "not_acceptable",
                "error_description", "Accept must name " + mediaType + ", got " + accept)));
        return false;
    }

    /** The request body's {@code Content-Type} is the media type the service defines; else 415. */
    private static boolean sends(HttpExchange exchange, String mediaType) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith(mediaType)) {
            return true;
        }
        Exchanges.json(exchange, 415, JSON.writeValueAsString(Map.of("error", "unsupported_media_type",
                "error_description", "Content-Type must be " + mediaType + ", got " + type)));
        return false;
    }

    private boolean authorized(HttpExchange exchange, String... acceptedScopes) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Set<String> granted = header != null && header.startsWith("Bearer ") ? tokens.get(header.substring(7)) : null;
        if (granted == null) {
            Exchanges.json(exchange, 401, "{\"error\":\"invalid_token\"}");
            return false;
        }
        for (String scope : acceptedScopes) {
            if (granted.contains(scope)) {
                return true;
            }
        }
        Exchanges.json(exchange, 403, "{\"error\":\"insufficient_scope\"}");
        return false;
    }

    /** Deep Linking 2.0 4.2: the tool's response, verified with the tool's public keys. */
    private void deepLinkReturn(HttpExchange exchange) throws IOException {
        Map<String, String> form = Exchanges.params(exchange);
        try {
            PlatformEmulator.Registration tool = registrationNamedBy(form.get("JWT"));
            JWTClaimsSet response = verifyToolJwt(tool, form.get("JWT"), Set.of("iss", "aud", "iat", "exp", "nonce"));
            // Deep Linking 2.0 4.2: aud is the platform's issuer (a string, as Blackboard insists); Anthology's Learn
            // also requires sub, the tool's client id
            if (!platform.issuer().equals(SignedJWT.parse(form.get("JWT")).getPayload().toJSONObject().get("aud"))
                    || !tool.clientId().equals(response.getSubject())) {
                throw new IllegalArgumentException("aud must be the issuer as a string and sub the client id");
            }
            if (!tool.clientId().equals(response.getIssuer()) || !response.getAudience().contains(platform.issuer())
                    || !"LtiDeepLinkingResponse".equals(response.getStringClaim(LtiMessage.LTI + "message_type"))
                    || !"1.3.0".equals(response.getStringClaim(LtiMessage.LTI + "version"))) {
                throw new IllegalArgumentException("not an LtiDeepLinkingResponse for this registration");
            }
            // Deep Linking 2.0 4.2.1: data must come back exactly as sent
            Object data = response.getClaim("https://purl.imsglobal.org/spec/lti-dl/claim/data");
            if (!(data instanceof String sent) || !issuedDeepLinkingData.contains(sent)) {
                throw new IllegalArgumentException("data is not the value of one of this platform's deep-linking requests");
            }
            if (!sent.equals(exchange.getRequestURI().getRawQuery() == null ? null
                    : Exchanges.multiParams(exchange.getRequestURI().getRawQuery()).getOrDefault("return_for", List.of())
                    .stream().findFirst().orElse(null))) {
                throw new IllegalArgumentException("the response was not posted to the deep_link_return_url with its query");
            }
            if (response.getStringClaim(LtiMessage.LTI + "deployment_id") == null) {
                throw new IllegalArgumentException("deployment_id is missing");
            }
            deepLinkResponses.add(response);
            Object items = response.getClaim("https://purl.imsglobal.org/spec/lti-dl/claim/content_items");
            int count = items instanceof List<?> list ? list.size() : 0;
            StringBuilder titles = new StringBuilder("<ul id=\"items\">");
            if (items instanceof List<?> list) {
                for (Object item : list) {
                    Object title = item instanceof Map<?, ?> map ? map.get("title") : null;
                    titles.append("<li>").append(Exchanges.escape(String.valueOf(title))).append("</li>");
                }
            }
            Exchanges.html(exchange, 200, "<!DOCTYPE html><html><body><h1 id=\"deep-link-result\">Received "
                    + count + " content item(s)</h1>" + titles + "</ul></body></html>");
        } catch (Exception e) {
            Exchanges.html(exchange, 400, "<!DOCTYPE html><html><body><h1 id=\"deep-link-error\">Rejected: "
                    + Exchanges.escape(String.valueOf(e.getMessage())) + "</h1></body></html>");
        }
    }

    /** Each registered tool's keys, cached as platforms cache them (refetched on an unknown kid). */
    private final Map<String, JWKSource<SecurityContext>> toolKeys = new java.util.concurrent.ConcurrentHashMap<>();

    /** The registration whose client id a tool's JWT names as its issuer (checked once its signature is). */
    private PlatformEmulator.Registration registrationNamedBy(String jwt) throws java.text.ParseException {
        if (jwt == null) {
            throw new IllegalArgumentException("no JWT");
        }
        PlatformEmulator.Registration tool = platform.registrationOf(SignedJWT.parse(jwt).getJWTClaimsSet().getIssuer());
        if (tool == null) {
            throw new IllegalArgumentException("the JWT's issuer is no client registered at this platform");
        }
        return tool;
    }

    private JWTClaimsSet verifyToolJwt(PlatformEmulator.Registration tool, String jwt, Set<String> requiredClaims)
            throws Exception {
        JWKSource<SecurityContext> keys = toolKeys.computeIfAbsent(tool.toolJwksUrl(), url -> {
            try {
                return JWKSourceBuilder.create(new URL(url)).retrying(true).build();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        });
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, requiredClaims));
        JWTClaimsSet claims = processor.process(jwt, null);
        Date exp = claims.getExpirationTime();
        if (exp.toInstant().isBefore(Instant.now())) {
            throw new IllegalArgumentException("expired");
        }
        return claims;
    }
}
