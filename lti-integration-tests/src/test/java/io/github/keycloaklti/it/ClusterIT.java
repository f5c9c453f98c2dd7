package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/**
 * Two production-mode Keycloak nodes sharing one PostgreSQL database and forming one cluster (discovery through
 * the database, Keycloak's default), behind a load balancer without sticky sessions. Everything a launch keeps
 * between requests (authentication session, spent nonce, user session, service context) must be visible on the
 * other node; a node or the database failing must not lose or mix anything. The ordered tests end with the
 * destructive ones (a node killed, the database restarted).
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String LAUNCH_PATH_SUFFIX = "/broker/" + LtiRealm.ALIAS + "/endpoint";

    private static KeycloakCluster cluster;
    private static Keycloak admin;
    private static LtiRealm lti;
    private static final List<String> SECRETS_SEEN = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster(KeycloakServer shared) {
        Path work = Path.of(System.getProperty("keycloak.work")).resolveSibling("cluster");
        cluster = KeycloakCluster.start(Path.of(System.getProperty("keycloak.production.home")),
                Path.of(System.getProperty("keycloak.providers")), work, 2, shared.certificate());
        admin = KeycloakBuilder.builder().serverUrl(cluster.url()).realm("master").clientId("admin-cli")
                .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                        .sslContext(shared.certificate().trustingSslContext()).connectionPoolSize(10).build())
                .build();
        lti = LtiRealm.create(cluster.url(), shared.certificate(), admin);
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

    /** A browser whose requests go to {@code first} until the launch POST, which goes to {@code second}. */
    private static BrowserlessUserAgent browserSwitchingAtLaunch(int first, int second) {
        balancer().pin(first);
        return lti.userAgent().beforeEachRequest((method, uri) -> {
            if ("POST".equals(method) && uri.getPath().endsWith(LAUNCH_PATH_SUFFIX)) {
                balancer().pin(second);
            }
        });
    }

    private static int nodeOfLastLaunchPost() {
        List<LoadBalancer.Forwarded> posts = balancer().forwarded().stream()
                .filter(f -> "POST".equals(f.method()) && f.path().endsWith(LAUNCH_PATH_SUFFIX)).toList();
        return posts.get(posts.size() - 1).node();
    }

    private static LtiMessage learner(String subject) {
        return LtiMessage.resourceLink().user(subject, "Clu", "Ster").context("course-cluster", "Clusters 101");
    }

    private static void remember(BrowserlessUserAgent browser) {
        for (HttpCookie cookie : browser.cookies().getCookieStore().getCookies()) {
            if (cookie.getValue() != null && cookie.getValue().length() > 16) {
                SECRETS_SEEN.add(cookie.getValue());
            }
        }
        lti.tool().logins().forEach(login -> SECRETS_SEEN.add(login.accessToken()));
        SECRETS_SEEN.addAll(lti.platform().services().issuedTokens());
        lti.platform().services().receivedAssertions()
                .forEach(assertion -> SECRETS_SEEN.add(assertion.substring(assertion.lastIndexOf('.') + 1)));
    }

    @Test
    @Order(1)
    void aNodeJoinsTheOtherThroughTheSharedDatabase() {
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(KeycloakCluster.lastViewSize(node)).isEqualTo(2));
    }

    @Test
    @Order(2)
    void aLaunchStartedOnOneNodeCompletesOnTheOther() {
        for (int[] route : new int[][] {{0, 1}, {1, 0}}) {
            String subject = "cross-" + route[0] + route[1] + "-" + UUID.randomUUID();
            BrowserlessUserAgent browser = browserSwitchingAtLaunch(route[0], route[1]);

            Page page = browser.navigate(lti.platform().loginInitiationUrl(learner(subject)));

            assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
            assertThat(nodeOfLastLaunchPost()).isEqualTo(route[1]);
            assertThat(lti.tool().lastLogin().username()).isEqualTo("platform." + subject);
            remember(browser);
        }
    }

    @Test
    @Order(3)
    void aLaunchAcceptedOnOneNodeIsRefusedWhenReplayedOnTheOther() {
        for (int[] route : new int[][] {{0, 1}, {1, 0}}) {
            balancer().pin(route[0]);
            BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti, learner("replay-" + UUID.randomUUID()));
            Map<String, String> form = Map.of("id_token", lti.platform().idToken(login.message(), login.nonce()),
                    "state", login.state());
            Page accepted = login.browser().follow(login.browser().postOnce(lti.launchUri(), form));
            assertThat(accepted.uri().toString()).as(accepted.text()).startsWith(lti.tool().callbackUrl());
            int sessions = lti.sessionCount();
            int hits = lti.tool().launchHits();

            balancer().pin(route[1]);
            HttpResponse<String> sameBrowser = login.browser().postOnce(lti.launchUri(), form);
            HttpResponse<String> otherBrowser = lti.userAgent().postOnce(lti.launchUri(), form);

            for (HttpResponse<String> replay : List.of(sameBrowser, otherBrowser)) {
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(400);
                assertThat(replay.body()).contains("lti_state_unknown");
                assertThat(replay.headers().firstValue("Location")).isEmpty();
            }
            assertThat(lti.sessionCount()).isEqualTo(sessions);
            assertThat(lti.tool().launchHits()).isEqualTo(hits);
            remember(login.browser());
        }
    }

    @Test
    @Order(4)
    void deepLinkingAndRosterCallsWorkOnTheNodeThatDidNotSeeTheLaunch() throws Exception {
        balancer().pin(0);
        BrowserlessUserAgent browser = lti.userAgent();
        Page page = browser.navigate(lti.platform().loginInitiationUrl(
                LtiMessage.deepLinking().user("teacher-" + UUID.randomUUID(), "Ada", "Lovelace")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        ToolLogin deepLinking = lti.tool().lastLogin();
        lti.platform().services().setMembers("course-roster", List.of(
                Map.of("user_id", "t1", "name", "Ada Lovelace", "roles", List.of(LtiMessage.INSTRUCTOR), "status", "Active"),
                Map.of("user_id", "s1", "name", "Charles Babbage", "roles", List.of(LtiMessage.LEARNER), "status", "Active")));
        remember(browser);
        browser = lti.userAgent(); // another person: the same browser would end the first one's session
        page = browser.navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink()
                .user("instructor-" + UUID.randomUUID(), "Ada", "Lovelace").asInstructor()
                .context("course-roster", "Roster")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        ToolLogin instructor = lti.tool().lastLogin();
        remember(browser);

        balancer().pin(1);
        HttpResponse<String> response = lti.tool().deepLinkingResponse(deepLinking.accessToken(),
                "{\"content_items\":[{\"type\":\"link\",\"url\":\"https://example.org/x\",\"title\":\"X\"}]}",
                "application/json");
        HttpResponse<String> roster = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(lti.realmUrl() + "/lti/nrps/memberships"))
                .header("Authorization", "Bearer " + instructor.accessToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"jwt\"");
        assertThat(roster.statusCode()).as(roster.body()).isEqualTo(200);
        assertThat(roster.body()).contains("Charles Babbage");
        assertThat(balancer().forwarded().get(balancer().forwarded().size() - 1).node()).isEqualTo(1);
    }

    record Outcome(String expected, String shown, String failure) {
    }

    @Test
    @Order(5)
    void twoHundredLearnersLaunchAtOnceOverBothNodesAndEachSeesThemselves() throws Exception {
        int learners = 200;
        balancer().roundRobin();
        ExecutorService browsers = Executors.newFixedThreadPool(learners);
        List<Future<Outcome>> launches = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < learners; i++) {
            String subject = "cluster-learner-" + i;
            launches.add(browsers.submit(() -> {
                try {
                    Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(learner(subject)));
                    var shown = page.document().getElementById("username");
                    return new Outcome("platform." + subject, shown == null ? null : shown.text(),
                            shown == null ? page.status() + " " + page.uri() + " " + page.text() : null);
                } catch (RuntimeException e) {
                    return new Outcome("platform." + subject, null, e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                }
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> launch : launches) {
            outcomes.add(launch.get());
        }
        browsers.shutdown();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long toNode0 = balancer().forwarded().stream().filter(f -> f.node() == 0).count();
        long toNode1 = balancer().forwarded().stream().filter(f -> f.node() == 1).count();
        System.out.printf("[cluster load] %d concurrent first launches over 2 nodes in %d ms (%.1f/s); requests "
                + "node 1: %d, node 2: %d; passed on again after an empty response (kept-alive connection closing): "
                + "%d%n", learners, millis, learners * 1000.0 / millis, toNode0, toNode1,
                balancer().emptyResponsesRetried());

        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.failure()).as(outcome.expected()).isNull();
            assertThat(outcome.shown()).as("the tool shows the learner who launched").isEqualTo(outcome.expected());
        });
        assertThat(toNode0).isGreaterThan(learners);
        assertThat(toNode1).isGreaterThan(learners);
    }

    @Test
    @Order(6)
    void whenANodeDiesMidLaunchTheOtherFinishesItAndTheNodeRejoinsLater() {
        String subject = "survivor-" + UUID.randomUUID();
        balancer().pin(0);
        BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti, learner(subject));

        cluster.node(0).kill();
        balancer().pin(1);
        Page finished = login.browser().follow(login.browser().postOnce(lti.launchUri(),
                Map.of("id_token", lti.platform().idToken(login.message(), login.nonce()), "state", login.state())));
        assertThat(finished.uri().toString()).as("the launch begun on the dead node " + finished.text())
                .startsWith(lti.tool().callbackUrl());
        String newcomer = "while-down-" + UUID.randomUUID();
        Page fresh = lti.userAgent().navigate(lti.platform().loginInitiationUrl(learner(newcomer)));
        assertThat(fresh.uri().toString()).as(fresh.text()).startsWith(lti.tool().callbackUrl());

        long restart = System.nanoTime();
        cluster.node(0).restart();
        cluster.awaitMembers(2, Duration.ofMinutes(2));
        System.out.printf("[cluster] node 1 killed mid-launch: node 2 finished it; node 1 restarted and rejoined in "
                + "%d s%n", (System.nanoTime() - restart) / 1_000_000_000);
        balancer().pin(0);
        Page back = lti.userAgent().navigate(lti.platform().loginInitiationUrl(learner(newcomer)));

        assertThat(back.uri().toString()).as(back.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.tool().lastLogin().username()).isEqualTo("platform." + newcomer);
        assertThat(lti.realm().users().search("platform." + newcomer, true)).hasSize(1);
    }

    @Test
    @Order(7)
    void whilePostgresIsDownLaunchesFailCleanlyAndAfterItIsBackTheySucceed() {
        balancer().roundRobin();
        int hits = lti.tool().launchHits();
        cluster.database().stop();
        String subject = "db-down-" + UUID.randomUUID();
        long begin = System.nanoTime();
        Page refused;
        try {
            refused = lti.userAgent().navigate(lti.platform().loginInitiationUrl(learner(subject)));
        } finally {
            cluster.database().restart();
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        long seconds = millis / 1000;

        assertThat(refused.status()).as(refused.text()).isBetween(400, 599);
        assertThat(refused.uri().toString()).doesNotStartWith(lti.tool().baseUrl());
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(seconds).as("the failure is not a hang").isLessThan(60);
        assertThat(lti.tool().launchHits()).isEqualTo(hits);

        Page recovered = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            recovered = lti.userAgent().navigate(lti.platform().loginInitiationUrl(learner(subject)));
            if (recovered.uri().toString().startsWith(lti.tool().callbackUrl())) {
                break;
            }
            sleep(2000);
        }
        assertThat(recovered.uri().toString()).as(recovered.text()).startsWith(lti.tool().callbackUrl());
        assertThat(lti.realm().users().search("platform." + subject, true)).hasSize(1);
        System.out.printf("[cluster] PostgreSQL down: the launch ended on a %d page after %d ms; back up: the next "
                + "launch succeeded%n", refused.status(), millis);
    }

    /**
     * A course nobody launched for longer than the retention (400 days by default) loses its service context; one
     * launched recently keeps it. Rows written straight into the database, as a year of launches would leave them.
     */
    @Test
    @Order(8)
    void serviceContextsNotLaunchedForLongerThanTheRetentionAreRemoved() throws Exception {
        long now = System.currentTimeMillis();
        String realmId = lti.realm().toRepresentation().getId();
        String insert = "insert into LTI_SERVICE_CONTEXT (ID, REALM_ID, PLATFORM_ALIAS, TOOL_CLIENT_ID, DEPLOYMENT_ID, "
                + "CONTEXT_ID, MEMBERSHIPS_URL, UPDATED_AT) values ('%s', '%s', '%s', '%s', 'd', '%s', "
                + "'https://platform.example/nrps', %d)";
        cluster.database().query(String.format(insert, "stale-context", realmId, LtiRealm.ALIAS, LtiRealm.TOOL_CLIENT_ID,
                "course-2025", now - Duration.ofDays(401).toMillis()));
        cluster.database().query(String.format(insert, "recent-context", realmId, LtiRealm.ALIAS,
                LtiRealm.TOOL_CLIENT_ID, "course-2026", now - Duration.ofDays(200).toMillis()));

        String left = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            left = cluster.database().query("select ID from LTI_SERVICE_CONTEXT where ID in "
                    + "('stale-context', 'recent-context') order by ID");
            if (!left.contains("stale-context")) {
                break;
            }
            sleep(1000);
        }
        assertThat(left.lines().toList()).containsExactly("recent-context");
    }

    @Test
    @Order(9)
    void noNodeLogsATokenOrACookieValue() {
        remember(lti.userAgent());
        String logs = cluster.logs();
        assertThat(logs).as("the refused replays were logged (this is the nodes' log)").contains("lti_state_unknown");
        assertThat(SECRETS_SEEN).isNotEmpty();
        for (String secret : SECRETS_SEEN) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
