package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;

/** The tool stand-in is an ordinary OIDC client: a password user of the realm logs into it, no LTI involved. */
class OidcToolIT extends LtiRealmTest {


    @BeforeAll
    static void createPasswordUser() {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("plain-user");
        user.setEmail("plain@example.org");
        user.setFirstName("Plain");
        user.setLastName("User");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("plain-password");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        lti.realm().users().create(user).close();
    }


    @Test
    void aRealmUserLogsIntoTheToolWithTheAuthorizationCodeFlow() {
        BrowserlessUserAgent browser = lti.userAgent();
        Page loginPage = browser.navigate(lti.tool().launchUrl());
        assertThat(loginPage.uri().toString()).startsWith(lti.server().realmUrl(lti.name()));
        assertThat(loginPage.uri().getQuery()).contains("code_challenge_method=S256").contains("nonce=").contains("state=");

        Element form = loginPage.document().selectFirst("form#kc-form-login");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", "plain-user");
        fields.put("password", "plain-password");
        Page toolPage = browser.post(form.absUrl("action"), fields);

        assertThat(toolPage.uri().toString()).startsWith(lti.tool().callbackUrl());
        assertThat(toolPage.document().getElementById("username").text()).isEqualTo("plain-user");
        assertThat(lti.tool().lastLogin().claim("email")).isEqualTo("plain@example.org");
        assertThat(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context"))
                .as("no launch, no LTI claims").isNull();
    }

    @Test
    void theToolRefusesACallbackWhoseStateItDidNotIssue() {
        Page page = lti.userAgent().navigate(lti.tool().callbackUrl() + "?code=stolen&state=forged");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.text()).contains("Unknown state");
    }
}
