package io.github.keycloaklti.testsupport.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.keycloaklti.testsupport.http.QueryBuilder;

/** The platform emulator behaves as a strict LTI 1.3 platform: what it signs verifies, what it refuses is refused. */
class PlatformEmulatorTest {

    private static final String LAUNCH_URI = "https://keycloak.example/realms/r/broker/lms/endpoint";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private PlatformEmulator platform;
    private HttpServer toolKeys;
    private RSAKey toolKey;

    @BeforeEach
    void start() throws Exception {
        toolKey = PlatformEmulator.newKey();
        toolKeys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        toolKeys.createContext("/certs", exchange -> {
            byte[] body = new JWKSet(toolKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        toolKeys.start();
        platform = PlatformEmulator.start("127.0.0.1", 0);
        platform.register(new PlatformEmulator.Registration("tool-client", "dep-1", LAUNCH_URI + "/login", LAUNCH_URI,
                "http://127.0.0.1:" + toolKeys.getAddress().getPort() + "/certs", "https://tool.example/launch"));
    }

    @AfterEach
    void stop() {
        platform.close();
        toolKeys.stop(0);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String contentType, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> authRequest(LtiMessage message) {
        Map<String, String> initiation = platform.loginInitiationParams(message);
        return new java.util.LinkedHashMap<>(Map.of("scope", "openid", "response_type", "id_token",
                "response_mode", "form_post", "prompt", "none", "client_id", "tool-client", "redirect_uri", LAUNCH_URI,
                "login_hint", initiation.get("login_hint"), "lti_message_hint", initiation.get("lti_message_hint"),
                "state", "s-1", "nonce", "n-1"));
    }

    private Document auth(Map<String, String> params) throws Exception {
        QueryBuilder url = QueryBuilder.of(platform.authorizationUrl());
        params.forEach(url::param);
        return Jsoup.parse(get(url.build()).body());
    }

    @Test
    void theJwksPublishesOnlyThePublicSigningKey() throws Exception {
        JWKSet keys = JWKSet.parse(get(platform.jwksUrl()).body());
        assertThat(keys.getKeys()).hasSize(1);
        assertThat(keys.getKeys().get(0).getKeyID()).isEqualTo(platform.signingKey().getKeyID());
        assertThat(keys.getKeys().get(0).isPrivate()).isFalse();
    }

    @Test
    void aValidAuthenticationRequestIsAnsweredWithAnAutoPostedSignedIdToken() throws Exception {
        LtiMessage message = LtiMessage.resourceLink().user("u-1", "Ada", "Lovelace").context("c-9", "Course 9");
        Document page = auth(authRequest(message));

        assertThat(page.selectFirst("form").attr("action")).isEqualTo(LAUNCH_URI);
        assertThat(page.selectFirst("input[name=state]").attr("value")).isEqualTo("s-1");
        SignedJWT idToken = SignedJWT.parse(page.selectFirst("input[name=id_token]").attr("value"));
        assertThat(idToken.verify(new RSASSAVerifier(platform.signingKey().toRSAPublicKey()))).isTrue();
        assertThat(idToken.getHeader().getKeyID()).isEqualTo(platform.signingKey().getKeyID());
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(claims.getAudience()).containsExactly("tool-client");
        assertThat(claims.getSubject()).isEqualTo("u-1");
        assertThat(claims.getStringClaim(LtiMessage.LTI + "deployment_id")).isEqualTo("dep-1");
        assertThat(claims.getStringClaim(LtiMessage.LTI + "target_link_uri")).isEqualTo("https://tool.example/launch");
        assertThat(claims.getJSONObjectClaim(LtiMessage.LTI + "context")).containsEntry("id", "c-9");
    }

    @Test
    void requestsThatStrictPlatformsRefuseGetAnErrorAnswer() throws Exception {
        for (Map.Entry<String, String> wrong : List.of(Map.entry("prompt", "login"), Map.entry("response_mode", "query"),
                Map.entry("response_type", "code"), Map.entry("client_id", "someone-else"),
                Map.entry("lti_message_hint", "unknown"), Map.entry("login_hint", "other-user"))) {
            Map<String, String> params = authRequest(LtiMessage.resourceLink().user("u-1", "Ada", "Lovelace"));
            params.put(wrong.getKey(), wrong.getValue());
            Document page = auth(params);
            assertThat(page.select("input[name=id_token]")).as(wrong.toString()).isEmpty();
            assertThat(page.selectFirst("input[name=error]").attr("value")).isEqualTo("invalid_request");
        }
        Map<String, String> unregistered = authRequest(LtiMessage.resourceLink());
        unregistered.put("redirect_uri", "https://evil.example/steal");
        assertThat(auth(unregistered).select("form")).as("never posts to an unregistered URI").isEmpty();
    }

    private String assertion(RSAKey key, String jti) {
        return PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("tool-client").subject("tool-client").audience(platform.tokenUrl())
                        .jwtID(jti).issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 60_000))
                        .build(), PlatformEmulator.signer(key));
    }

    private HttpResponse<String> tokenRequest(String assertion, String scope) throws Exception {
        return post(platform.tokenUrl(), "application/x-www-form-urlencoded", QueryBuilder.encode(Map.of(
                "grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion, "scope", scope)), null);
    }

    private String accessToken(String scope) throws Exception {
        HttpResponse<String> response = tokenRequest(assertion(toolKey, UUID.randomUUID().toString()), scope);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) json.readValue(response.body(), Map.class).get("access_token");
    }

    @Test
    void theTokenEndpointChecksTheToolsAssertionAgainstItsKeys() throws Exception {
        assertThat(accessToken(PlatformServices.SCOPE_NRPS)).isNotBlank();
        assertThat(tokenRequest(assertion(PlatformEmulator.newKey(), "j-1"), PlatformServices.SCOPE_NRPS).statusCode())
                .as("signed by a key the tool does not publish").isEqualTo(401);
        String once = assertion(toolKey, "j-2");
        assertThat(tokenRequest(once, PlatformServices.SCOPE_NRPS).statusCode()).isEqualTo(200);
        assertThat(tokenRequest(once, PlatformServices.SCOPE_NRPS).statusCode()).as("jti replay").isEqualTo(401);
    }

    @Test
    void membershipsArePagedWithLinkHeaders() throws Exception {
        platform.services().setMembers("c-1", List.of(
                Map.of("user_id", "u1", "roles", List.of(LtiMessage.INSTRUCTOR), "status", "Active"),
                Map.of("user_id", "u2", "roles", List.of(LtiMessage.LEARNER), "status", "Active"),
                Map.of("user_id", "u3", "roles", List.of(LtiMessage.LEARNER), "status", "Active")));
        String token = accessToken(PlatformServices.SCOPE_NRPS);
        String container = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
        HttpRequest first = HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/nrps/c-1/memberships?limit=2"))
                .header("Authorization", "Bearer " + token).header("Accept", container).GET().build();
        HttpResponse<String> page1 = http.send(first, HttpResponse.BodyHandlers.ofString());

        assertThat((List<?>) json.readValue(page1.body(), Map.class).get("members")).hasSize(2);
        String link = page1.headers().firstValue("Link").orElseThrow();
        String next = link.substring(1, link.indexOf('>'));
        HttpResponse<String> page2 = http.send(HttpRequest.newBuilder(URI.create(next))
                .header("Authorization", "Bearer " + token).header("Accept", container).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat((List<?>) json.readValue(page2.body(), Map.class).get("members")).hasSize(1);
        assertThat(page2.headers().firstValue("Link")).isEmpty();

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl()
                + "/nrps/c-1/memberships")).header("Accept", container).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        HttpResponse<String> plainJson = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl()
                        + "/nrps/c-1/memberships")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plainJson.statusCode()).as("NRPS's own media type, as Moodle insists").isEqualTo(406);
    }

    @Test
    void lineItemsScoresAndResults() throws Exception {
        String token = accessToken(String.join(" ", PlatformServices.SCOPE_LINEITEM, PlatformServices.SCOPE_SCORE,
                PlatformServices.SCOPE_RESULT));
        String lineItemType = "application/vnd.ims.lis.v2.lineitem+json";
        assertThat(post(platform.baseUrl() + "/ags/c-1/lineitems", "application/json",
                "{\"label\":\"Quiz 1\",\"scoreMaximum\":10}", token).statusCode())
                .as("a line item's own media type").isEqualTo(415);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/ags/c-1/lineitems"))
                .header("Authorization", "Bearer " + token).header("Content-Type", lineItemType)
                .header("Accept", lineItemType)
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"Quiz 1\",\"scoreMaximum\":10}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String lineItem = (String) json.readValue(created.body(), Map.class).get("id");

        HttpResponse<String> score = post(lineItem + "/scores", "application/vnd.ims.lis.v1.score+json",
                "{\"userId\":\"u2\",\"scoreGiven\":7,\"scoreMaximum\":10,\"activityProgress\":\"Completed\","
                        + "\"gradingProgress\":\"FullyGraded\",\"timestamp\":\"2026-11-22T10:00:00Z\"}", token);
        assertThat(score.statusCode()).isEqualTo(204);
        HttpResponse<String> results = http.send(HttpRequest.newBuilder(URI.create(lineItem + "/results"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.ims.lis.v2.resultcontainer+json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(results.body()).contains("\"userId\":\"u2\"").contains("\"resultScore\":7");

        String readOnly = accessToken(PlatformServices.SCOPE_LINEITEM_READONLY);
        assertThat(post(lineItem + "/scores", "application/vnd.ims.lis.v1.score+json", "{}", readOnly).statusCode())
                .isEqualTo(403);
    }

    private String deepLinkingResponse(String audience) {
        return deepLinkingResponse(audience, "dl-data-1");
    }

    private String deepLinkingResponse(String audience, String data) {
        platform.services().rememberDeepLinkingData("dl-data-1");
        return PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(toolKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(platform.clientId()).subject(platform.clientId()).audience(audience)
                        .issueTime(new Date())
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000)).claim("nonce", "x")
                        .claim(LtiMessage.LTI + "message_type", "LtiDeepLinkingResponse")
                        .claim(LtiMessage.LTI + "version", "1.3.0")
                        .claim(LtiMessage.LTI + "deployment_id", "dep-1")
                        .claim("https://purl.imsglobal.org/spec/lti-dl/claim/data", data)
                        .claim("https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
                                List.of(Map.of("type", "link", "url", "https://tool.example/item")))
                        .build(), PlatformEmulator.signer(toolKey));
    }

    @Test
    void theDeepLinkReturnEndpointVerifiesWhatItReceives() throws Exception {
        String url = platform.baseUrl() + "/deep-link-return?return_for=dl-data-1";
        HttpResponse<String> accepted = post(url, "application/x-www-form-urlencoded",
                QueryBuilder.encode(Map.of("JWT", deepLinkingResponse(platform.issuer()))), null);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("Received 1 content item(s)");
        assertThat(platform.services().deepLinkResponses()).hasSize(1);

        HttpResponse<String> wrongAudience = post(url, "application/x-www-form-urlencoded",
                QueryBuilder.encode(Map.of("JWT", deepLinkingResponse("https://other.example"))), null);
        assertThat(wrongAudience.statusCode()).isEqualTo(400);
        HttpResponse<String> otherData = post(url, "application/x-www-form-urlencoded",
                QueryBuilder.encode(Map.of("JWT", deepLinkingResponse(platform.issuer(), "not-what-was-sent"))), null);
        assertThat(otherData.statusCode()).isEqualTo(400);
        assertThat(otherData.body()).contains("data is not the value");
        assertThat(platform.services().deepLinkResponses()).hasSize(1);
    }
}
