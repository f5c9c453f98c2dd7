package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPAttributeRequired;
import org.keycloak.representations.userprofile.config.UPConfig;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.http.QueryBuilder;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * Launches that carry less than a name and an email, into a realm whose user profile is Keycloak's default (first
 * name, last name and email required of users): the learner reaches the tool with no form, and the realm's other
 * logins keep requiring all three.
 */
class LearnerProfileIT extends LtiRealmTest {

    private static Page launch(LtiMessage message) {
        return lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
    }

    private static String newSubject() {
        return "profile-" + UUID.randomUUID();
    }

    @Test
    void aLaunchWithoutAnyPersonalDataReachesTheToolWithNoForm() {
        String subject = newSubject();
        Page page = launch(LtiMessage.resourceLink().user(subject, null, null).withoutNames());

        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        UserRepresentation user = lti.userLinkedTo(subject);
        assertThat(user.getFirstName()).isNull();
        assertThat(user.getLastName()).isNull();
        assertThat(user.getEmail()).isNull();
        assertThat(user.getRequiredActions()).isNullOrEmpty();
        assertThat(lti.tool().lastLogin().claim("sub")).as("the tool's tokens as before").isEqualTo(user.getId());
    }

    @Test
    void anEmailOnlyLaunchReachesTheToolWithTheEmail() {
        String subject = newSubject();
        Page page = launch(LtiMessage.resourceLink().user(subject, null, null).withoutNames()
                .email(subject + "@school.example"));

        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.userLinkedTo(subject).getEmail()).isEqualTo(subject + "@school.example");
        assertThat(lti.tool().lastLogin().claim("email")).isEqualTo(subject + "@school.example");
    }

    @Test
    void aNameWithoutGivenAndFamilyNamesIsSplitAtItsLastWord() {
        String subject = newSubject();
        Page page = launch(LtiMessage.resourceLink().user(subject, null, null).nameOnly("Mary Ann Evans")
                .email(subject + "@school.example"));

        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        UserRepresentation user = lti.userLinkedTo(subject);
        assertThat(user.getFirstName()).isEqualTo("Mary Ann");
        assertThat(user.getLastName()).isEqualTo("Evans");
        assertThat(lti.tool().lastLogin().claim("given_name")).isEqualTo("Mary Ann");

        String single = newSubject();
        assertThat(launch(LtiMessage.resourceLink().user(single, null, null).nameOnly("Socrates")).uri().toString())
                .startsWith(lti.tool().callbackUrl());
        assertThat(lti.userLinkedTo(single).getFirstName()).isEqualTo("Socrates");
        assertThat(lti.userLinkedTo(single).getLastName()).isNull();
    }

    /** Another client of the realm: a user without names or email is asked for them, as Keycloak's default says. */
    @Test
    void theRealmsOtherLoginsStillRequireNamesAndEmail() {
        ClientRepresentation other = new ClientRepresentation();
        other.setClientId("other-app");
        other.setPublicClient(true);
        other.setStandardFlowEnabled(true);
        other.setRedirectUris(List.of("https://other-app.example/*"));
        lti.realm().clients().create(other).close();

        assertAskedForNamesAndEmail(lti.realmUrl() + "/protocol/openid-connect/auth?" + QueryBuilder.encode(Map.of(
                "client_id", "other-app", "response_type", "code", "scope", "openid",
                "redirect_uri", "https://other-app.example/callback", "state", "s-1")), "https://other-app.example");
    }

    /**
     * A SAML client of the realm (no {@code basic} scope: SAML clients get {@code role_list}) keeps the rule too: a
     * user without names or email who logs in to it (here through its IdP-initiated login URL) is asked for them.
     */
    @Test
    void theRealmsSamlLoginsStillRequireNamesAndEmail() {
        ClientRepresentation saml = new ClientRepresentation();
        saml.setClientId("https://saml-app.example");
        saml.setProtocol("saml");
        saml.setRedirectUris(List.of("https://saml-app.example/*"));
        saml.setAttributes(Map.of("saml_idp_initiated_sso_url_name", "saml-app",
                "saml_assertion_consumer_url_post", "https://saml-app.example/acs", "saml.client.signature", "false"));
        lti.realm().clients().create(saml).close();
        ClientRepresentation created = lti.realm().clients().findByClientId("https://saml-app.example").get(0);
        assertThat(created.getDefaultClientScopes()).as("Keycloak's defaults for SAML clients")
                .contains("role_list").doesNotContain("basic");

        assertAskedForNamesAndEmail(lti.realmUrl() + "/protocol/saml/clients/saml-app", "https://saml-app.example");
    }

    /** A new user without names or email logs in at {@code loginUrl}: Keycloak asks for all three before the client. */
    private static void assertAskedForNamesAndEmail(String loginUrl, String client) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("staff-" + UUID.randomUUID().toString().substring(0, 8));
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("staff-password");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (Response created = lti.realm().users().create(user)) {
            assertThat(created.getStatus()).as("the admin console never required names").isEqualTo(201);
        }

        BrowserlessUserAgent browser = lti.userAgent();
        Page login = browser.navigate(loginUrl);
        Element form = login.document().selectFirst("form#kc-form-login");
        assertThat(form).as(login.text()).isNotNull();
        HttpResponse<String> answer = browser.postOnce(form.absUrl("action"),
                Map.of("username", user.getUsername(), "password", "staff-password"));

        assertThat(answer.headers().firstValue("Location").orElse(""))
                .as("not let through to the client").doesNotStartWith(client);
        assertThat(answer.body()).as("no SAML response posted to the client").doesNotContain("SAMLResponse");
        String profilePage = answer.statusCode() == 200 ? answer.body()
                : browser.navigate(URI.create(form.absUrl("action")).resolve(answer.headers().firstValue("Location")
                        .orElseThrow()).toString()).body();
        assertThat(Jsoup.parse(profilePage).select("input[name=firstName], input[name=lastName], input[name=email]"))
                .as("Keycloak asks for the names and email").hasSize(3);
    }

    @Test
    void theSetupScopesKeycloaksDefaultRulesAndKeepsAnAdminsOwn() {
        UPConfig profile = lti.realm().users().userProfile().getConfiguration();
        for (String name : List.of("email", "firstName", "lastName")) {
            assertThat(profile.getAttribute(name).getRequired().getScopes()).as(name)
                    .containsExactlyInAnyOrder("basic", "role_list");
        }
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        assertThat(tool.getDefaultClientScopes()).contains("lti-basic").doesNotContain("basic");

        // the admin sets a rule of his own for lastName; the setup, run again, leaves it so
        profile.getAttribute("lastName").setRequired(new UPAttributeRequired(Set.of("admin", "user"), null));
        lti.realm().users().userProfile().update(profile);
        String again = lti.setUpRealmFor(LtiRealm.ALIAS);
        assertThat(again).contains("\"attributesKeptAsTheAdminSetThem\":[\"lastName\"]");
        assertThat(lti.realm().users().userProfile().getConfiguration().getAttribute("lastName").getRequired().getRoles())
                .containsExactlyInAnyOrder("admin", "user");

        UPConfig restored = lti.realm().users().userProfile().getConfiguration();
        restored.getAttribute("lastName").setRequired(new UPAttributeRequired(Set.of("user"), Set.of("basic", "role_list")));
        lti.realm().users().userProfile().update(restored);
    }
}
