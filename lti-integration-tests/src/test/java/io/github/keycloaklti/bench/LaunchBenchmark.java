package io.github.keycloaklti.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.keycloak.TestCertificate;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * The launch benchmark: Keycloak 26.7.3 in production mode ({@code kc.sh build}, {@code start --optimized}) with the
 * extension, the platform emulator and the OIDC tool stand-in, driven by virtual browsers (each with its own
 * cookies) through complete launches: login initiation → platform → launch POST → tool code flow → tokens.
 * Prints, per concurrency, launches per second and p50/p95/p99 latency for first-time and returning learners,
 * and Keycloak's CPU seconds per launch; writes {@code target/bench/launch-benchmark.json}. Run:
 * {@code mvn -Pbench verify -DskipTests} (see the README).
 */
public final class LaunchBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LaunchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int learners = Integer.getInteger("bench.learners", 100);
        List<Integer> concurrencies = List.of(1, 4, 16);
        Path work = Path.of(System.getProperty("keycloak.work", "target/keycloak-run")).resolveSibling("bench");
        Files.createDirectories(work);
        TestCertificate certificate = TestCertificate.createIn(work.resolve("tls"));
        SSLContext ssl = certificate.trustingSslContext();
        SSLContext.setDefault(ssl);
        HttpsURLConnection.setDefaultSSLSocketFactory(ssl.getSocketFactory());
        Path home = Path.of(System.getProperty("keycloak.production.home"));
        System.out.println("[bench] building and starting Keycloak in production mode...");
        try (KeycloakServer keycloak = KeycloakServer.start(new KeycloakServer.Options().production(home, work)
                .certificate(certificate));
             Keycloak admin = KeycloakBuilder.builder().serverUrl(keycloak.baseUrl()).realm("master").clientId("admin-cli")
                     .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                     .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                             .sslContext(ssl).connectionPoolSize(8).build()).build()) {
            List<Map<String, Object>> results = new ArrayList<>();
            Map<String, Object> memory = new LinkedHashMap<>();
            for (int concurrency : concurrencies) {
                try (LtiRealm realm = LtiRealm.create(keycloak, admin)) {
                    long heapBefore = keycloak.liveHeapBytes();
                    results.add(measure(keycloak, realm, "first-time", learners, concurrency));
                    long heapAfter = keycloak.liveHeapBytes();
                    if (heapBefore > 0 && heapAfter > 0 && concurrency == concurrencies.get(concurrencies.size() - 1)) {
                        // each first-time launch leaves one user session (and the tool's client session) alive
                        long perSession = (heapAfter - heapBefore) / learners;
                        memory.put("live_heap_bytes_per_launch_session", perSession);
                        System.out.println("[bench] live heap per active launch session: " + perSession / 1024 + " KB");
                    }
                    results.add(measure(keycloak, realm, "returning", learners, concurrency));
                }
            }
            Path out = work.resolve("launch-benchmark.json");
            Files.writeString(out, JSON.writeValueAsString(Map.of("learners", learners, "results", results,
                    "memory", memory, "cores", Runtime.getRuntime().availableProcessors())));
            System.out.println("[bench] results: " + out.toAbsolutePath());
        }
    }

    private static Map<String, Object> measure(KeycloakServer keycloak, LtiRealm realm, String kind, int learners,
                                               int concurrency) throws Exception {
        ExecutorService browsers = Executors.newFixedThreadPool(concurrency);
        List<Future<Long>> launches = new ArrayList<>();
        long cpuBefore = keycloak.cpuMillis();
        long start = System.nanoTime();
        for (int i = 0; i < learners; i++) {
            String subject = "bench-" + concurrency + "-" + i;
            launches.add(browsers.submit(() -> {
                long begin = System.nanoTime();
                BrowserlessUserAgent browser = realm.userAgent();
                var page = browser.navigate(realm.platform().loginInitiationUrl(
                        LtiMessage.resourceLink().user(subject, "Bench", "Learner").email(subject + "@bench.example")));
                if (!page.uri().toString().startsWith(realm.tool().callbackUrl())) {
                    throw new IllegalStateException("launch failed: " + page.status() + " " + page.uri());
                }
                return (System.nanoTime() - begin) / 1_000_000;
            }));
        }
        List<Long> latencies = new ArrayList<>();
        for (Future<Long> launch : launches) {
            latencies.add(launch.get());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpu = keycloak.cpuMillis() - cpuBefore;
        browsers.shutdown();
        Collections.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("learners", kind);
        result.put("concurrency", concurrency);
        result.put("launches_per_second", Math.round(learners * 10000.0 / millis) / 10.0);
        result.put("p50_ms", latencies.get(learners / 2));
        result.put("p95_ms", latencies.get(Math.min(learners - 1, learners * 95 / 100)));
        result.put("p99_ms", latencies.get(Math.min(learners - 1, learners * 99 / 100)));
        result.put("keycloak_cpu_ms_per_launch", cpu < 0 ? null : Math.round(cpu * 10.0 / learners) / 10.0);
        System.out.println("[bench] " + result);
        return result;
    }
}
