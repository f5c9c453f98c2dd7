package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * Institutions as Keycloak organizations: a learning company's realm with a registration per school, each linked to
 * the school's organization (Keycloak's own "Link identity provider"). A first launch makes the learner a member
 * (Keycloak's "Organization Member Onboard" step, in the "lti first launch" flow the realm setup adds), the tool's
 * tokens carry Keycloak's {@code organization} claim when the tool asks for the scope, the organization lists its
 * members, and a learner of two schools is two users in two organizations.
 */
class OrganizationsIT extends LtiRealmTest {

    private static final String SCHOOL_B = "school-b";
    private static final String SCHOOL_B_CLIENT_ID = "kc-tool-at-school-b";
    private static String schoolA;
    private static String schoolB;

    @BeforeAll
    static void schoolsAsOrganizations() {
        schoolA = lti.createOrganization("school-a");
        schoolB = lti.createOrganization(SCHOOL_B);
        link(schoolA, LtiRealm.ALIAS);
        lti.addRegistration(SCHOOL_B, SCHOOL_B_CLIENT_ID);
        link(schoolB, SCHOOL_B);
        lti.tool().requestScopes("organization");
    }

    @AfterAll
    static void plainScopes() {
        lti.tool().requestScopes();
    }

    /** What the console's Organizations, Identity providers, "Link identity provider" does. */
    private static void link(String organizationId, String alias) {
        try (Response linked = lti.realm().organizations().get(organizationId).identityProviders()
                .addIdentityProvider(alias)) {
            assertThat(linked.getStatus()).as(linked.readEntity(String.class)).isEqualTo(204);
        }
    }

    @Test
    void aFirstLaunchMakesTheLearnerAMemberOfTheSchoolsOrganizationAndTheToolSeesIt() {
        LtiMessage first = LtiMessage.resourceLink().user("learner-" + UUID.randomUUID(), "Lin", "Learner");
        Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(first));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());

        UserRepresentation learner = lti.userLinkedTo(first.subject());
        assertThat(lti.organizationMembers(schoolA)).as("the school's organization lists the learner").contains(learner.getId());
        assertThat(lti.organizationMembers(schoolB)).doesNotContain(learner.getId());
        assertThat(lti.tool().lastLogin().claim("organization")).as("Keycloak's organization claim")
                .isEqualTo(List.of("school-a"));
        assertThat(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context"))
                .as("the launch's claims as ever").isNotNull();

        // the second click: a returning member, still one membership
        Page again = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(first.subject(), "Lin", "Learner")));
        assertThat(again.uri().toString()).as(again.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().claim("organization")).isEqualTo(List.of("school-a"));
        assertThat(lti.realm().organizations().get(schoolA).members().member(learner.getId()).getOrganizations(true))
                .extracting(OrganizationRepresentation::getAlias).containsExactly("school-a");
    }

    @Test
    void aLearnerOfTwoSchoolsIsTwoUsersInTwoOrganizations() {
        String subject = "shared-" + UUID.randomUUID();
        Page atA = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().user(subject, "Sam", "Twoschools")));
        assertThat(atA.uri().toString()).as(atA.text()).startsWith(lti.tool().callbackUrl());
        String userAtA = lti.tool().lastLogin().subject();

        Page atB = lti.launchThrough(SCHOOL_B, SCHOOL_B_CLIENT_ID,
                LtiMessage.resourceLink().user(subject, "Sam", "Twoschools"));
        assertThat(atB.uri().toString()).as(atB.text()).startsWith(lti.tool().callbackUrl());
        String userAtB = lti.tool().lastLogin().subject();

        assertThat(userAtB).as("one user per platform's user, as always").isNotEqualTo(userAtA);
        assertThat(lti.organizationMembers(schoolA)).contains(userAtA).doesNotContain(userAtB);
        assertThat(lti.organizationMembers(schoolB)).contains(userAtB).doesNotContain(userAtA);
        assertThat(lti.tool().lastLogin().claim("organization")).isEqualTo(List.of(SCHOOL_B));
    }

    @Test
    void aToolThatDoesNotAskForTheScopeGetsNoOrganizationClaim() {
        lti.tool().requestScopes();
        try {
            Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()));
            assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
            assertThat(lti.tool().lastLogin().claim("organization")).isNull();
        } finally {
            lti.tool().requestScopes("organization");
        }
    }
}
