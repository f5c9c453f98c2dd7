package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * LTI Platform Storage at the HTTP level (the browser side is in {@code BrowserLaunchIT}): what the pages carry,
 * and that the secret kept in the platform's storage is the only way to finish a cookie-less login, once.
 */
class PlatformStorageIT extends LtiRealmTest {

    /** A login initiation from inside the platform's iframe, offering Platform Storage. */
    record StorageLogin(BrowserlessUserAgent browser, LtiMessage message, Document page, String state, String nonce,
                        String proof) {
    }

    private static StorageLogin startInFrame(String subject) {
        return startInFrame(lti, subject);
    }

    static StorageLogin startInFrame(LtiRealm lti, String subject) {
        LtiMessage message = LtiMessage.resourceLink().user(subject, "Sto", "Rage").storageTarget("_parent");
        BrowserlessUserAgent browser = lti.userAgent();
        HttpResponse<String> answer = browser.get(lti.platform().loginInitiationUrl(message),
                Map.of("Sec-Fetch-Dest", "iframe"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Document page = Jsoup.parse(answer.body());
        URI continueUrl = URI.create(page.getElementById("lti-continue-url").text());
        Map<String, List<String>> request = Exchanges.multiParams(continueUrl.getRawQuery());
        return new StorageLogin(browser, message, page, request.get("state").get(0), request.get("nonce").get(0),
                page.getElementById("lti-storage-value").text());
    }

    /** The secret posted back as the extension's own read page does it: a same-origin form POST. */
    private static HttpResponse<String> postFromReadPage(BrowserlessUserAgent browser, Map<String, String> form) {
        return postFromReadPage(lti, browser, form);
    }

    static HttpResponse<String> postFromReadPage(LtiRealm lti, BrowserlessUserAgent browser, Map<String, String> form) {
        URI launch = URI.create(lti.launchUri());
        return browser.postOnce(lti.launchUri(), form, BrowserlessUserAgent.formPostedFrom(launch, launch));
    }

    private static Map<String, String> launch(StorageLogin login, String proof) {
        return launch(lti, login, proof);
    }

    static Map<String, String> launch(LtiRealm lti, StorageLogin login, String proof) {
        String idToken = lti.platform().idToken(login.message(), login.nonce());
        return proof == null ? Map.of("id_token", idToken, "state", login.state())
                : Map.of("id_token", idToken, "state", login.state(), "lti_storage_proof", proof);
    }

    @Test
    void loginInitiationStoresAOneTimeSecretAtThePlatformsOriginOnly() {
        StorageLogin login = startInFrame("storage-" + UUID.randomUUID());

        assertThat(login.page().getElementById("lti-storage-mode").text()).isEqualTo("put");
        assertThat(login.page().getElementById("lti-storage-target").text()).isEqualTo("_parent");
        assertThat(login.page().getElementById("lti-platform-origin").text()).isEqualTo(lti.platform().baseUrl());
        assertThat(login.page().getElementById("lti-storage-key").text()).startsWith("kc_lti_");
        assertThat(login.proof()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(login.state()).contains("~");
        assertThat(login.page().getElementById("lti-fallback-url").text()).doesNotContain("lti_storage_target");
    }

    @Test
    void withoutTheCookieTheLaunchAsksThePlatformForTheSecretAndOnlyThatSecretFinishesItOnce() {
        String subject = "storage-" + UUID.randomUUID();
        StorageLogin login = startInFrame(subject);
        BrowserlessUserAgent noCookies = lti.userAgent(); // the frame as a browser blocking Keycloak's cookies sees it
        int users = lti.userCount();

        HttpResponse<String> reading = noCookies.postOnce(lti.launchUri(), launch(login, null));
        Document readPage = Jsoup.parse(reading.body());
        assertThat(reading.statusCode()).isEqualTo(200);
        assertThat(readPage.getElementById("lti-storage-mode").text()).isEqualTo("get");
        assertThat(readPage.getElementById("lti-storage-key").text())
                .isEqualTo(login.page().getElementById("lti-storage-key").text());
        assertThat(lti.userCount()).as("nothing created before the secret came back").isEqualTo(users);

        HttpResponse<String> forged = postFromReadPage(noCookies, launch(login, "not-the-secret-" + UUID.randomUUID()));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("lti_state_unknown");
        HttpResponse<String> afterForgery = postFromReadPage(noCookies, launch(login, login.proof()));
        assertThat(afterForgery.statusCode()).as("a wrong guess spends the secret").isEqualTo(400);
        assertThat(lti.userLinkedTo(subject)).isNull();
        assertThat(lti.userCount()).isEqualTo(users);
    }

    @Test
    void theRightSecretCreatesTheUserOnceAndLandsInTheToolAndIsNotAcceptedTwice() {
        String subject = "storage-" + UUID.randomUUID();
        StorageLogin login = startInFrame(subject);
        BrowserlessUserAgent noCookies = lti.userAgent();
        Map<String, String> form = launch(login, login.proof());

        var landed = throughHandoffPage(noCookies, postFromReadPage(noCookies, form));

        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.userLinkedTo(subject)).isNotNull();
        int sessions = lti.sessionCount();
        HttpResponse<String> replay = postFromReadPage(lti.userAgent(), form);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("lti_state_unknown");
        assertThat(lti.sessionCount()).isEqualTo(sessions);
    }

    @Test
    void aFirstLaunchWithoutCookiesNeverTakesOverAnExistingAccount() {
        String subject = "storage-" + UUID.randomUUID();
        org.keycloak.representations.idm.UserRepresentation existing = new org.keycloak.representations.idm.UserRepresentation();
        existing.setUsername("platform." + subject.toLowerCase());
        existing.setEnabled(true);
        lti.realm().users().create(existing).close();
        StorageLogin login = startInFrame(subject);

        HttpResponse<String> refused = postFromReadPage(lti.userAgent(), launch(login, login.proof()));

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("lti_account_exists");
        assertThat(lti.userLinkedTo(subject)).isNull();
    }

    /**
     * Login CSRF: an attacker completes his own storage-mode login up to the secret and makes the victim's browser
     * post it from his page. The victim's browser must stay the victim's; the extension's own page still finishes.
     */
    @Test
    void aSecretPostedFromAnyOtherPageIsRefusedAndTheVictimStaysLoggedInAsThemselves() {
        String victim = "victim-" + UUID.randomUUID();
        BrowserlessUserAgent victimsBrowser = lti.userAgent();
        var own = victimsBrowser.navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(victim, "Vic", "Tim")));
        assertThat(own.uri().toString()).as(own.text()).startsWith(lti.tool().callbackUrl());
        String victimsSession = ssoCookie(victimsBrowser);
        String attacker = "attacker-" + UUID.randomUUID();
        StorageLogin attackers = startInFrame(attacker);
        Map<String, String> form = launch(attackers, attackers.proof());
        int sessions = lti.sessionCount();

        for (Map<String, String> headers : List.of(
                Map.of("Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site"),
                Map.of("Origin", lti.platform().baseUrl(), "Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "https://attacker.example"),
                Map.<String, String>of())) {
            HttpResponse<String> refused = victimsBrowser.postOnce(lti.launchUri(), form, headers);
            assertThat(refused.statusCode()).as("posted with %s", headers).isEqualTo(403);
            assertThat(refused.body()).contains("lti_storage_proof_cross_site");
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }

        assertThat(ssoCookie(victimsBrowser)).as("the victim's browser is still the victim's").isEqualTo(victimsSession);
        assertThat(lti.userLinkedTo(attacker)).isNull();
        assertThat(lti.sessionCount()).isEqualTo(sessions);
        var landed = throughHandoffPage(attackers.browser(), postFromReadPage(attackers.browser(), form));
        assertThat(landed.uri().toString()).as("the extension's own page still finishes the launch: %s", landed.text())
                .startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo(("platform." + attacker).toLowerCase());
    }

    /**
     * A launch through storage ends on a page that leaves its hint in the platform's storage for the tool (for a
     * tool that ignores the hint), then goes on to the tool: followed here as its script does.
     */
    private static BrowserlessUserAgent.Page throughHandoffPage(BrowserlessUserAgent browser,
                                                               HttpResponse<String> launched) {
        return throughHandoffPage(lti, browser, launched);
    }

    static BrowserlessUserAgent.Page throughHandoffPage(LtiRealm lti, BrowserlessUserAgent browser,
                                                       HttpResponse<String> launched) {
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(200);
        Document page = Jsoup.parse(launched.body());
        assertThat(page.getElementById("lti-storage-mode").text()).isEqualTo("put");
        assertThat(page.getElementById("lti-platform-origin").text()).isEqualTo(lti.platform().baseUrl());
        assertThat(page.getElementById("lti-storage-key").text()).startsWith("kc_lti_hint_");
        String hint = page.getElementById("lti-storage-value").text();
        String tool = page.getElementById("lti-continue-url").text();
        assertThat(hint).startsWith("lti-launch.");
        assertThat(tool).startsWith(lti.tool().launchUrl()).contains("login_hint=" + hint);
        return browser.navigate(tool);
    }

    private static String ssoCookie(BrowserlessUserAgent browser) {
        return browser.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("KEYCLOAK_IDENTITY")).map(java.net.HttpCookie::getValue)
                .findFirst().orElseThrow();
    }

    /**
     * The cookie-less first launch runs the registration's own first-login flow, with Keycloak's authenticators: a
     * flow that can link existing accounts (Keycloak's own "first broker login") is refused outright; one that creates
     * the user and then wants a page (the admin added "review profile" after it) is refused and leaves no user.
     */
    @Test
    void aCookieLessFirstLaunchRunsTheRegistrationsFirstLoginFlowAndLeavesNoUserWhereItCannotFinish() {
        var idp = lti.realm().identityProviders().get(LtiRealm.ALIAS);
        var registration = idp.toRepresentation();
        String before = registration.getFirstBrokerLoginFlowAlias();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        try {
            String linking = "keycloak first login " + suffix;
            lti.realm().flows().copy("first broker login", Map.of("newName", linking)).close();
            registration.setFirstBrokerLoginFlowAlias(linking);
            idp.update(registration);
            String subject = "storage-" + UUID.randomUUID();
            StorageLogin first = startInFrame(subject);
            int users = lti.userCount();
            HttpResponse<String> linkingRefused = postFromReadPage(lti.userAgent(), launch(first, first.proof()));
            assertThat(linkingRefused.statusCode()).isEqualTo(403);
            assertThat(linkingRefused.body()).contains("lti_first_login_flow_links_accounts");
            assertThat(lti.userCount()).isEqualTo(users);

            String reviewing = "create then review " + suffix;
            lti.realm().flows().copy("lti first launch", Map.of("newName", reviewing)).close();
            lti.realm().flows().addExecution(reviewing, Map.of("provider", "idp-review-profile"));
            var review = lti.realm().flows().getExecutions(reviewing).stream()
                    .filter(e -> "idp-review-profile".equals(e.getProviderId())).findFirst().orElseThrow();
            review.setRequirement("REQUIRED");
            lti.realm().flows().updateExecutions(reviewing, review);
            AuthenticatorConfigRepresentation always = new AuthenticatorConfigRepresentation();
            always.setAlias("always review " + suffix);
            always.setConfig(Map.of("update.profile.on.first.login", "on"));
            lti.realm().flows().newExecutionConfig(review.getId(), always).close();
            registration.setFirstBrokerLoginFlowAlias(reviewing);
            idp.update(registration);
            String reviewed = "storage-" + UUID.randomUUID();
            StorageLogin login = startInFrame(reviewed);

            HttpResponse<String> refused = postFromReadPage(lti.userAgent(), launch(login, login.proof()));

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("lti_first_launch_needs_cookies");
            assertThat(lti.userLinkedTo(reviewed)).isNull();
            assertThat(lti.realm().users().search("platform." + reviewed, true)).as("the user the flow created is gone")
                    .isEmpty();
            assertThat(lti.userCount()).isEqualTo(users);
        } finally {
            registration.setFirstBrokerLoginFlowAlias(before);
            idp.update(registration);
        }
        String returning = "storage-" + UUID.randomUUID();
        StorageLogin first = startInFrame(returning);
        BrowserlessUserAgent frame = lti.userAgent();
        var landed = throughHandoffPage(frame, postFromReadPage(frame, launch(first, first.proof())));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        UserRepresentation created = lti.userLinkedTo(returning);
        assertThat(created.getFirstName()).isEqualTo("Sto");
    }
}
