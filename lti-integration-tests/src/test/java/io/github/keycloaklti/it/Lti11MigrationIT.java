package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * Continuity from LTI 1.1: a registration's migration mode decides which 1.1 identifiers (the platform's
 * {@code lti1p1} claim, Brightspace's {@code lti11_legacy_user_id}) reach the tool, as the claim {@code lti11}; with
 * the shapes real platforms send: a correct signature, Canvas's (which does not verify), none (Blackboard), and
 * Brightspace's extra claim. A verified 1.1 user id links a first launch to the user an earlier import keyed by it.
 */
class Lti11MigrationIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String SECRET = "lti11-secret-" + UUID.randomUUID();
    private static final String CONSUMER_KEY = "consumer-179248902";

    @BeforeAll
    static void recordEvents() {
        RealmEventsConfigRepresentation events = lti.realm().getRealmEventsConfig();
        events.setEventsEnabled(true);
        lti.realm().updateRealmEventsConfig(events);
    }

    @AfterEach
    void migrationOff() {
        lti.updatePlatform(Map.of("lti11Migration", "off", "lti11UserAttribute", "", "lti11ConsumerKey", ""));
    }

    private static void migration(String mode) {
        lti.updatePlatform(Map.of("lti11Migration", mode, "clientSecret", SECRET));
    }

    private static LtiMessage migratedLaunch(String userId, String secret) {
        return LtiMessage.resourceLink().lti1p1(Map.of("user_id", userId, "oauth_consumer_key", CONSUMER_KEY,
                "resource_link_id", "rl-11-7", "context_id", "course-11-3"), secret);
    }

    private static Object landAndRead(LtiMessage message, String claim) {
        Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        return lti.tool().lastLogin().claim(claim);
    }

    @Test
    void aVerifiedClaimReachesTheToolAsLti11WithoutItsSignature() {
        migration("verify");
        LtiMessage launch = migratedLaunch("34212", SECRET);
        Map<String, Object> lti11 = LaunchIT.asMap(landAndRead(launch, "lti11"));

        assertThat(lti11).containsEntry("user_id", "34212").containsEntry("oauth_consumer_key", CONSUMER_KEY)
                .containsEntry("resource_link_id", "rl-11-7").containsEntry("context_id", "course-11-3")
                .containsEntry("verified_by", "signature").doesNotContainKey("oauth_consumer_key_sign");
        assertThat(lti.tool().lastLogin().claim(LTI + "lti1p1")).as("the platform's claim itself is not passed on")
                .isNull();
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim(LTI + "context"))).containsEntry("id", "course-101");
    }

    @Test
    void canvassSignatureDoesNotVerifyAndTheLaunchGoesOnWithoutItsClaimRecordedAsAnEvent() {
        migration("verify");
        // Canvas's shape: user id, consumer key and a signature that is not the spec's HMAC, and the legacy user id
        LtiMessage canvas = migratedLaunch("canvas-1p1-user", "what-canvas-signs-with").lti11LegacyUserId("canvas-1p1-user");
        String before = metrics();

        assertThat(landAndRead(canvas, "lti11")).as("a claim that does not verify is dropped").isNull();
        assertThat(lti.tool().lastLogin().claim(LTI + "lti1p1")).isNull();
        assertThat(lti.tool().lastLogin().claim(LTI + "lti11_legacy_user_id")).isNull();
        assertThat(lti.userLinkedTo(canvas.subject())).as("the launch went on").isNotNull();

        List<EventRepresentation> events = lti.realm().getEvents(List.of("IDENTITY_PROVIDER_LOGIN_ERROR"), null, null,
                null, null, null, 0, 50);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getError()).isEqualTo("lti11_claim_not_verified");
            assertThat(event.getDetails()).containsEntry("lti11_outcome", "signature_invalid")
                    .containsEntry("identity_provider", LtiRealm.ALIAS);
        });
        assertThat(count(metrics(), "signature_invalid")).isEqualTo(count(before, "signature_invalid") + 1);
    }

    @Test
    void trustModePassesCanvassClaimOnAndSaysItWasTheAdminsTrust() {
        migration("trust");
        LtiMessage canvas = migratedLaunch("canvas-1p1-user", "what-canvas-signs-with");
        Map<String, Object> lti11 = LaunchIT.asMap(landAndRead(canvas, "lti11"));
        assertThat(lti11).containsEntry("user_id", "canvas-1p1-user").containsEntry("verified_by", "admin_trust");
    }

    @Test
    void aPlatformThatSendsNoClaimLaunchesAsBefore() {
        migration("verify");
        int errors = lti.realm().getEvents(List.of("IDENTITY_PROVIDER_LOGIN_ERROR"), null, null, null, null, null, 0,
                500).size();
        // Blackboard: no lti1p1 claim at all (its 1.3 sub is the 1.1 user id: lti_platform.sub)
        LtiMessage blackboard = LtiMessage.resourceLink();
        assertThat(landAndRead(blackboard, "lti11")).isNull();
        assertThat(LaunchIT.asMap(lti.tool().lastLogin().claim("lti_platform"))).containsEntry("sub", blackboard.subject());
        assertThat(lti.realm().getEvents(List.of("IDENTITY_PROVIDER_LOGIN_ERROR"), null, null, null, null, null, 0,
                500)).as("nothing to verify is no error").hasSize(errors);
    }

    @Test
    void brightspacesLegacyUserIdIsTheUserIdOfItsSignedClaim() {
        migration("verify");
        // Brightspace: a migrated link's claim is signed, without user_id; the 1.1 user id comes as its own claim
        LtiMessage migratedLink = LtiMessage.resourceLink().lti1p1(Map.of("oauth_consumer_key", CONSUMER_KEY,
                "resource_link_id", "d2l-rl-5"), SECRET).lti11LegacyUserId("d2l-legacy-88");
        assertThat(LaunchIT.asMap(landAndRead(migratedLink, "lti11"))).containsEntry("user_id", "d2l-legacy-88")
                .containsEntry("resource_link_id", "d2l-rl-5").containsEntry("verified_by", "signature");

        // a link not migrated: the legacy id alone, signed by nothing
        LtiMessage unmigratedLink = LtiMessage.resourceLink().lti11LegacyUserId("d2l-legacy-88");
        assertThat(landAndRead(unmigratedLink, "lti11")).isNull();
        assertThat(lti.tool().lastLogin().claim(LTI + "lti11_legacy_user_id")).isNull();
    }

    @Test
    void offPassesNoLti11IdentifierOnAndAnotherConsumerKeyIsDropped() {
        LtiMessage signed = migratedLaunch("34212", SECRET);
        assertThat(landAndRead(signed, "lti11")).as("off is the default").isNull();
        assertThat(lti.tool().lastLogin().claim(LTI + "lti1p1")).isNull();

        migration("verify");
        lti.updatePlatform(Map.of("lti11ConsumerKey", "another-consumer"));
        assertThat(landAndRead(migratedLaunch("34212", SECRET), "lti11")).isNull();
    }

    @Test
    void theSecretIsNeverShownAgainAndVerifyNeedsOne() {
        migration("verify");
        IdentityProviderRepresentation shown = lti.realm().identityProviders().get(LtiRealm.ALIAS).toRepresentation();
        assertThat(shown.getConfig().get("clientSecret")).isEqualTo("**********");
        // saving the form again keeps the secret: a launch signed with it still verifies
        lti.realm().identityProviders().get(LtiRealm.ALIAS).update(shown);
        assertThat(LaunchIT.asMap(landAndRead(migratedLaunch("34212", SECRET), "lti11")))
                .containsEntry("verified_by", "signature");
        assertThat(lti.server().log()).doesNotContain(SECRET);

        Map<String, String> config = lti.platformConfig();
        config.put("lti11Migration", "verify");
        config.remove("clientSecret");
        try (Response refused = lti.createPlatform("no-secret-" + UUID.randomUUID(), config)) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("LTI 1.1 migration").contains("shared secret");
        }
        config.put("lti11Migration", "sometimes");
        try (Response refused = lti.createPlatform("bad-mode-" + UUID.randomUUID(), config)) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("must be off, verify or trust");
        }
    }

    @Test
    void aFirstLaunchWithAVerifiedUserIdBecomesTheUserImportedWithIt() {
        lti.declareUserAttribute("lti11_user_id");
        String imported = importUser("ada-from-1p1", "1p1-user-" + UUID.randomUUID());
        String oneOneId = lti.realm().users().get(imported).toRepresentation().getAttributes().get("lti11_user_id").get(0);
        migration("verify");
        lti.updatePlatform(Map.of("lti11UserAttribute", "lti11_user_id"));
        int users = lti.userCount();

        LtiMessage first = migratedLaunch(oneOneId, SECRET);
        landAndRead(first, "lti11");
        UserRepresentation linked = lti.userLinkedTo(first.subject());
        assertThat(linked.getId()).as("the imported user, not a new one").isEqualTo(imported);
        assertThat(lti.userCount()).isEqualTo(users);
        assertThat(lti.tool().lastLogin().claim("preferred_username")).isEqualTo("ada-from-1p1");

        // the next launch (no 1.1 claim any more: the platform's 1.3 user is linked now) is that user again
        LtiMessage again = LtiMessage.resourceLink().user(first.subject(), "Ada", "Lovelace");
        landAndRead(again, "lti11");
        assertThat(lti.tool().lastLogin().claim("preferred_username")).isEqualTo("ada-from-1p1");
    }

    @Test
    void anUnverifiedIdAUserEditableAttributeOrAnEmailNeverLinks() {
        lti.declareUserAttribute("lti11_user_id");
        String oneOneId = "1p1-user-" + UUID.randomUUID();
        String imported = importUser("grace-from-1p1-" + UUID.randomUUID(), oneOneId);
        migration("verify");
        lti.updatePlatform(Map.of("lti11UserAttribute", "lti11_user_id"));

        LtiMessage forged = migratedLaunch(oneOneId, "not-the-secret");
        landAndRead(forged, "lti11");
        assertThat(lti.userLinkedTo(forged.subject()).getId()).as("a signature that does not verify links nothing")
                .isNotEqualTo(imported);

        lti.declareUserAttribute("lti11_self_set");
        UPConfig profile = lti.realm().users().userProfile().getConfiguration();
        UPAttribute selfSet = profile.getAttribute("lti11_self_set");
        selfSet.setPermissions(new UPAttributePermissions(Set.of("admin", "user"), Set.of("admin", "user")));
        lti.realm().users().userProfile().update(profile);
        UserRepresentation user = lti.realm().users().get(imported).toRepresentation();
        user.getAttributes().put("lti11_self_set", List.of(oneOneId));
        lti.realm().users().get(imported).update(user);
        lti.updatePlatform(Map.of("lti11UserAttribute", "lti11_self_set"));
        LtiMessage viaUserEditable = migratedLaunch(oneOneId, SECRET);
        landAndRead(viaUserEditable, "lti11");
        assertThat(lti.userLinkedTo(viaUserEditable.subject()).getId())
                .as("an attribute users set themselves could claim anyone's 1.1 account").isNotEqualTo(imported);
        assertThat(lti.realm().users().get(imported).getFederatedIdentity()).isEmpty();
    }

    @Test
    void anAdministratorIsNeverTakenOverAndTwoRegistrationsNeverLinkByOneAttribute() {
        lti.declareUserAttribute("lti11_user_id");
        String oneOneId = "1p1-admin-" + UUID.randomUUID();
        String admin = importUser("helpdesk-" + UUID.randomUUID(), oneOneId);
        var management = lti.realm().clients().findByClientId("realm-management").get(0);
        var viewUsers = lti.realm().clients().get(management.getId()).roles().get("view-users").toRepresentation();
        lti.realm().users().get(admin).roles().clientLevel(management.getId()).add(List.of(viewUsers));
        migration("verify");
        lti.updatePlatform(Map.of("lti11UserAttribute", "lti11_user_id"));

        LtiMessage launch = migratedLaunch(oneOneId, SECRET);
        landAndRead(launch, "lti11");
        assertThat(lti.userLinkedTo(launch.subject()).getId()).as("an administrator, however narrow, is never linked")
                .isNotEqualTo(admin);

        Map<String, String> other = lti.platformConfig();
        other.put("issuer", "https://other-school.example.edu");
        other.put("authorizationUrl", "https://other-school.example.edu/auth");
        other.put("jwksUrl", "https://other-school.example.edu/jwks");
        other.remove("tokenUrl");
        other.put("lti11Migration", "verify");
        other.put("clientSecret", "other-secret");
        other.put("lti11UserAttribute", "lti11_user_id");
        try (Response refused = lti.createPlatform("other-school-" + UUID.randomUUID(), other)) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("links by 'lti11_user_id' already");
        }
        other.put("lti11Migration", "trust");
        other.put("lti11UserAttribute", "lti11_user_id_other");
        try (Response refused = lti.createPlatform("other-school-" + UUID.randomUUID(), other)) {
            assertThat(refused.getStatus()).as("trust passes ids on, it never picks an account").isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("set LTI 1.1 migration (lti11Migration) to verify");
        }
    }

    private static String importUser(String username, String oneOneId) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setFirstName("Imported");
        user.setLastName("Earlier");
        user.setAttributes(Map.of("lti11_user_id", List.of(oneOneId)));
        try (Response created = lti.realm().users().create(user)) {
            assertThat(created.getStatus()).isEqualTo(201);
            String path = created.getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private static String metrics() {
        return lti.userAgent().get(lti.server().managementUrl() + "/metrics").body();
    }

    private static double count(String metrics, String outcome) {
        return metrics.lines().filter(line -> line.startsWith("lti_lti11_claims_total{")
                        && line.contains("outcome=\"" + outcome + "\"") && line.contains("platform=\"" + LtiRealm.ALIAS + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
