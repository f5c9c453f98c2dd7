package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * Config as code: a realm exported as JSON, deleted and imported again (as keycloak-config-cli or the operator's
 * realm import do) keeps its LTI registrations, their mappers and the tools' claims mapper, and launches again.
 */
class RealmExportImportIT extends LtiRealmTest {

    private static Keycloak admin;

    @BeforeAll
    static void keepAdmin(Keycloak keycloakAdmin) {
        admin = keycloakAdmin;
    }


    @Test
    void anExportedRealmImportedAgainLaunchesAsBefore() {
        lti.declareUserAttribute("sis_id");
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("sis id");
        mapper.setIdentityProviderAlias(LtiRealm.ALIAS);
        mapper.setIdentityProviderMapper("lti-claim-to-user-attribute-mapper");
        mapper.setConfig(Map.of("claim", "https://purl.imsglobal.org/spec/lti/claim/lis.person_sourcedid",
                "user.attribute", "sis_id", "syncMode", "FORCE"));
        lti.realm().identityProviders().get(LtiRealm.ALIAS).addMapper(mapper).close();

        RealmRepresentation exported = lti.realm().partialExport(true, true);
        lti.realm().remove();
        // a partial export masks client secrets; config-as-code supplies them
        exported.getClients().stream().filter(c -> LtiRealm.TOOL_CLIENT_ID.equals(c.getClientId()))
                .forEach(c -> c.setSecret(LtiRealm.TOOL_SECRET));
        admin.realms().create(exported);

        assertThat(lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation().getConfig())
                .containsEntry("issuer", lti.platform().issuer()).containsEntry("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
        assertThat(lti.realm().identityProviders().get(LtiRealm.ALIAS).getMappers())
                .anySatisfy(m -> assertThat(m.getIdentityProviderMapper()).isEqualTo("lti-claim-to-user-attribute-mapper"));
        ClientRepresentation tool = lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0);
        assertThat(tool.getProtocolMappers()).anySatisfy(m -> assertThat(m.getProtocolMapper()).isEqualTo("oidc-lti-claims-mapper"));

        String subject = "again-" + UUID.randomUUID();
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink().user(subject, "Ada", "L")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context")).isNotNull();
        assertThat(lti.realm().users().get(lti.userLinkedTo(subject).getId()).toRepresentation().getAttributes())
                .containsEntry("sis_id", List.of("sis-" + subject));
    }

    @Test
    void aPartialImportOfTheRegistrationItsMappersAndTheToolLaunchesAgain() {
        lti.declareUserAttribute("course_label");
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("course role");
        mapper.setIdentityProviderAlias(LtiRealm.ALIAS);
        mapper.setIdentityProviderMapper("lti-claim-to-user-attribute-mapper");
        mapper.setConfig(Map.of("claim", "https://purl.imsglobal.org/spec/lti/claim/context.label",
                "user.attribute", "course_label", "syncMode", "FORCE"));
        lti.realm().identityProviders().get(LtiRealm.ALIAS).addMapper(mapper).close();
        RealmRepresentation exported = lti.realm().partialExport(true, true);
        ClientRepresentation toolClient = exported.getClients().stream()
                .filter(c -> LtiRealm.TOOL_CLIENT_ID.equals(c.getClientId())).findFirst().orElseThrow();
        toolClient.setSecret(LtiRealm.TOOL_SECRET);
        // what keycloak-config-cli or an admin's "Partial import" would bring: the platform, its mappers, the tool
        lti.realm().identityProviders().get(LtiRealm.ALIAS).remove();
        lti.realm().clients().get(lti.realm().clients().findByClientId(LtiRealm.TOOL_CLIENT_ID).get(0).getId()).remove();
        PartialImportRepresentation partial = new PartialImportRepresentation();
        partial.setIfResourceExists("FAIL");
        partial.setIdentityProviders(exported.getIdentityProviders());
        partial.setIdentityProviderMappers(exported.getIdentityProviderMappers());
        partial.setClients(List.of(toolClient));

        try (Response response = lti.realm().partialImport(partial)) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(200);
        }

        assertThat(lti.realm().identityProviders().get(LtiRealm.ALIAS).getMappers())
                .anySatisfy(m -> assertThat(m.getName()).isEqualTo("course role"));
        String subject = "partial-" + UUID.randomUUID();
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                .user(subject, "Par", "Tial").context("course-p", "Partial imports")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().claim("https://purl.imsglobal.org/spec/lti/claim/context")).isNotNull();
        assertThat(lti.realm().users().get(lti.userLinkedTo(subject).getId()).toRepresentation().getAttributes())
                .containsEntry("course_label", List.of("CS101"));
    }
}
