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
        System.out.println("[faults] 20 launches with unknown kids caused " + fetched + " keyset request(s)");
        assertThat(fetched).as("keyset requests for 20 unknown kids").isLessThanOrEqualTo(2);
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
