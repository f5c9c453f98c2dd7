package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.keycloak.KeycloakCluster;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.keycloak.LoadBalancer;
import io.github.keycloaklti.testsupport.keycloak.PreviousRelease;
import io.github.keycloaklti.testsupport.keycloak.TestCertificate;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/**
 * A rolling update: a cluster whose node 1 runs the previous release's JAR (built from the revision the build names,
 * {@code keycloak-lti.upgrade.from}; see {@link PreviousRelease}) and node 2 this build's, on one PostgreSQL. What one
 * release keeps in Keycloak's stores (a launch's authentication-session notes, its user-session notes, launch hints as
 * single-use entries, the service contexts and recorded deployments in the extension's tables) is read by the other,
 * both ways, with each request sent to the node the test names; then node 1 is updated to this build's JAR, as an
 * operator replaces one node after the other, and what was made before still works there.
 */
@ExtendWith(SharedCertificate.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeIT {

    private static final int OLD = 0;
    private static final int NEW = 1;
    private static final String LAUNCH_PATH_SUFFIX = "/broker/" + LtiRealm.ALIAS + "/endpoint";
    private static final String TOKEN_PATH = "/protocol/openid-connect/token";
    private static final String CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context";
    /** A platform claim the previous release passed on to tools as sent; this one never does (LTI 1.1 migration). */
    private static final String LEGACY_USER_ID_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id";
    private static final String RECORDING = "recording";
    private static final String RECORDING_CLIENT_ID = "records-deployments";
    private static final String RECORDED_BY_OLD = "deployment-recorded-by-old";
    private static final String ROSTER_COURSE = "course-upgrade-roster";

    private static PreviousRelease.Jar previous;
    private static Path current;
    private static KeycloakCluster cluster;
    private static Keycloak admin;
    private static LtiRealm lti;
    /** Logins made before node 1's update, by what made them; each must still refresh after it. */
    private static final Map<String, Made> MADE_BEFORE = new LinkedHashMap<>();

    /** A tool's login from before the update, with the launch's context it must keep carrying. */
    record Made(ToolLogin login, String subject, String contextId) {
    }

    @BeforeAll
    static void startMixedCluster(TestCertificate certificate) {
        previous = PreviousRelease.obtain(PreviousRelease.Source.fromSystemProperties());
        System.out.printf("[upgrade] previous release %s (commit %s): JAR %s in %d ms%n", previous.revision(),
                previous.commit(), previous.built() ? "built" : "from the cache", previous.millis());
        current = Path.of(System.getProperty("keycloak.providers"));
        long start = System.nanoTime();
        cluster = KeycloakCluster.start(Path.of(System.getProperty("keycloak.production.home")),
                List.of(previous.providers(), current), Path.of(System.getProperty("keycloak.work"))
                        .resolveSibling("upgrade"), certificate);
        System.out.printf("[upgrade] node 1 (previous release) and node 2 (this build) built and joined in %d s%n",
                (System.nanoTime() - start) / 1_000_000_000);
        admin = KeycloakBuilder.builder().serverUrl(cluster.url()).realm("master").clientId("admin-cli")
                .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                        .sslContext(certificate.trustingSslContext()).connectionPoolSize(10).build())
                .build();
        // the realm and its registrations exist before the update: the previous release set them up
        balancer().pin(OLD);
        lti = LtiRealm.create(cluster.url(), certificate, admin);
        Map<String, String> recording = new HashMap<>(lti.platformConfig());
        recording.put("clientId", RECORDING_CLIENT_ID);
        recording.put("recordNewDeployments", "true");
        try (Response created = lti.createPlatform(RECORDING, recording)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        lti.setUpRealmFor(RECORDING);
        lti.platform().services().setMembers(ROSTER_COURSE, List.of(
                Map.of("user_id", "t1", "name", "Ada Lovelace", "roles", List.of(LtiMessage.INSTRUCTOR), "status", "Active"),
                Map.of("user_id", "s1", "name", "Charles Babbage", "roles", List.of(LtiMessage.LEARNER), "status", "Active")));
    }

    @AfterAll
    static void stopCluster() {
        if (lti != null) {
            lti.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static LoadBalancer balancer() {
        return cluster.balancer();
    }

    private static LtiMessage learner(String subject, String contextId) {
        return LtiMessage.resourceLink().user(subject, "Up", "Grade").context(contextId, "Upgrades 101")
                .lti11LegacyUserId("legacy-" + subject);
    }

    /** The node that served the last request whose method and path match. */
    private static int nodeOfLast(String method, String pathSuffix) {
        List<LoadBalancer.Forwarded> matching = balancer().forwarded().stream()
                .filter(f -> method.equals(f.method()) && f.path().endsWith(pathSuffix)).toList();
        assertThat(matching).as(method + " ..." + pathSuffix).isNotEmpty();
        return matching.get(matching.size() - 1).node();
    }

    /** A whole launch on one node: login initiation, launch, the tool's login and token. */
    private static ToolLogin launchOn(int node, LtiMessage message) {
        balancer().pin(node);
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(message));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        assertThat(nodeOfLast("POST", TOKEN_PATH)).isEqualTo(node);
        return lti.tool().lastLogin();
    }

    private static void assertCarriesTheLaunch(Map<String, Object> claims, String subject, String contextId) {
        assertThat(LaunchIT.asMap(claims.get("lti_platform"))).containsEntry("sub", subject);
        assertThat(LaunchIT.asMap(claims.get(CONTEXT_CLAIM))).containsEntry("id", contextId);
    }

    private static String route(int first, int second) {
        return (first == OLD ? "previous" : "this") + " release, then " + (second == OLD ? "previous" : "this");
    }

    /**
     * Each node runs the release it was given: its distribution holds that JAR. A previous release from before the LTI
     * 1.1 migration rule (the commit named until the first release) also shows it: it passes the platform's legacy
     * user id on to the tool as sent, this build never does; the same launch on one node and on the other.
     */
    @Test
    @Order(1)
    void eachNodeRunsItsOwnReleaseInOneCluster() {
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(KeycloakCluster.lastViewSize(node)).isEqualTo(2));
        assertThat(contentOf(previous.jar())).as("two different JARs").isNotEqualTo(contentOf(currentJar()));
        assertThat(contentOf(runningJar(OLD))).as("node 1's JAR").isEqualTo(contentOf(previous.jar()));
        assertThat(contentOf(runningJar(NEW))).as("node 2's JAR").isEqualTo(contentOf(currentJar()));

        String subject = "version-" + UUID.randomUUID();
        ToolLogin onOld = launchOn(OLD, learner(subject, "course-version"));
        ToolLogin onNew = launchOn(NEW, learner(subject, "course-version"));

        if (previousPassesTheRawLti11Claims()) {
            assertThat(onOld.idTokenClaims()).as("the previous release on node 1")
                    .containsEntry(LEGACY_USER_ID_CLAIM, "legacy-" + subject);
        }
        assertThat(onNew.idTokenClaims()).as("this build on node 2").doesNotContainKey(LEGACY_USER_ID_CLAIM);
        assertCarriesTheLaunch(onOld.idTokenClaims(), subject, "course-version");
        assertCarriesTheLaunch(onNew.idTokenClaims(), subject, "course-version");
    }

    /** Whether the previous release predates the LTI 1.1 migration rule (it has no {@code Lti11Claim}). */
    private static boolean previousPassesTheRawLti11Claims() {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(previous.jar().toFile())) {
            return jar.getEntry("io/github/keycloaklti/lti11/Lti11Claim.class") == null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path currentJar() {
        return current.resolve("keycloak-lti.jar");
    }

    /** The extension's JAR in the distribution node {@code node} runs from. */
    private static Path runningJar(int node) {
        return cluster.home(node).resolve("providers/keycloak-lti.jar");
    }

    /**
     * A launch whose login initiation one release answers (authentication session, state and nonce notes) and whose
     * launch POST the other receives lands in the tool; the tool's login and token then come from the first node, so
     * that the launch's claims (user-session notes) written by one release are in the tokens the other issues.
     */
    @Test
    @Order(2)
    void aLaunchBegunOnOneReleaseLandsOnTheOtherAndTheFirstIssuesItsTokens() {
        for (int[] route : new int[][] {{OLD, NEW}, {NEW, OLD}}) {
            int first = route[0];
            int second = route[1];
            String subject = "cross-" + first + second + "-" + UUID.randomUUID();
            String contextId = "course-cross-" + first + second;
            balancer().pin(first);
            BrowserlessUserAgent browser = lti.userAgent().beforeEachRequest((method, uri) -> {
                if ("POST".equals(method) && uri.getPath().endsWith(LAUNCH_PATH_SUFFIX)) {
                    balancer().pin(second);
                } else if (uri.toString().startsWith(lti.tool().launchUrl())) {
                    balancer().pin(first); // the tool's own login, its code exchange and userinfo
                }
            });

            Page page = browser.navigate(lti.platform().loginInitiationUrl(learner(subject, contextId)));

            assertThat(page.uri().toString()).as(route(first, second) + ": " + page.text())
                    .startsWith(lti.tool().callbackUrl());
            assertThat(nodeOfLast("GET", LAUNCH_PATH_SUFFIX + "/login")).as("login initiation").isEqualTo(first);
            assertThat(nodeOfLast("POST", LAUNCH_PATH_SUFFIX)).as("launch POST").isEqualTo(second);
            assertThat(nodeOfLast("POST", TOKEN_PATH)).as("the tool's token").isEqualTo(first);
            ToolLogin login = lti.tool().lastLogin();
            assertThat(login.username()).isEqualTo(("platform." + subject).toLowerCase());
            assertCarriesTheLaunch(login.idTokenClaims(), subject, contextId);
            assertCarriesTheLaunch(login.userInfo(), subject, contextId);
            assertCarriesTheLaunch(Jwts.claims(login.accessToken()), subject, contextId);
            if (first == NEW) {
                assertThat(login.idTokenClaims()).as("this release's rules for what it issues, also of a launch the "
                        + "previous one kept").doesNotContainKey(LEGACY_USER_ID_CLAIM);
            }
            MADE_BEFORE.put("launch, " + route(first, second), new Made(login, subject, contextId));
        }
    }

    /**
     * A launch accepted by one release is refused when its id_token and state are posted again to the other: what the
     * first spent of it (the authentication session that held the state, the nonce) is spent for the second.
     */
    @Test
    @Order(3)
    void aLaunchAcceptedByOneReleaseIsRefusedWhenReplayedOnTheOther() {
        for (int[] route : new int[][] {{OLD, NEW}, {NEW, OLD}}) {
            balancer().pin(route[0]);
            BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti,
                    learner("replay-" + UUID.randomUUID(), "course-replay"));
            Map<String, String> form = Map.of("id_token", lti.platform().idToken(login.message(), login.nonce()),
                    "state", login.state());
            Page accepted = login.browser().follow(login.browser().postOnce(lti.launchUri(), form));
            assertThat(accepted.uri().toString()).as(accepted.text()).startsWith(lti.tool().callbackUrl());
            int hits = lti.tool().launchHits();

            balancer().pin(route[1]);
            HttpResponse<String> replayed = login.browser().postOnce(lti.launchUri(), form);

            assertThat(replayed.statusCode()).as(route(route[0], route[1]) + ": " + replayed.body()).isEqualTo(400);
            assertThat(replayed.body()).contains("lti_state_unknown");
            assertThat(nodeOfLast("POST", LAUNCH_PATH_SUFFIX)).isEqualTo(route[1]);
            assertThat(lti.tool().launchHits()).isEqualTo(hits);
        }
    }

    /**
     * The launch hint (a single-use entry) one release mints for the tool is redeemed on the other, by a browser
     * without any Keycloak cookie; once redeemed there, it is spent on the first too.
     */
    @Test
    @Order(4)
    void aLaunchHintMintedByOneReleaseIsRedeemedOnTheOther() {
        for (int[] route : new int[][] {{OLD, NEW}, {NEW, OLD}}) {
            int minter = route[0];
            int redeemer = route[1];
            String subject = "hint-" + minter + redeemer + "-" + UUID.randomUUID();
            String contextId = "course-hint-" + minter + redeemer;
            balancer().pin(minter);
            BrowserlessUserAgent launching = lti.userAgent();
            Page launched = launching.navigate(lti.platform().loginInitiationUrl(learner(subject, contextId)));
            assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
            URI entry = launching.history().stream().filter(uri -> uri.toString().startsWith(lti.tool().launchUrl()))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(entry.getRawQuery()).contains("login_hint=lti-launch.");

            lti.tool().forwardLaunchHints(true);
            try {
                balancer().pin(redeemer);
                Page redeemed = lti.userAgent().navigate(entry.toString());
                assertThat(redeemed.uri().toString()).as(route(minter, redeemer) + ": " + redeemed.text())
                        .startsWith(lti.tool().callbackUrl());
                assertThat(nodeOfLast("GET", "/protocol/openid-connect/auth")).isEqualTo(redeemer);
                ToolLogin login = lti.tool().lastLogin();
                assertThat(login.username()).isEqualTo(("platform." + subject).toLowerCase());
                assertCarriesTheLaunch(login.idTokenClaims(), subject, contextId);
                MADE_BEFORE.put("hint, " + route(minter, redeemer), new Made(login, subject, contextId));

                balancer().pin(minter);
                int logins = lti.tool().logins().size();
                Page replayed = lti.userAgent().navigate(entry.toString());
                assertThat(replayed.document().selectFirst("form#kc-form-login"))
                        .as("spent on the node that minted it").isNotNull();
                assertThat(lti.tool().logins()).hasSize(logins);
            } finally {
                lti.tool().forwardLaunchHints(false);
            }
        }
    }

    /** The service context one release recorded at a launch serves a roster call on the other. */
    @Test
    @Order(5)
    void theServiceContextRecordedByOneReleaseServesRosterCallsOnTheOther() {
        for (int[] route : new int[][] {{OLD, NEW}, {NEW, OLD}}) {
            String subject = "teacher-" + route[0] + route[1] + "-" + UUID.randomUUID();
            ToolLogin instructor = launchOn(route[0], LtiMessage.resourceLink().user(subject, "Ada", "Lovelace")
                    .asInstructor().context(ROSTER_COURSE, "Roster"));

            HttpResponse<String> roster = rosterOn(route[1], instructor.accessToken());

            assertThat(roster.statusCode()).as(route(route[0], route[1]) + ": " + roster.body()).isEqualTo(200);
            assertThat(roster.body()).contains("Charles Babbage");
            MADE_BEFORE.put("roster, " + route(route[0], route[1]), new Made(instructor, subject, ROSTER_COURSE));
        }
    }

    /** The roster call sent to one node itself, not through the balancer. */
    private static HttpResponse<String> rosterOn(int node, String accessToken) {
        return lti.bearerCall("GET", cluster.node(node).realmUrl(lti.name()) + "/lti/nrps/memberships", accessToken,
                null);
    }

    /**
     * A deployment the previous release recorded at its first launch (a registration recording new deployments) is
     * known to this one: listed, and launched from once recording is off; a deployment never seen is refused there.
     */
    @Test
    @Order(6)
    void aDeploymentRecordedByThePreviousReleaseIsKnownToThisOne() throws Exception {
        balancer().pin(OLD);
        assertThat(launchThroughRecording(RECORDED_BY_OLD).uri().toString()).startsWith(lti.tool().callbackUrl());
        assertThat(nodeOfLast("POST", "/broker/" + RECORDING + "/endpoint")).isEqualTo(OLD);

        balancer().pin(NEW);
        HttpResponse<String> known = lti.adminLti("GET", "platforms/" + RECORDING + "/deployments", null);
        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readValue(known.body(), List.class))
                .containsExactlyInAnyOrder(LtiRealm.DEPLOYMENT_ID, RECORDED_BY_OLD);
        assertThat(nodeOfLast("GET", "/deployments")).isEqualTo(NEW);
        lti.updatePlatform(RECORDING, Map.of("recordNewDeployments", "false"));

        assertThat(launchThroughRecording(RECORDED_BY_OLD).uri().toString()).as("known on this release")
                .startsWith(lti.tool().callbackUrl());
        assertThat(nodeOfLast("POST", "/broker/" + RECORDING + "/endpoint")).isEqualTo(NEW);
        assertThatThrownBy(() -> launchThroughRecording("deployment-never-seen"))
                .as("one never seen is not").hasMessageContaining("lti_login_deployment_unknown");
    }

    private static Page launchThroughRecording(String deploymentId) {
        return lti.launchThrough(RECORDING, RECORDING_CLIENT_ID, LtiMessage.resourceLink()
                .user("dep-" + UUID.randomUUID(), "Dee", "Ployment").deploymentId(deploymentId));
    }

    /**
     * Both releases have the same change sets, applied once, by the first node to start (the previous release): the
     * second found nothing to do. No node logged an error about the schema or the extension's tables.
     */
    @Test
    @Order(7)
    void theSchemaIsTheOneBothReleasesExpectAndNoNodeLoggedAnError() throws Exception {
        String changeSets = cluster.database().query("select table_name from information_schema.tables where "
                + "lower(table_name) like 'databasechangelog%' and lower(table_name) not like '%lock%' order by 1");
        StringBuilder applied = new StringBuilder();
        for (String table : changeSets.lines().filter(l -> !l.isBlank()).toList()) {
            applied.append(cluster.database().query("select ID from " + table + " where AUTHOR = 'keycloak-lti' "
                    + "order by ID")).append('\n');
        }
        assertThat(applied.toString().lines().filter(l -> !l.isBlank()).toList()).as("in " + changeSets)
                .containsExactlyInAnyOrder("lti-deployment-1", "lti-line-item-owner-1", "lti-service-context-1");
        assertThat(cluster.database().query("select count(*) from LTI_SERVICE_CONTEXT").trim()).isNotEqualTo("0");
        assertThat(cluster.database().query("select count(*) from LTI_DEPLOYMENT where DEPLOYMENT_ID = '"
                + RECORDED_BY_OLD + "'").trim()).isEqualTo("1");
        for (int node : new int[] {OLD, NEW}) {
            assertThat(errorLines(cluster.node(node).log())).as("node " + (node + 1) + "'s errors").isEmpty();
        }
    }

    /**
     * Node 1 updated to this build's JAR (stopped, its distribution rebuilt with it, started again), as a rolling
     * update replaces the last node on the previous release: the tools' sessions from before, launched or opened by a
     * hint on either release, refresh there and keep their launch's claims; the roster call of a launch the previous
     * release received works there; its recorded deployment stays known; and node 1 now runs this release.
     */
    @Test
    @Order(8)
    void afterNode1IsUpdatedWhatWasMadeBeforeStillWorksThere() {
        long start = System.nanoTime();
        cluster.update(OLD, current);
        cluster.awaitMembers(2, Duration.ofMinutes(2));
        System.out.printf("[upgrade] node 1 updated to this build's JAR and rejoined in %d s%n",
                (System.nanoTime() - start) / 1_000_000_000);
        assertThat(MADE_BEFORE).hasSize(6);

        balancer().pin(OLD);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Made> made : MADE_BEFORE.entrySet()) {
            HttpResponse<String> refreshed = lti.tool().refresh(made.getValue().login().refreshToken());
            if (refreshed.statusCode() != 200) {
                failures.add(made.getKey() + ": " + refreshed.statusCode() + " " + refreshed.body());
                continue;
            }
            Map<String, Object> tokens = Jwts.json(refreshed.body());
            Map<String, Object> idToken = Jwts.claims((String) tokens.get("id_token"));
            assertThat(nodeOfLast("POST", TOKEN_PATH)).isEqualTo(OLD);
            assertCarriesTheLaunch(idToken, made.getValue().subject(), made.getValue().contextId());
            assertThat(idToken).as(made.getKey()).doesNotContainKey(LEGACY_USER_ID_CLAIM);
            if (made.getKey().startsWith("roster, previous")) {
                HttpResponse<String> roster = rosterOn(OLD, (String) tokens.get("access_token"));
                assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
                assertThat(roster.body()).contains("Charles Babbage");
            }
        }
        assertThat(failures).as("refresh tokens from before the update").isEmpty();

        assertThat(launchThroughRecording(RECORDED_BY_OLD).uri().toString()).as("the recorded deployment")
                .startsWith(lti.tool().callbackUrl());
        assertThat(nodeOfLast("POST", "/broker/" + RECORDING + "/endpoint")).isEqualTo(OLD);

        assertThat(contentOf(runningJar(OLD))).as("node 1's JAR now").isEqualTo(contentOf(currentJar()));
        String subject = "updated-" + UUID.randomUUID();
        ToolLogin onUpdated = launchOn(OLD, learner(subject, "course-version"));
        assertThat(onUpdated.idTokenClaims()).as("node 1 runs this build now").doesNotContainKey(LEGACY_USER_ID_CLAIM);
        for (int node : new int[] {OLD, NEW}) {
            assertThat(errorLines(cluster.node(node).log())).as("node " + (node + 1) + "'s errors").isEmpty();
        }
    }

    /**
     * A realm whose {@code lti first launch} flow the previous release made, before the flow held Keycloak's
     * Organization Member Onboard step: once a registration is linked to an organization, this release's realm setup
     * adds that one step (nothing else of the flow changes), and a new learner becomes a member.
     */
    @Test
    @Order(9)
    void aRealmSetUpByThePreviousReleaseGetsOrganizationOnboardingFromThisOnesRealmSetup() {
        balancer().pin(NEW);
        assertThat(lti.realm().flows().getExecutions("lti first launch")).as("the previous release's flow")
                .noneMatch(step -> "idp-add-organization-member".equals(step.getProviderId()));
        int steps = lti.realm().flows().getExecutions("lti first launch").size();
        String organization = lti.createOrganization("school-upgraded");
        try (Response linked = lti.realm().organizations().get(organization).identityProviders()
                .addIdentityProvider(LtiRealm.ALIAS)) {
            assertThat(linked.getStatus()).as(linked.readEntity(String.class)).isEqualTo(204);
        }
        lti.setUpRealmFor(LtiRealm.ALIAS);
        assertThat(lti.realm().flows().getExecutions("lti first launch"))
                .anyMatch(step -> "idp-add-organization-member".equals(step.getProviderId()))
                .as("the sub-flow, its condition and the step: nothing else").hasSize(steps + 3);

        LtiMessage first = LtiMessage.resourceLink().user("org-" + UUID.randomUUID(), "Org", "Learner");
        Page landed = lti.userAgent().navigate(lti.platform().loginInitiationUrl(first));

        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.organizationMembers(organization)).contains(lti.userLinkedTo(first.subject()).getId());
    }

    /**
     * A node's ERROR lines, but JGroups' own about a TLS connection it closes as a member stops (logged by the stopping
     * node while the update replaces it, and by its peer).
     */
    private static List<String> errorLines(String log) {
        return log.lines().filter(line -> line.contains(" ERROR "))
                .filter(line -> !(line.contains("[org.jgroups.protocols.TCP]")
                        && line.contains("failed sending graceful close"))).toList();
    }

    private static byte[] contentOf(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
