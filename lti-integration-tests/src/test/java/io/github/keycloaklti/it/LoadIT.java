package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * A start-of-semester burst, bounded: 200 distinct learners launch at once (25 virtual browsers at a time, each
 * with its own cookies), through the platform, Keycloak and the tool's code flow. Every one must land in the tool
 * as themselves. The figures are printed, not asserted.
 */
class LoadIT extends LtiRealmTest {

    private static final int LEARNERS = 200;
    private static final int CONCURRENCY = 25;


    record Outcome(String expected, String shown, long millis, String failure) {
    }

    @Test
    void twoHundredLearnersLaunchAtOnceAndEachSeesThemselves() throws Exception {
        ExecutorService browsers = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Outcome>> launches = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < LEARNERS; i++) {
            String subject = "load-learner-" + i;
            launches.add(browsers.submit(() -> {
                long begin = System.nanoTime();
                try {
                    BrowserlessUserAgent browser = lti.userAgent();
                    Page page = browser.navigate(lti.platform().loginInitiationUrl(
                            LtiMessage.resourceLink().user(subject, "Load", "Learner").context("course-load", "Load")));
                    var username = page.document().getElementById("username");
                    return new Outcome("platform." + subject, username == null ? null : username.text(),
                            (System.nanoTime() - begin) / 1_000_000, username == null ? page.status() + " " + page.uri() + " " + page.text() : null);
                } catch (RuntimeException e) {
                    return new Outcome("platform." + subject, null, (System.nanoTime() - begin) / 1_000_000, e.toString());
                }
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> launch : launches) {
            outcomes.add(launch.get());
        }
        long totalMillis = (System.nanoTime() - start) / 1_000_000;
        browsers.shutdown();

        List<Long> latencies = new ArrayList<>(outcomes.stream().map(Outcome::millis).toList());
        Collections.sort(latencies);
        System.out.printf("[load] %d launches, %d at a time, in %d ms: %.1f launches/s, p50 %d ms, p95 %d ms, max %d ms%n",
                LEARNERS, CONCURRENCY, totalMillis, LEARNERS * 1000.0 / totalMillis, latencies.get(LEARNERS / 2),
                latencies.get(LEARNERS * 95 / 100), latencies.get(LEARNERS - 1));
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.failure()).as(outcome.expected()).isNull();
            assertThat(outcome.shown()).as("the tool shows the learner who launched").isEqualTo(outcome.expected());
        });
        assertThat(outcomes.stream().map(Outcome::shown).distinct()).hasSize(LEARNERS);
    }
}
