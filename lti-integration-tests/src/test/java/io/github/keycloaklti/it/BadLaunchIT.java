package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;

/**
 * Every rule of the Security Framework and LTI Core that a launch can break: each refused with a 4xx and a page
 * naming the rule, no user, no session, and the tool never reached.
 */
class BadLaunchIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";


    private int toolHitsBefore;
    private int sessionsBefore;
    private int usersBefore;

    private static final List<String> POSTED_TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void noPostedTokenInTheLog() {
        String log = lti.server().log();
        assertThat(POSTED_TOKENS).isNotEmpty();
        for (String token : POSTED_TOKENS) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            String payload = token.split("\\.").length > 1 ? token.split("\\.")[1] : token;
            assertThat(log).as("Keycloak's log holds no posted id_token").doesNotContain(payload);
            if (signature.length() > 16) {
                assertThat(log).doesNotContain(signature);
            }
        }
    }

    @BeforeEach
    void countWhatMustNotChange() {
        toolHitsBefore = lti.tool().launchHits();
        sessionsBefore = lti.sessionCount();
        usersBefore = lti.userCount();
    }

    /** A login this browser started: Keycloak's state and nonce, as the platform received them. */
    record StartedLogin(BrowserlessUserAgent browser, LtiMessage message, String state, String nonce) {
    }

    static StartedLogin startLogin(LtiMessage message) {
        return startLogin(lti, message);
    }

    static StartedLogin startLogin(LtiRealm lti, LtiMessage message) {
        BrowserlessUserAgent browser = lti.userAgent();
        HttpResponse<String> response = browser.get(lti.platform().loginInitiationUrl(message));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(lti.platform().authorizationUrl());
        Map<String, List<String>> params = Exchanges.multiParams(location.getRawQuery());
        return new StartedLogin(browser, message, params.get("state").get(0), params.get("nonce").get(0));
    }

    static LtiMessage message() {
        return LtiMessage.resourceLink().user("bad-" + UUID.randomUUID(), "Eve", "Mallory");
    }

    static Arguments bad(String expectedCode, Consumer<JWTClaimsSet.Builder> tweak) {
        return Arguments.of(expectedCode, tweak);
    }

    static Stream<Arguments> claimsThatBreakARule() {
        return Stream.of(
                bad("lti_expired", c -> c.expirationTime(new Date(System.currentTimeMillis() - 600_000))),
                bad("lti_exp_missing", c -> c.expirationTime(null)),
                bad("lti_iat_in_future", c -> c.issueTime(new Date(System.currentTimeMillis() + 600_000))),
                bad("lti_iat_missing", c -> c.issueTime(null)),
                bad("lti_iss_missing", c -> c.issuer(null)),
                bad("lti_iss_mismatch", c -> c.issuer("https://evil.example")),
                bad("lti_aud_missing", c -> c.audience((List<String>) null)),
                bad("lti_aud_mismatch", c -> c.audience("someone-else")),
                bad("lti_azp_missing", c -> c.audience(List.of(LtiRealm.PLATFORM_CLIENT_ID, "another-tool"))),
                bad("lti_azp_mismatch", c -> c.claim("azp", "another-tool")),
                bad("lti_nonce_mismatch", c -> c.claim("nonce", "not-the-nonce-keycloak-sent")),
                bad("lti_nonce_missing", c -> c.claim("nonce", null)),
                bad("lti_sub_missing", c -> c.subject(null)),
                bad("lti_sub_missing", c -> c.subject("")),
                bad("lti_no_lti_claims", c -> c.subject(null).claim(LTI + "version", null)
                        .claim(LTI + "message_type", null)),
                bad("lti_version_missing", BadLaunchIT::withoutAnyLtiClaim),
                bad("lti_version_missing", c -> c.claim(LTI + "version", null)),
                bad("lti_version_unsupported", c -> c.claim(LTI + "version", "1.1.0")),
                bad("lti_message_type_missing", c -> c.claim(LTI + "message_type", null)),
                bad("lti_message_type_unsupported", c -> c.claim(LTI + "message_type", "LtiStartProctoring")),
                bad("lti_deployment_missing", c -> c.claim(LTI + "deployment_id", null)),
                bad("lti_deployment_unknown", c -> c.claim(LTI + "deployment_id", "d-17")),
                bad("lti_target_link_uri_missing", c -> c.claim(LTI + "target_link_uri", null)),
                bad("lti_target_link_uri_mismatch", c -> c.claim(LTI + "target_link_uri", lti.tool().baseUrl() + "/other")),
                bad("lti_resource_link_missing", c -> c.claim(LTI + "resource_link", null)),
                bad("lti_resource_link_missing", c -> c.claim(LTI + "resource_link", Map.of("title", "no id"))),
                bad("lti_roles_missing", c -> c.claim(LTI + "roles", null)),
                bad("lti_claim_malformed", c -> c.claim(LTI + "roles", "Instructor")),
                bad("lti_deep_linking_settings_missing", c -> c
                        .claim(LTI + "message_type", "LtiDeepLinkingRequest")
                        .claim("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", null)));
    }

    /** A correctly signed id_token that carries no claim of any LTI specification at all (only OIDC's). */
    private static void withoutAnyLtiClaim(JWTClaimsSet.Builder claims) {
        claims.build().getClaims().keySet().stream().filter(name -> name.startsWith("https://purl.imsglobal.org/"))
                .forEach(name -> claims.claim(name, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("claimsThatBreakARule")
    void aLaunchThatBreaksARuleIsRefused(String expectedCode, Consumer<JWTClaimsSet.Builder> tweak) {
        StartedLogin login = startLogin(message().tweak(tweak));
        String idToken = lti.platform().idToken(login.message(), login.nonce());

        assertRefused(login, post(login, idToken), 400, expectedCode);
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderThePlatformsKidIsRefused() {
        StartedLogin login = startLogin(message());
        RSAKey forger = PlatformEmulator.newKey();
        String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(lti.platform().signingKey().getKeyID()).build(), claims(login), PlatformEmulator.signer(forger));

        assertRefused(login, post(login, idToken), 400, "lti_signature_invalid");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        StartedLogin login = startLogin(message());

        assertRefused(login, post(login, new PlainJWT(claims(login)).serialize()), 400, "lti_alg_none");
    }

    @Test
    void anHmacTokenKeyedWithThePlatformsPublicKeyIsRefused() throws JOSEException {
        StartedLogin login = startLogin(message());
        byte[] publicKey = lti.platform().signingKey().toRSAPublicKey().getEncoded();
        String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(lti.platform().signingKey().getKeyID()).build(), claims(login), new MACSigner(publicKey));

        assertRefused(login, post(login, idToken), 400, "lti_alg_not_allowed");
    }

    @Test
    void aTokenSignedWithAnAlgorithmTheRegistrationDoesNotAllowIsRefused() {
        StartedLogin login = startLogin(message());
        RSAKey key = lti.platform().signingKey();
        String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(),
                claims(login), PlatformEmulator.signer(key));

        assertRefused(login, post(login, idToken), 400, "lti_alg_not_allowed");
    }

    @Test
    void aTokenWithAnUnknownKidIsRefused() {
        StartedLogin login = startLogin(message());
        RSAKey unpublished = PlatformEmulator.newKey();
        String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(unpublished.getKeyID()).build(), claims(login), PlatformEmulator.signer(unpublished));

        assertRefused(login, post(login, idToken), 400, "lti_key_unknown");
    }

    @Test
    void aTokenWithoutKidIsRefused() {
        StartedLogin login = startLogin(message());
        String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims(login),
                PlatformEmulator.signer(lti.platform().signingKey()));

        assertRefused(login, post(login, idToken), 400, "lti_kid_missing");
    }

    @Test
    void aMalformedTokenIsRefused() {
        StartedLogin login = startLogin(message());

        assertRefused(login, post(login, "not.a-jwt"), 400, "lti_malformed_jwt");
    }

    @Test
    void aPostWithoutIdTokenIsRefused() {
        StartedLogin login = startLogin(message());

        assertRefused(login, login.browser().postOnce(lti.launchUri(), Map.of("state", login.state())), 400,
                "lti_id_token_missing");
    }

    @Test
    void aPostWithoutStateIsRefused() {
        StartedLogin login = startLogin(message());
        String idToken = lti.platform().idToken(login.message(), login.nonce());

        assertRefused(login, login.browser().postOnce(lti.launchUri(), Map.of("id_token", idToken)), 400,
                "lti_state_missing");
    }

    @Test
    void aStateNotIssuedByKeycloakIsRefused() {
        StartedLogin login = startLogin(message());
        String idToken = lti.platform().idToken(login.message(), login.nonce());

        assertRefused(login, login.browser().postOnce(lti.launchUri(),
                Map.of("id_token", idToken, "state", "forged.state.value")), 400, "lti_state_unknown");
    }

    @Test
    void aLaunchPostedFromAnotherBrowserIsRefused() {
        StartedLogin login = startLogin(message());
        String idToken = lti.platform().idToken(login.message(), login.nonce());
        BrowserlessUserAgent otherBrowser = lti.userAgent();

        assertRefused(login, otherBrowser.postOnce(lti.launchUri(),
                Map.of("id_token", idToken, "state", login.state())), 400, "lti_state_unknown");
    }

    @Test
    void aTokenMadeForAnotherLoginOfTheSameBrowserIsRefused() {
        StartedLogin first = startLogin(message());
        HttpResponse<String> second = first.browser().get(lti.platform().loginInitiationUrl(message()));
        Map<String, List<String>> secondParams = Exchanges.multiParams(
                URI.create(second.headers().firstValue("Location").orElseThrow()).getRawQuery());
        // the platform answers the first login with the second login's state
        String idToken = lti.platform().idToken(first.message(), first.nonce());

        assertRefused(first, first.browser().postOnce(lti.launchUri(),
                Map.of("id_token", idToken, "state", secondParams.get("state").get(0))), 400, "lti_nonce_mismatch");
    }

    /** OIDC Core 2: {@code aud} may be an array of one, and then needs no {@code azp} (LTI certification). */
    @Test
    void anAudienceArrayOfOneWithoutAzpIsAccepted() {
        StartedLogin login = startLogin(message());
        String idToken = lti.platform().idTokenWithAudienceArray(login.message(), login.nonce());

        var accepted = login.browser().follow(post(login, idToken));

        assertThat(accepted.uri().toString()).as(accepted.text()).startsWith(lti.tool().callbackUrl());
    }

    @Test
    void aReplayedLaunchIsRefused() {
        StartedLogin login = startLogin(message());
        String idToken = lti.platform().idToken(login.message(), login.nonce());
        Map<String, String> form = Map.of("id_token", idToken, "state", login.state());
        var accepted = login.browser().follow(login.browser().postOnce(lti.launchUri(), form));
        assertThat(accepted.uri().toString()).startsWith(lti.tool().callbackUrl());
        int sessions = lti.sessionCount();
        int hits = lti.tool().launchHits();

        HttpResponse<String> replay = login.browser().postOnce(lti.launchUri(), form);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("lti_state_unknown");
        assertThat(replay.headers().firstValue("Location")).isEmpty();
        assertThat(lti.sessionCount()).isEqualTo(sessions);
        assertThat(lti.tool().launchHits()).isEqualTo(hits);
    }

    @Test
    void thePlatformsErrorAnswerIsShownClearly() {
        StartedLogin login = startLogin(message());

        assertRefused(login, login.browser().postOnce(lti.launchUri(), Map.of("error", "login_required",
                "error_description", "The user is not logged in", "state", login.state())), 400, "lti_platform_error");
    }

    @Test
    void aGetOnTheLaunchUriIsRefusedWithAPage() {
        HttpResponse<String> response = lti.userAgent().get(lti.launchUri());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("lti_id_token_missing");
    }

    static Stream<Arguments> loginInitiationsThatBreakARule() {
        String tool = "TOOL";
        return Stream.of(
                Arguments.of("lti_login_iss_missing", Map.of("iss", "")),
                Arguments.of("lti_login_iss_unknown", Map.of("iss", "https://evil.example")),
                Arguments.of("lti_login_hint_missing", Map.of("login_hint", "")),
                Arguments.of("lti_login_target_link_uri_missing", Map.of("target_link_uri", "")),
                Arguments.of("lti_login_client_id_mismatch", Map.of("client_id", "another-client")),
                Arguments.of("lti_login_deployment_unknown", Map.of("lti_deployment_id", "d-17")),
                Arguments.of("lti_tool_not_found", Map.of("target_link_uri", "https://evil.example/launch")),
                Arguments.of("lti_tool_not_found", Map.of("target_link_uri", "javascript:alert(1)")),
                Arguments.of("lti_tool_not_found", Map.of("target_link_uri", "//evil.example/launch")),
                Arguments.of("lti_tool_not_found", Map.of("target_link_uri", tool.replace("TOOL", "http://127.0.0.2.evil.example/launch"))),
                // what an anonymous initiation may park in Keycloak: a few KB (a tool's "/*" admits any length)
                Arguments.of("lti_login_parameter_too_long", Map.of("target_link_uri", "{tool}?pad=" + "x".repeat(120_000))),
                Arguments.of("lti_login_parameter_too_long", Map.of("login_hint", "h".repeat(1025))),
                Arguments.of("lti_login_parameter_too_long", Map.of("lti_message_hint", "m".repeat(4097))),
                Arguments.of("lti_login_parameter_too_long", Map.of("lti_deployment_id", "d".repeat(256))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loginInitiationsThatBreakARule")
    void aLoginInitiationThatBreaksARuleIsRefusedWithoutRedirect(String expectedCode, Map<String, String> changes) {
        Map<String, String> params = new LinkedHashMap<>(lti.platform().loginInitiationParams(message()));
        changes.forEach((key, value) -> {
            if (value.isEmpty()) {
                params.remove(key);
            } else {
                params.put(key, value.replace("{tool}", lti.tool().launchUrl()));
            }
        });
        HttpResponse<String> response = lti.userAgent().postOnce(lti.launchUri() + "/login", params);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains(expectedCode);
        assertNothingCreated();
    }

    @Test
    void canvasStyleDeploymentIdAtLoginInitiationIsChecked() {
        Map<String, String> params = new LinkedHashMap<>(lti.platform().loginInitiationParams(message()));
        params.remove("lti_deployment_id");
        params.put("deployment_id", "d-17");
        HttpResponse<String> response = lti.userAgent().get(lti.launchUri() + "/login?"
                + io.github.keycloaklti.testsupport.http.QueryBuilder.encode(params));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("lti_login_deployment_unknown").contains("d-17");
    }

    private static JWTClaimsSet claims(StartedLogin login) {
        return claims(lti, login);
    }

    /** The claims the platform would sign for this login: a starting point for a forged or broken token. */
    static JWTClaimsSet claims(LtiRealm lti, StartedLogin login) {
        try {
            return com.nimbusds.jwt.JWTParser.parse(lti.platform().idToken(login.message(), login.nonce()))
                    .getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(StartedLogin login, String idToken) {
        POSTED_TOKENS.add(idToken);
        return login.browser().postOnce(lti.launchUri(), Map.of("id_token", idToken, "state", login.state()));
    }

    private void assertRefused(StartedLogin login, HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(code);
        assertThat(response.headers().firstValue("Location")).as("no redirect anywhere").isEmpty();
        assertThat(lti.userLinkedTo(login.message().subject())).as("no user for the refused launch").isNull();
        assertNothingCreated();
    }

    private void assertNothingCreated() {
        assertThat(lti.userCount()).as("users").isEqualTo(usersBefore);
        assertThat(lti.sessionCount()).as("sessions").isEqualTo(sessionsBefore);
        assertThat(lti.tool().launchHits()).as("the tool was not reached").isEqualTo(toolHitsBefore);
    }
}
