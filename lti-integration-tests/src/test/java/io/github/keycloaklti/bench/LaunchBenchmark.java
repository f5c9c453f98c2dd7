package io.github.keycloaklti.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.keycloak.TestCertificate;
import io.github.keycloaklti.testsupport.platform.PlainOidcProvider;

/**
 * The launch benchmark, with its baseline in the same run on the same Keycloak: Keycloak 26.7.3 in production mode
 * ({@code kc.sh build}, {@code start --optimized}) with the extension, the platform emulator (LTI platform, and
 * plain OIDC provider for the baseline) and the OIDC tool stand-in, driven by virtual browsers (each with its own
 * cookies). For each concurrency: LTI launches and Keycloak-brokered OIDC logins, first-time then returning
 * learners; then an open-loop run of returning launches at half the peak rate; Keycloak's live heap per active
 * session for both. Prints figures and ratios, writes {@code target/bench/launch-benchmark.json} and
 * {@code launch-benchmark.png}. Run: {@code mvn -Pbench -DskipTests verify -pl lti-integration-tests -am}.
 * {@code -Dbench.jfr=true} records a JFR profile of Keycloak ({@code target/bench/keycloak.jfr}).
 */
public final class LaunchBenchmark {

    static final String BASELINE_ALIAS = "oidc-baseline";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LaunchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the emulator and the tool run on the JDK's HTTP server, which leaves Nagle's algorithm on: with delayed
        // ACKs that adds ~40 ms to some of their answers, which is not what a real LMS or tool would show
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // keep idle keep-alive connections longer than the pauses between runs (heap measurement, realm set-up):
        // Keycloak's pooled connection to the emulator must not meet a connection the emulator closed meanwhile
        System.setProperty("sun.net.httpserver.idleInterval", "900");
        int learners = Integer.getInteger("bench.learners", 100);
        List<Integer> concurrencies = java.util.Arrays.stream(System.getProperty("bench.concurrency", "1,2,4,8,16")
                .split(",")).map(String::trim).map(Integer::valueOf).toList();
        String only = System.getProperty("bench.flows", "both"); // lti | oidc | both (profiling one flow alone)
        List<Flow> flows = switch (only) {
            case "lti" -> List.of(Flow.LTI);
            case "oidc" -> List.of(Flow.OIDC_BROKER);
            default -> List.of(Flow.LTI, Flow.OIDC_BROKER);
        };
        Path work = Path.of(System.getProperty("keycloak.work", "target/keycloak-run")).resolveSibling("bench");
        Files.createDirectories(work);
        TestCertificate certificate = TestCertificate.createIn(work.resolve("tls"));
        SSLContext ssl = certificate.trustingSslContext();
        SSLContext.setDefault(ssl);
        HttpsURLConnection.setDefaultSSLSocketFactory(ssl.getSocketFactory());
        Path home = Path.of(System.getProperty("keycloak.production.home"));
        KeycloakServer.Options options = new KeycloakServer.Options().production(home, work).certificate(certificate);
        if (Boolean.getBoolean("bench.jfr")) {
            options.env("JAVA_OPTS_APPEND", "-XX:StartFlightRecording=filename=" + work.toAbsolutePath()
                    .resolve("keycloak.jfr") + ",settings=profile,dumponexit=true");
        }
        System.out.println("[bench] building and starting Keycloak in production mode...");
        try (KeycloakServer keycloak = KeycloakServer.start(options);
             Keycloak admin = KeycloakBuilder.builder().serverUrl(keycloak.baseUrl()).realm("master").clientId("admin-cli")
                     .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                     .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                             .sslContext(ssl).connectionPoolSize(8).build()).build()) {
            List<Map<String, Object>> results = new ArrayList<>();
            Map<String, Object> report = new LinkedHashMap<>();

            System.out.println("[bench] warming up (JIT) with both flows...");
            try (LtiRealm warm = realm(keycloak, admin)) {
                for (Flow flow : flows) {
                    Load.closedLoop(keycloak, warm, flow, "warm", 60, 4);
                }
            }

            Map<String, Object> memory = new LinkedHashMap<>();
            for (int concurrency : concurrencies) {
                try (LtiRealm realm = realm(keycloak, admin)) {
                    for (Flow flow : flows) {
                        long heapBefore = concurrency == concurrencies.get(0) ? keycloak.liveHeapBytes() : -1;
                        String histogramBefore = Boolean.getBoolean("bench.histogram") && heapBefore > 0
                                ? keycloak.classHistogram() : null;
                        results.add(Load.closedLoop(keycloak, realm, flow, "first-time", learners, concurrency));
                        if (histogramBefore != null) {
                            Files.writeString(work.resolve("histogram-" + flow.name() + "-before.txt"), histogramBefore);
                            Files.writeString(work.resolve("histogram-" + flow.name() + "-after.txt"),
                                    keycloak.classHistogram());
                        }
                        if (heapBefore > 0) {
                            long heapAfter = keycloak.liveHeapBytes();
                            memory.put(flow.name() + "_live_heap_bytes_per_session",
                                    (heapAfter - heapBefore) / learners);
                        }
                        results.add(Load.closedLoop(keycloak, realm, flow, "returning", learners, concurrency));
                    }
                }
            }
            report.put("closed_loop", results);
            if (flows.size() < 2) {
                Files.writeString(work.resolve("launch-benchmark-" + only + ".json"), JSON.writeValueAsString(report));
                return;
            }

            Map<String, Object> lti = best(results, Flow.LTI.name());
            Map<String, Object> base = best(results, Flow.OIDC_BROKER.name());
            double ratio = (double) lti.get("per_second") / (double) base.get("per_second");
            System.out.printf("[bench] peak returning: LTI launches %.1f/s (at %s), OIDC brokered logins %.1f/s (at %s): "
                    + "ratio %.2fx (target at least 1.2x)%n", lti.get("per_second"), lti.get("concurrency"),
                    base.get("per_second"), base.get("concurrency"), ratio);
            report.put("peak_returning", Map.of("lti_per_second", lti.get("per_second"),
                    "baseline_per_second", base.get("per_second"), "ratio", Math.round(ratio * 100) / 100.0));

            List<Map<String, Object>> paced = new ArrayList<>();
            try (LtiRealm realm = realm(keycloak, admin)) {
                Load.closedLoop(keycloak, realm, Flow.LTI, "first-time", learners, 4);
                Load.closedLoop(keycloak, realm, Flow.OIDC_BROKER, "first-time", learners, 4);
                paced.add(Load.openLoop(keycloak, realm, Flow.LTI, learners, (double) lti.get("per_second") / 2));
                paced.add(Load.openLoop(keycloak, realm, Flow.OIDC_BROKER, learners, (double) base.get("per_second") / 2));
            }
            report.put("half_peak_open_loop", paced);

            if (memory.size() == 2) {
                long ours = (long) memory.get(Flow.LTI.name() + "_live_heap_bytes_per_session");
                long theirs = (long) memory.get(Flow.OIDC_BROKER.name() + "_live_heap_bytes_per_session");
                memory.put("lti_over_baseline_bytes_per_session", ours - theirs);
                System.out.printf("[bench] live heap per active session: LTI launch %d KB, OIDC brokered login %d KB: "
                        + "the LTI launch keeps %+.1f KB more (target under 16 KB)%n", ours / 1024, theirs / 1024,
                        (ours - theirs) / 1024.0);
            }
            report.put("memory", memory);
            report.put("learners_per_run", learners);
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("keycloak", "26.7.3 production mode, file database, one node, HTTPS on loopback");
            Path out = work.resolve("launch-benchmark.json");
            Files.writeString(out, JSON.writeValueAsString(report));
            Path png = work.resolve("launch-benchmark.png");
            BenchmarkPlot.write(results, png);
            System.out.println("[bench] results: " + out.toAbsolutePath() + ", plot: " + png.toAbsolutePath());
        }
    }

    private static Map<String, Object> best(List<Map<String, Object>> results, String flow) {
        return results.stream().filter(r -> flow.equals(r.get("flow")) && "returning".equals(r.get("learners")))
                .max((a, b) -> Double.compare((double) a.get("per_second"), (double) b.get("per_second")))
                .orElseThrow();
    }

    /** A fresh realm with the LTI platform and, for the baseline, the emulator registered as an OIDC provider. */
    private static LtiRealm realm(KeycloakServer keycloak, Keycloak admin) {
        LtiRealm realm = LtiRealm.create(keycloak, admin);
        PlainOidcProvider oidc = realm.platform().oidcProvider();
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(BASELINE_ALIAS);
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        // the same first-login flow and sync mode as the LTI registration: no prompt, user created if unique
        idp.setFirstBrokerLoginFlowAlias("lti first launch");
        Map<String, String> config = new HashMap<>();
        config.put("issuer", oidc.issuer());
        config.put("authorizationUrl", oidc.authorizationUrl());
        config.put("tokenUrl", oidc.tokenUrl());
        config.put("jwksUrl", realm.platform().jwksUrl());
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("clientId", PlainOidcProvider.CLIENT_ID);
        config.put("clientSecret", PlainOidcProvider.CLIENT_SECRET);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", "openid");
        config.put("loginHint", "true");
        config.put("disableUserInfo", "true");
        config.put("syncMode", "FORCE");
        idp.setConfig(config);
        try (Response response = realm.realm().identityProviders().create(idp)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("cannot add the baseline OIDC provider: " + response.getStatus());
            }
        }
        return realm;
    }
}
