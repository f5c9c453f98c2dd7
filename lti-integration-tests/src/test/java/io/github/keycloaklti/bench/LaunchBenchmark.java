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
import io.github.keycloaklti.testsupport.http.JdkHttpServers;
import io.github.keycloaklti.testsupport.keycloak.KeycloakCluster;
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
        JdkHttpServers.configure(); // the emulator's and the tool's servers: see there
        int learners = Integer.getInteger("bench.learners", 100);
        int repeats = Integer.getInteger("bench.repeats", 3);
        int burstLearners = Integer.getInteger("bench.burst.learners", 300);
        int burstWindow = Integer.getInteger("bench.burst.seconds", 10);
        int memoryLearners = Integer.getInteger("bench.memory.learners", 1000);
        int settleSeconds = Integer.getInteger("bench.settle.seconds", 150); // 0: no memory phase
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
            Target target = Target.of(keycloak);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("keycloak", "26.7.3 production mode, file database, one node, HTTPS on loopback");
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("learners_per_run", learners);
            report.put("repeats", repeats);

            System.out.println("[bench] warming up (JIT) with both flows...");
            try (LtiRealm warm = realm(keycloak, admin)) {
                for (Flow flow : flows) {
                    Load.closedLoop(target, warm, flow, "warm", 300, 4);
                }
            }

            // -Dbench.registrations=N (default 10,000; 0: none): the realm of a company with a registration per
            // school; -Dbench.only=registrations runs that phase alone
            int registrations = Integer.getInteger("bench.registrations", 10_000);
            if ("registrations".equals(System.getProperty("bench.only"))) {
                try (LtiRealm realm = realm(keycloak, admin)) {
                    report.put("registrations", Registrations.measure(target, realm, registrations));
                }
                Files.writeString(work.resolve("launch-benchmark-registrations.json"), JSON.writeValueAsString(report));
                return;
            }

            // memory first, on a server that only warmed up: later phases leave entries of their removed realms
            // (and H2's page cache) that would move the baseline of the measurement
            if (settleSeconds > 0 && flows.size() == 2) {
                List<Map<String, Object>> memory = new ArrayList<>();
                for (Flow flow : flows) {
                    try (LtiRealm realm = realm(keycloak, admin)) {
                        memory.add(Memory.measure(keycloak, realm, flow, memoryLearners, settleSeconds, work));
                    }
                }
                long ltiSteady = (long) memory.get(0).get("steady_bytes_per_session");
                long baseSteady = (long) memory.get(1).get("steady_bytes_per_session");
                long ltiLive = (long) memory.get(0).get("live_bytes_per_session");
                long baseLive = (long) memory.get(1).get("live_bytes_per_session");
                System.out.printf("[bench] heap per active session, LTI over baseline: live %+.1f KB, steady state "
                        + "%+.1f KB (target at most 16 KB)%n", (ltiLive - baseLive) / 1024.0,
                        (ltiSteady - baseSteady) / 1024.0);
                report.put("memory", memory);
            }

            // every configuration `repeats` times, the two flows alternating which goes first, each in the same
            // windows of the same run: ratios of medians, not of one noisy run
            List<Map<String, Object>> results = new ArrayList<>();
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (int concurrency : concurrencies) {
                    try (LtiRealm realm = realm(keycloak, admin)) {
                        List<Flow> order = new ArrayList<>(flows);
                        if (repeat % 2 == 0) {
                            java.util.Collections.reverse(order);
                        }
                        for (Flow flow : order) {
                            for (String kind : List.of("first-time", "returning")) {
                                Map<String, Object> run = Load.closedLoop(target, realm, flow, kind, learners,
                                        concurrency);
                                run.put("repeat", repeat);
                                results.add(run);
                            }
                        }
                    }
                }
            }
            report.put("closed_loop_medians", Medians.closedLoop(results));
            report.put("closed_loop_runs", results);
            if (flows.size() < 2) {
                Files.writeString(work.resolve("launch-benchmark-" + only + ".json"), JSON.writeValueAsString(report));
                return;
            }

            List<Double> peakRatios = new ArrayList<>();
            List<Double> ltiPeaks = new ArrayList<>();
            List<Double> basePeaks = new ArrayList<>();
            for (int repeat = 1; repeat <= repeats; repeat++) {
                int r = repeat;
                List<Map<String, Object>> ofRepeat = results.stream().filter(x -> (int) x.get("repeat") == r).toList();
                double lti = (double) best(ofRepeat, Flow.LTI.name()).get("per_second");
                double base = (double) best(ofRepeat, Flow.OIDC_BROKER.name()).get("per_second");
                ltiPeaks.add(lti);
                basePeaks.add(base);
                peakRatios.add(lti / base);
            }
            Map<String, Object> peak = new LinkedHashMap<>();
            peak.put("lti_per_second", Medians.spread(ltiPeaks));
            peak.put("baseline_per_second", Medians.spread(basePeaks));
            peak.put("ratio", Medians.spread(peakRatios));
            report.put("peak_returning", peak);
            System.out.printf("[bench] peak returning, median of %d: LTI launches %.1f/s, OIDC brokered logins %.1f/s: "
                    + "ratio %.2fx (runs %s; target at least 1.2x)%n", repeats, Medians.of(ltiPeaks),
                    Medians.of(basePeaks), Medians.of(peakRatios), peak.get("ratio"));

            // Keycloak CPU per returning login, the two flows at the same concurrency in the same repetition
            Map<String, Object> cpuRatios = new LinkedHashMap<>();
            List<Double> allCpuRatios = new ArrayList<>();
            for (int concurrency : concurrencies) {
                List<Double> ratios = new ArrayList<>();
                for (int repeat = 1; repeat <= repeats; repeat++) {
                    Double lti = cpuPerLogin(results, Flow.LTI.name(), concurrency, repeat);
                    Double base = cpuPerLogin(results, Flow.OIDC_BROKER.name(), concurrency, repeat);
                    if (lti != null && base != null && base > 0) {
                        ratios.add(lti / base);
                    }
                }
                allCpuRatios.addAll(ratios);
                if (!ratios.isEmpty()) {
                    cpuRatios.put("c" + concurrency, Medians.spread(ratios));
                }
            }
            cpuRatios.put("all", Medians.spread(allCpuRatios));
            report.put("cpu_per_returning_login_ratio", cpuRatios);
            System.out.printf("[bench] Keycloak CPU per returning login, LTI / baseline: median %.2fx (target at most "
                    + "0.8x)%n", Medians.of(allCpuRatios));

            List<Map<String, Object>> paced = new ArrayList<>();
            try (LtiRealm realm = realm(keycloak, admin)) {
                Load.closedLoop(target, realm, Flow.LTI, "first-time", learners, 4);
                Load.closedLoop(target, realm, Flow.OIDC_BROKER, "first-time", learners, 4);
                paced.add(Load.openLoop(target, realm, Flow.LTI, learners, Medians.of(ltiPeaks) / 2));
                paced.add(Load.openLoop(target, realm, Flow.OIDC_BROKER, learners, Medians.of(basePeaks) / 2));
            }
            report.put("half_peak_open_loop", paced);

            if (burstLearners > 0) {
                System.out.printf("[bench] the 9:00 lecture: %d learners within %d s, half of them first launches%n",
                        burstLearners, burstWindow);
                List<Map<String, Object>> bursts = new ArrayList<>();
                for (Flow flow : flows) {
                    try (LtiRealm realm = realm(keycloak, admin)) {
                        bursts.add(Load.burst(target, realm, flow, burstLearners, burstWindow));
                    }
                }
                report.put("burst", bursts);
            }

            if (burstLearners > 0 && Boolean.parseBoolean(System.getProperty("bench.cluster", "true"))) {
                report.put("cluster_burst", clusterBurst(home, work, certificate, ssl, burstLearners, burstWindow));
            }

            if (registrations > 1) {
                try (LtiRealm realm = realm(keycloak, admin)) {
                    report.put("registrations", Registrations.measure(target, realm, registrations));
                }
            }

            Path out = work.resolve("launch-benchmark.json");
            Files.writeString(out, JSON.writeValueAsString(report));
            Path png = work.resolve("launch-benchmark.png");
            BenchmarkPlot.write(Medians.closedLoop(results), png);
            System.out.println("[bench] results: " + out.toAbsolutePath() + ", plot: " + png.toAbsolutePath());
        }
    }

    /**
     * The same burst through two production nodes on PostgreSQL behind the harness's balancer (the ClusterIT
     * topology), on the same machine: what a second node buys when both share its cores with everything else.
     */
    private static List<Map<String, Object>> clusterBurst(Path home, Path work, TestCertificate certificate,
            SSLContext ssl, int learners, int windowSeconds) throws Exception {
        System.out.println("[bench] the same burst through a two-node cluster on PostgreSQL...");
        List<Map<String, Object>> bursts = new ArrayList<>();
        try (KeycloakCluster cluster = KeycloakCluster.start(home, Path.of(System.getProperty("keycloak.providers")),
                work.resolve("cluster"), 2, certificate);
             Keycloak admin = KeycloakBuilder.builder().serverUrl(cluster.url()).realm("master").clientId("admin-cli")
                     .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                     .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                             .sslContext(ssl).connectionPoolSize(8).build()).build()) {
            Target nodes = Target.of(cluster);
            try (LtiRealm warm = realm(cluster.url(), certificate, admin)) {
                Load.closedLoop(nodes, warm, Flow.LTI, "warm", 200, 4);
                Load.closedLoop(nodes, warm, Flow.OIDC_BROKER, "warm", 200, 4);
            }
            for (Flow flow : List.of(Flow.LTI, Flow.OIDC_BROKER)) {
                try (LtiRealm realm = realm(cluster.url(), certificate, admin)) {
                    Map<String, Object> burst = Load.burst(nodes, realm, flow, learners, windowSeconds);
                    burst.put("nodes", 2);
                    bursts.add(burst);
                }
            }
        }
        return bursts;
    }

    private static Double cpuPerLogin(List<Map<String, Object>> results, String flow, int concurrency, int repeat) {
        return results.stream().filter(r -> flow.equals(r.get("flow")) && "returning".equals(r.get("learners"))
                        && (int) r.get("concurrency") == concurrency && (int) r.get("repeat") == repeat)
                .map(r -> (Double) r.get("keycloak_cpu_ms_per_login")).findFirst().orElse(null);
    }

    private static Map<String, Object> best(List<Map<String, Object>> results, String flow) {
        return results.stream().filter(r -> flow.equals(r.get("flow")) && "returning".equals(r.get("learners")))
                .max((a, b) -> Double.compare((double) a.get("per_second"), (double) b.get("per_second")))
                .orElseThrow();
    }

    private static LtiRealm realm(KeycloakServer keycloak, Keycloak admin) {
        return realm(keycloak.baseUrl(), keycloak.certificate(), admin);
    }

    /** A fresh realm with the LTI platform and, for the baseline, the emulator registered as an OIDC provider. */
    private static LtiRealm realm(String keycloakUrl, TestCertificate certificate, Keycloak admin) {
        LtiRealm realm = LtiRealm.create(keycloakUrl, certificate, admin);
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
