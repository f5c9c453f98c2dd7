package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;
import io.github.keycloaklti.testsupport.tool.ToolLogin;

/** Faults at the platform: keys unavailable, floods of unknown keys, slow services while learners keep launching. */
class PlatformFaultsIT extends LtiRealmTest {


    @AfterAll
    static void keysetBackUp() {
        lti.platform().setJwksAvailable(true);
    }

    private static Page launch(String subject) {
        return lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink().user(subject, "F", "T")));
    }

    @Test
    void launchesKeepWorkingWhenThePlatformsKeysetGoesDownAfterItsKeysWereCached() {
        assertThat(launch("warm-" + UUID.randomUUID()).uri().toString()).startsWith(lti.tool().callbackUrl());
        lti.platform().setJwksAvailable(false);
        try {
            for (int i = 0; i < 3; i++) {
                Page page = launch("cached-" + UUID.randomUUID());
                assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
            }
        } finally {
            lti.platform().setJwksAvailable(true);
        }
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheKeysetAtMostOncePerInterval() {
        launch("warm-" + UUID.randomUUID());
        int before = lti.platform().jwksRequests();
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            BadLaunchIT.StartedLogin login = BadLaunchIT.startLogin(lti, LtiMessage.resourceLink().user("kid-" + i, "K", "K"));
            RSAKey unknown = PlatformEmulator.newKey();
            String idToken = PlatformEmulator.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(unknown.getKeyID()).build(),
                    BadLaunchIT.claims(lti, login), PlatformEmulator.signer(unknown));
            HttpResponse<String> response = login.browser().postOnce(lti.launchUri(),
                    Map.of("id_token", idToken, "state", login.state()));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("lti_key_unknown");
        }
        int fetched = lti.platform().jwksRequests() - before;
        long intervals = (System.nanoTime() - started) / 2_000_000_000L; // the test server's refetch interval: 2 s
        System.out.println("[faults] 20 launches with unknown kids caused " + fetched + " keyset request(s) in "
                + (intervals + 1) + " refetch interval(s)");
        assertThat(fetched).as("keyset requests for 20 unknown kids: at most one per refetch interval")
                .isLessThanOrEqualTo((int) intervals + 2);
    }

    /**
     * A registered platform whose keyset answers one byte every 2 s (it would take minutes): thirty launches that need
     * its keys at once each get their answer within the keyset deadline (5 s by default; Keycloak fetches once for
     * all of them, and refuses at once beyond the waits a registration may hold), and Keycloak keeps answering
     * everything else meanwhile, another realm's discovery document included. Before the deadline, each launch was
     * held for as long as the platform trickled.
     */
    @Test
    void aKeysetThatTricklesHoldsNoLaunchPastItsDeadlineAndKeycloakKeepsAnswering() throws Exception {
        String alias = "trickling-" + UUID.randomUUID().toString().substring(0, 6);
        String clientId = "client-" + alias;
        Map<String, String> config = new java.util.HashMap<>(lti.platformConfig());
        config.put("clientId", clientId);
        lti.createPlatform(alias, config).close();
        lti.platform().trickleJwks(2_000);
        ExecutorService launchers = Executors.newFixedThreadPool(30);
        try {
            List<Future<long[]>> launches = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String subject = "trickle-" + i;
                launches.add(launchers.submit(() -> {
                    long start = System.nanoTime();
                    Page page = lti.launchThrough(alias, clientId, LtiMessage.resourceLink().user(subject, "T", "K"));
                    return new long[] {page.status(), (System.nanoTime() - start) / 1_000_000,
                            page.body().contains("lti_jwks_unavailable") ? 1 : 0};
                }));
            }
            Thread.sleep(1_000);
            HttpResponse<String> discovery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    lti.server().baseUrl() + "/realms/master/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.statusCode()).as("another realm answers while the launches wait").isEqualTo(200);
            long slowest = 0;
            for (Future<long[]> launch : launches) {
                long[] answer = launch.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer[0]).as("refused: the platform's keys could not be fetched").isEqualTo(502);
                assertThat(answer[2]).as("with the page that says so").isEqualTo(1);
                slowest = Math.max(slowest, answer[1]);
            }
            System.out.println("[faults] 30 launches against a trickling keyset: the slowest answered after " + slowest
                    + " ms");
            assertThat(slowest).as("no launch waited for the whole trickle (minutes)").isLessThan(30_000);
            assertThat(lti.userLinkedTo("trickle-0")).as("a refused launch creates no user").isNull();
        } finally {
            lti.platform().trickleJwks(0);
            launchers.shutdownNow();
            lti.realm().identityProviders().get(alias).remove();
        }
    }

    /**
     * One institution's roster URL trickles: its calls end at the call deadline (504), it holds at most its share of
     * the node's platform-call slots, and another institution's roster calls made meanwhile are served.
     */
    @Test
    void oneSlowInstitutionNeverHoldsEveryPlatformCallSlot() throws Exception {
        String slowCourse = "trickle-" + UUID.randomUUID().toString().substring(0, 6);
        String course = "fine-" + UUID.randomUUID().toString().substring(0, 6);
        for (String c : List.of(slowCourse, course)) {
            lti.platform().services().setMembers(c, List.of(Map.of("user_id", "u", "roles", List.of(LtiMessage.LEARNER))));
        }
        ToolLogin slowTeacher = teacherOf(slowCourse);
        ToolLogin teacher = teacherOf(course);
        String otherAlias = nextDoor();
        lti.platform().services().setMembers("other-" + course, List.of(Map.of("user_id", "v",
                "roles", List.of(LtiMessage.LEARNER))));
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            ToolLogin otherTeacher = teacherThrough(otherAlias, "other-" + course);
            lti.platform().services().trickleRoster(slowCourse, 2_000);
            List<Future<HttpResponse<String>>> slowCalls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                slowCalls.add(callers.submit(() -> http.send(roster(slowTeacher), HttpResponse.BodyHandlers.ofString())));
            }
            Thread.sleep(1_500);
            HttpResponse<String> elsewhere = http.send(roster(otherTeacher), HttpResponse.BodyHandlers.ofString());
            assertThat(elsewhere.statusCode()).as("another institution's roster: " + elsewhere.body()).isEqualTo(200);
            int timedOut = 0;
            int busy = 0;
            for (Future<HttpResponse<String>> call : slowCalls) {
                HttpResponse<String> answer = call.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (answer.statusCode() == 504) {
                    assertThat(answer.body()).contains("platform_timeout");
                    timedOut++;
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.body()).contains("platform_busy");
                    busy++;
                }
            }
            System.out.println("[faults] 16 roster calls to a trickling platform: " + timedOut + " ended at the deadline, "
                    + busy + " refused at once (its share of the slots is 4)");
            assertThat(timedOut).as("the slow registration held at most its share").isBetween(1, 4);
            lti.platform().services().trickleRoster(slowCourse, 0);
            assertThat(http.send(roster(teacher), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("the slots are free again").isEqualTo(200);
        } finally {
            lti.platform().services().trickleRoster(slowCourse, 0);
            callers.shutdownNow();
            lti.realm().identityProviders().get(otherAlias).remove();
        }
    }

    /**
     * Three institutions' rosters of about 4 MB each, of over a hundred thousand tiny members (what made 6 concurrent
     * calls fill Keycloak's heap): twelve calls at once, four per registration. Each is refused at member 50,001 as
     * its page streams by (never parsed whole), or at once where the node's answer budget is full; Keycloak stays up
     * and serves the next roster.
     */
    @Test
    void twelveConcurrentRostersOfTinyMembersNeverFillTheHeap() throws Exception {
        List<Map<String, Object>> tiny = new ArrayList<>();
        for (int i = 0; i < 115_000; i++) {
            tiny.add(Map.of("user_id", String.valueOf(1_000_000 + i), "roles", List.of()));
        }
        List<ToolLogin> teachers = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            String course = "tiny-" + r + "-" + UUID.randomUUID().toString().substring(0, 6);
            lti.platform().services().setMembers(course, tiny);
            String alias = r == 0 ? LtiRealm.ALIAS : nextDoor();
            aliases.add(alias);
            teachers.add(r == 0 ? teacherOf(course) : teacherThrough(alias, course));
        }
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ToolLogin teacher = teachers.get(i % 3);
                calls.add(callers.submit(() -> http.send(roster(teacher), HttpResponse.BodyHandlers.ofString())));
            }
            int tooLarge = 0;
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> answer = call.get(120, java.util.concurrent.TimeUnit.SECONDS);
                if (answer.statusCode() == 503) {
                    assertThat(answer.body()).contains("platform_busy");
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                    assertThat(answer.body()).contains("roster_too_large").contains("50000");
                    tooLarge++;
                }
            }
            System.out.println("[faults] 12 concurrent rosters of 115,000 tiny members: " + tooLarge
                    + " refused while streaming, " + (12 - tooLarge) + " refused at once (busy)");
            assertThat(tooLarge).isPositive();
            String course = "after-" + UUID.randomUUID().toString().substring(0, 6);
            lti.platform().services().setMembers(course, List.of(Map.of("user_id", "u", "roles", List.of(LtiMessage.LEARNER))));
            HttpResponse<String> after = http.send(roster(teacherOf(course)), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).as("Keycloak still serves rosters: " + after.body()).isEqualTo(200);
            assertThat(lti.server().log()).doesNotContain("OutOfMemoryError");
        } finally {
            callers.shutdownNow();
            for (String alias : aliases.subList(1, aliases.size())) {
                lti.realm().identityProviders().get(alias).remove();
            }
        }
    }

    /** The institution next door: another registration of the realm (its own client id at its platform), set up. */
    private static String nextDoor() {
        String alias = "next-door-" + UUID.randomUUID().toString().substring(0, 6);
        lti.addRegistration(alias, "client-" + alias);
        return alias;
    }

    private static ToolLogin teacherThrough(String alias, String course) {
        Page landed = lti.launchThrough(alias, "client-" + alias, LtiMessage.resourceLink().asInstructor()
                .user("teacher-" + UUID.randomUUID(), "O", "T").context(course, "Course"));
        assertThat(landed.uri().toString()).as(landed.text()).startsWith(lti.tool().callbackUrl());
        return lti.tool().lastLogin();
    }

    private static ToolLogin teacherOf(String course) {
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(LtiMessage.resourceLink().asInstructor()
                .user("teacher-" + UUID.randomUUID(), "S", "T").context(course, "Course")));
        assertThat(page.uri().toString()).as(page.text()).startsWith(lti.tool().callbackUrl());
        return lti.tool().lastLogin();
    }

    private static HttpRequest roster(ToolLogin teacher) {
        return HttpRequest.newBuilder(URI.create(lti.realmUrl() + "/lti/nrps/memberships"))
                .header("Authorization", "Bearer " + teacher.accessToken()).build();
    }

    @Test
    void learnersKeepLaunchingWhileFiftySlowServiceCallsAreInFlight() throws Exception {
        String course = "slow-" + UUID.randomUUID().toString().substring(0, 6);
        lti.platform().services().setMembers(course, List.of(Map.of("user_id", "u", "roles", List.of(LtiMessage.LEARNER))));
        Page page = lti.userAgent().navigate(lti.platform().loginInitiationUrl(
                LtiMessage.resourceLink().asInstructor().user("slow-teacher", "S", "T").context(course, "Slow")));
        assertThat(page.uri().toString()).startsWith(lti.tool().callbackUrl());
        ToolLogin teacher = lti.tool().lastLogin();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(50);
        try {
            lti.platform().services().delayServiceCalls(8_000);
            List<Future<HttpResponse<String>>> slowCalls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                slowCalls.add(callers.submit(() -> http.send(HttpRequest.newBuilder(URI.create(
                                lti.server().realmUrl(lti.name()) + "/lti/nrps/memberships"))
                        .header("Authorization", "Bearer " + teacher.accessToken()).build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
            Thread.sleep(1000);
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                Page launched = launch("meanwhile-" + UUID.randomUUID());
                assertThat(launched.uri().toString()).as(launched.text()).startsWith(lti.tool().callbackUrl());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("[faults] 5 launches while 50 slow NRPS calls were in flight took " + millis + " ms");
            assertThat(slowCalls.stream().filter(Future::isDone)).as("slow calls were still in flight").hasSizeLessThan(50);
            assertThat(millis).as("launches were not held up by the slow platform").isLessThan(6_000);
            int served = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> call : slowCalls) {
                HttpResponse<String> answer = call.get();
                if (answer.statusCode() == 200) {
                    served++;
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.body()).contains("platform_busy");
                    refused++;
                }
            }
            System.out.println("[faults] of 50 concurrent slow roster calls, " + served + " were served, " + refused
                    + " refused at once with 503 (bulkhead)");
            assertThat(served).isPositive();
        } finally {
            lti.platform().services().delayServiceCalls(0);
            callers.shutdownNow();
        }
    }
}
