package io.github.keycloaklti.bench;

import java.util.Map;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/** One complete login of a learner through a fresh virtual browser, ending on the tool's page. */
interface Flow {

    String name();

    /** Runs the login of {@code subject}; returns the browser (its timings) or throws when it did not land. */
    BrowserlessUserAgent run(LtiRealm realm, String subject);

    /** The LTI launch: platform → Keycloak login initiation → platform auth → launch POST → tool code flow. */
    Flow LTI = new Flow() {
        @Override
        public String name() {
            return "lti-launch";
        }

        @Override
        public BrowserlessUserAgent run(LtiRealm realm, String subject) {
            BrowserlessUserAgent browser = realm.userAgent();
            var page = browser.navigate(realm.platform().loginInitiationUrl(LtiMessage.resourceLink()
                    .user(subject, "Bench", "Learner").email(subject + "@bench.example")));
            return landed(realm, browser, page, subject);
        }
    };

    /**
     * The baseline: the tool's code flow to Keycloak with {@code kc_idp_hint}, Keycloak's own OIDC identity
     * provider brokering to the emulator as a plain OIDC provider (code flow, back-channel code exchange, ID token
     * signature check), then back to the tool.
     */
    Flow OIDC_BROKER = new Flow() {
        @Override
        public String name() {
            return "oidc-brokered-login";
        }

        @Override
        public BrowserlessUserAgent run(LtiRealm realm, String subject) {
            BrowserlessUserAgent browser = realm.userAgent();
            var page = browser.navigate(realm.tool().launchUrl() + "?" + io.github.keycloaklti.testsupport.http
                    .QueryBuilder.encode(Map.of("kc_idp_hint", LaunchBenchmark.BASELINE_ALIAS, "login_hint", subject)));
            return landed(realm, browser, page, subject);
        }
    };

    private static BrowserlessUserAgent landed(LtiRealm realm, BrowserlessUserAgent browser,
            BrowserlessUserAgent.Page page, String subject) {
        var shown = page.document().getElementById("username");
        if (!page.uri().toString().startsWith(realm.tool().callbackUrl()) || shown == null
                || !shown.text().endsWith(subject)) {
            throw new IllegalStateException("login of " + subject + " failed: " + page.status() + " " + page.uri()
                    + " " + page.text().substring(0, Math.min(300, page.text().length())));
        }
        return browser;
    }
}
