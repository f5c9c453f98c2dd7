package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.OidcTool;

/**
 * The second hop without cookies: after a launch, the tool receives a one-time launch hint; a tool that passes it
 * as login_hint logs the learner in from a browser that has no Keycloak cookie at all.
 */
class LaunchHintIT extends LtiRealmTest {



    @AfterEach
    void toolIgnoresHintsAgain() {
        lti.tool().forwardLaunchHints(false);
    }

    /** Runs hop 1 in a browser and returns the tool entry URL Keycloak sent it to (hint unused: the tool ignores it). */
    private static URI entryAfterLaunch(String subject) {
        BrowserlessUserAgent browser = lti.userAgent();
        Page page = browser.navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Hint", "User").context("hint-course", "Hints")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        return browser.history().stream().filter(uri -> uri.toString().startsWith(lti.tool().launchUrl()))
                .reduce((first, second) -> second).orElseThrow();
    }

    /** The tool's own authorization request, as its login would start it (code flow, its callback). */
    private static String toolAuthorizationRequest() {
        return lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/auth?client_id=" + LtiRealm.TOOL_CLIENT_ID
                + "&redirect_uri=" + java.net.URLEncoder.encode(lti.tool().callbackUrl(), java.nio.charset.StandardCharsets.UTF_8)
                + "&response_type=code&state=s1";
    }

    private static String hintOf(URI entry) {
        return Exchanges.multiParams(entry.getRawQuery()).get("login_hint").get(0);
    }

    @Test
    void keycloakHandsTheToolAOneTimeLaunchHint() {
        URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
        Map<String, List<String>> params = Exchanges.multiParams(entry.getRawQuery());
        assertThat(params.get("login_hint").get(0)).startsWith("lti-launch.");
        assertThat(params.get("iss")).containsExactly(lti.server().realmUrl(lti.name()));
    }

    @Test
    void aToolThatPassesTheHintLogsTheLearnerInWithoutAnyKeycloakCookie() {
        String subject = "h-" + UUID.randomUUID();
        URI entry = entryAfterLaunch(subject);
        lti.tool().forwardLaunchHints(true);
        BrowserlessUserAgent cookieless = lti.userAgent();

        Page page = cookieless.navigate(entry.toString());

        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + subject).toLowerCase());
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim("lti_platform"))).containsEntry("sub", subject);
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context")))
                .containsEntry("id", "hint-course");
        assertThat(cookieless.cookies().getCookieStore().getCookies())
                .noneMatch(c -> c.getName().equals("KEYCLOAK_IDENTITY") && !c.getValue().isEmpty() && c.getMaxAge() == 0);
    }

    @Test
    void aHintWorksOnce() {
        URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
        lti.tool().forwardLaunchHints(true);
        assertThat(lti.userAgent().navigate(entry.toString()).uri().toString()).startsWith(lti.tool().callbackUrl());
        int logins = lti.tool().logins().size();

        Page replay = lti.userAgent().navigate(entry.toString());

        assertThat(replay.document().selectFirst("form#kc-form-login")).as("asked to log in, not logged in").isNotNull();
        assertThat(lti.tool().logins()).hasSize(logins);
    }

    @Test
    void aHintPresentedByAnotherClientIsRefusedAndSpent() {
        URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
        try (OidcTool other = OidcTool.start("127.0.0.3", 0, lti.server().realmUrl(lti.name()), "hint-other", "other-secret")) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId("hint-other");
            client.setSecret("other-secret");
            client.setPublicClient(false);
            client.setRedirectUris(List.of(other.baseUrl() + "/*"));
            // another LTI tool of the realm: the realm setup bound it to the "lti browser" flow too
            String ltiBrowser = lti.realm().flows().getFlows().stream()
                    .filter(f -> f.getAlias().equals("lti browser")).findFirst().orElseThrow().getId();
            client.setAuthenticationFlowBindingOverrides(Map.of("browser", ltiBrowser));
            lti.realm().clients().create(client).close();
            other.forwardLaunchHints(true);

            Page stolen = lti.userAgent().navigate(other.launchUrl() + "?login_hint=" + hintOf(entry));
            assertThat(stolen.document().selectFirst("form#kc-form-login")).isNotNull();
            assertThat(other.logins()).isEmpty();
        }
        lti.tool().forwardLaunchHints(true);
        int logins = lti.tool().logins().size();
        Page afterwards = lti.userAgent().navigate(entry.toString());
        assertThat(afterwards.document().selectFirst("form#kc-form-login")).as("the hint was spent").isNotNull();
        assertThat(lti.tool().logins()).hasSize(logins);
    }

    @Test
    void aHintExpires() throws Exception {
        lti.updatePlatform(Map.of("launchHintLifetime", "1"));
        try {
            URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
            Thread.sleep(2500);
            lti.tool().forwardLaunchHints(true);
            int logins = lti.tool().logins().size();

            Page late = lti.userAgent().navigate(entry.toString());

            assertThat(late.document().selectFirst("form#kc-form-login")).isNotNull();
            assertThat(lti.tool().logins()).hasSize(logins);
        } finally {
            lti.updatePlatform(Map.of("launchHintLifetime", "120"));
        }
    }

    @Test
    void aForgedHintIsIgnored() {
        lti.tool().forwardLaunchHints(true);
        Page page = lti.userAgent().navigate(lti.tool().launchUrl() + "?login_hint=lti-launch.forged" + UUID.randomUUID());
        assertThat(page.document().selectFirst("form#kc-form-login")).isNotNull();
    }

    /** The account console's authorization request (public client, PKCE), as the account console itself makes it. */
    private static String accountConsoleLogin() {
        String realm = lti.server().realmUrl(lti.name());
        return realm + "/protocol/openid-connect/auth?client_id=account-console&response_type=code&scope=openid"
                + "&redirect_uri=" + java.net.URLEncoder.encode(realm + "/account/", java.nio.charset.StandardCharsets.UTF_8)
                + "&state=s" + UUID.randomUUID().toString().substring(0, 8)
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    }

    private static boolean holdsSsoCookie(BrowserlessUserAgent browser) {
        return browser.cookies().getCookieStore().getCookies().stream()
                .anyMatch(c -> c.getName().equals("KEYCLOAK_IDENTITY") && !c.getValue().isEmpty());
    }

    @Test
    void aHintLogsOnlyTheToolInNeverTheBrowserRealmWide() {
        String subject = "h-" + UUID.randomUUID();
        URI entry = entryAfterLaunch(subject);
        lti.tool().forwardLaunchHints(true);
        BrowserlessUserAgent elsewhere = lti.userAgent(); // another browser holding the learner's unused hint

        Page tool = elsewhere.navigate(entry.toString());
        assertThat(tool.uri().toString()).as(tool.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + subject).toLowerCase());

        assertThat(holdsSsoCookie(elsewhere)).as("no SSO cookie from a hint login").isFalse();
        assertThat(elsewhere.cookies().getCookieStore().getCookies())
                .as("nor a login cookie naming the tool's session").noneMatch(c -> c.getName().equals("AUTH_SESSION_ID"));
        Page account = elsewhere.navigate(accountConsoleLogin());
        assertThat(account.document().selectFirst("form#kc-form-login"))
                .as("the account console asks who is there: %s", account.uri()).isNotNull();
        assertThat(account.uri().toString()).doesNotContain("code=");
    }

    @Test
    void aLinkWithSomeoneElsesHintLeavesTheBrowsersOwnLearnerLoggedIn() {
        String victim = "victim-" + UUID.randomUUID();
        BrowserlessUserAgent victimsBrowser = lti.userAgent();
        Page own = victimsBrowser.navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(victim, "Vic", "Tim").email(victim + "@school.example")
                        .context("hint-course", "Hints")));
        assertThat(own.uri().toString()).as(own.text()).startsWith(lti.tool().callbackUrl());
        URI attackersEntry = entryAfterLaunch("attacker-" + UUID.randomUUID());
        lti.tool().forwardLaunchHints(true);

        Page landed = victimsBrowser.navigate(attackersEntry.toString());

        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).as("the browser's own learner, not the hint's")
                .isEqualTo(("platform." + victim).toLowerCase());
        // the account console is another login of the realm: the victim's profile (names and email) is complete
        Page account = victimsBrowser.navigate(accountConsoleLogin());
        assertThat(account.uri().toString()).as("the victim's own session is intact").contains("code=");
    }

    @Test
    void aHintIsOnlyGoodForARedirectUriOnTheLaunchsOrigin() {
        URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        List<String> redirects = new java.util.ArrayList<>(tool.getRedirectUris());
        tool.setRedirectUris(new java.util.ArrayList<>(List.of(redirects.get(0), "https://127.0.0.9:9/*")));
        lti.realm().clients().get(tool.getId()).update(tool);
        try {
            BrowserlessUserAgent browser = lti.userAgent();
            java.net.http.HttpResponse<String> answer = browser.get(lti.server().realmUrl(lti.name())
                    + "/protocol/openid-connect/auth?client_id=" + LtiRealm.TOOL_CLIENT_ID
                    + "&redirect_uri=https%3A%2F%2F127.0.0.9%3A9%2Fcallback&response_type=code&scope=openid"
                    + "&login_hint=" + hintOf(entry));
            assertThat(answer.statusCode()).as("no code sent to the other origin").isEqualTo(200);
            assertThat(answer.body()).contains("kc-form-login");
        } finally {
            tool.setRedirectUris(redirects);
            lti.realm().clients().get(tool.getId()).update(tool);
        }
    }

    @Test
    void anInitiateLoginUriThatIsNoRedirectUriOfTheToolIsRefusedAtLoginInitiation() {
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        Map<String, String> attributes = new java.util.HashMap<>(tool.getAttributes());
        tool.getAttributes().put("lti.initiate.login.uri", "https://attacker.example/collect");
        lti.realm().clients().get(tool.getId()).update(tool);
        try {
            int hits = lti.tool().launchHits();
            int authRequests = lti.platform().authRequests().size();
            java.net.http.HttpResponse<String> refused = lti.userAgent().get(lti.platform().loginInitiationUrl(
                    LtiMessage.resourceLink().user("h-" + UUID.randomUUID(), "A", "B")));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("lti_tool_login_uri_not_allowed");
            assertThat(lti.platform().authRequests()).as("the platform was never asked").hasSize(authRequests);
            assertThat(lti.tool().launchHits()).isEqualTo(hits);
        } finally {
            tool.setAttributes(attributes);
            tool.getAttributes().put("lti.initiate.login.uri", "");
            lti.realm().clients().get(tool.getId()).update(tool);
        }
    }

    /**
     * A hint whose login would go on to Keycloak's forms (a requested kc_action such as setting a password, required
     * actions, consent), or ask for an offline token, is refused: those would finish with a realm-wide session or
     * outlive the launch for whoever holds the hint.
     */
    @Test
    void aHintNeverLeadsToKeycloaksFormsNorToAnOfflineToken() {
        String base = toolAuthorizationRequest();
        for (String extra : List.of("&scope=openid&kc_action=UPDATE_PASSWORD", "&scope=openid+offline_access")) {
            URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
            BrowserlessUserAgent holder = lti.userAgent();
            java.net.http.HttpResponse<String> answer = holder.get(base + extra + "&login_hint=" + hintOf(entry));
            assertThat(answer.statusCode()).as(extra).isEqualTo(200);
            assertThat(answer.body()).as(extra).contains("kc-form-login").doesNotContain("password-new");
            assertThat(holdsSsoCookie(holder)).isFalse();
        }
    }

    /**
     * Inside the platform's frame, where Keycloak's login page may not be shown: a tool's login that knows nobody
     * gets a frameable page that first asks the platform's storage for this tool's hint; a login whose hint is
     * refused (here: spent) gets the new window only, for the same request without the spent hint, and never asks
     * the storage again (no loop).
     */
    @Test
    void inAFrameALoginThatKnowsNobodyGetsAFrameablePageAndASpentHintNeverAsksTheStorageAgain() {
        String base = toolAuthorizationRequest() + "&scope=openid";
        Map<String, String> inAFrame = Map.of("Sec-Fetch-Dest", "iframe");
        BrowserlessUserAgent frame = lti.userAgent();

        java.net.http.HttpResponse<String> nobody = frame.get(base, inAFrame);
        assertThat(nobody.statusCode()).isEqualTo(200);
        Document asking = Jsoup.parse(nobody.body());
        assertThat(asking.getElementById("lti-storage-key").text()).startsWith("kc_lti_hint_");
        assertThat(asking.getElementById("lti-open-new-window").attr("href")).isEqualTo(base);
        assertThat(nobody.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors");
        assertThat(nobody.body()).doesNotContain("kc-form-login");
        assertThat(asking.getElementById("lti-platform-origins").text()).as("asked of the platform's origin only")
                .isEqualTo(lti.platform().baseUrl());
        for (String noStorage : List.of("&kc_lti_hint_tried=1", "&request_uri=urn%3Aexample%3Aobject")) {
            // once tried, or where a request object may override the query's login_hint: never the storage again
            Document once = Jsoup.parse(frame.get(base + noStorage, inAFrame).body());
            assertThat(once.getElementById("lti-storage-key")).as(noStorage).isNull();
        }
        assertThat(Jsoup.parse(frame.get(base + "&kc_lti_hint_tried=1", inAFrame).body())
                .getElementById("lti-open-new-window").attr("href")).isEqualTo(base);
        java.net.http.HttpResponse<String> silent = frame.get(base + "&prompt=none", inAFrame);
        assertThat(silent.statusCode()).as("prompt=none: the tool's error, as always").isEqualTo(302);
        assertThat(silent.headers().firstValue("Location").orElseThrow()).startsWith(lti.tool().callbackUrl())
                .contains("error=login_required");

        URI entry = entryAfterLaunch("h-" + UUID.randomUUID());
        String hint = hintOf(entry);
        lti.tool().forwardLaunchHints(true);
        assertThat(lti.userAgent().navigate(entry.toString()).uri().toString()).startsWith(lti.tool().callbackUrl());
        java.net.http.HttpResponse<String> spent = frame.get(base + "&login_hint=" + hint, inAFrame);
        assertThat(spent.statusCode()).isEqualTo(200);
        Document offering = Jsoup.parse(spent.body());
        assertThat(offering.getElementById("lti-storage-key")).as("no second try through the storage").isNull();
        assertThat(offering.getElementById("lti-open-new-window").attr("href")).isEqualTo(base);
        assertThat(holdsSsoCookie(frame)).isFalse();

        java.net.http.HttpResponse<String> topLevel = frame.get(base + "&login_hint=" + hint);
        assertThat(topLevel.body()).as("at the top level, Keycloak's login page as always").contains("kc-form-login");
    }
}
