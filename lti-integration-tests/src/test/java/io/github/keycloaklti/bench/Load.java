package io.github.keycloaklti.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;

/** Drives a flow: closed loop (C virtual browsers back to back) or open loop (a fixed arrival rate). */
final class Load {

    private record Sample(long millis, Map<String, Double> steps) {
    }

    private Load() {
    }

    static String subject(Flow flow, int concurrency, int i) {
        return flow.name() + "-c" + concurrency + "-" + i;
    }

    /** {@code learners} logins, {@code concurrency} at a time; "returning" reuses the first-time run's learners. */
    static Map<String, Object> closedLoop(Target keycloak, LtiRealm realm, Flow flow, String kind,
            int learners, int concurrency) throws Exception {
        ExecutorService browsers = Executors.newFixedThreadPool(concurrency);
        Steps steps = new Steps(keycloak.baseUrl(), realm.platform().baseUrl(), realm.tool().baseUrl());
        List<Future<Sample>> runs = new ArrayList<>();
        long cpuBefore = keycloak.cpuMillis();
        long start = System.nanoTime();
        for (int i = 0; i < learners; i++) {
            String subject = subject(flow, concurrency, i);
            runs.add(browsers.submit(() -> once(realm, flow, subject, steps, System.nanoTime())));
        }
        List<Sample> samples = collect(runs);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpu = keycloak.cpuMillis() - cpuBefore;
        browsers.shutdown();
        Map<String, Object> result = summary(flow, kind, samples, millis, cpu, learners);
        result.put("concurrency", concurrency);
        print(result);
        return result;
    }

    /** Returning learners of the concurrency-4 run arriving at {@code perSecond}, whatever the answers take. */
    static Map<String, Object> openLoop(Target keycloak, LtiRealm realm, Flow flow, int learners,
            double perSecond) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            subjects.add(subject(flow, 4, i));
        }
        Map<String, Object> result = arrivals(keycloak, realm, flow, "returning", subjects, perSecond);
        result.put("offered_per_second", Math.round(perSecond * 10) / 10.0);
        print(result);
        return result;
    }

    /**
     * The 9:00 lecture: {@code learners} arriving evenly within {@code windowSeconds} (open loop, whatever the
     * answers take), every other one a first launch, the others returning (launched once before the burst).
     */
    static Map<String, Object> burst(Target keycloak, LtiRealm realm, Flow flow, int learners,
            int windowSeconds) throws Exception {
        int returning = learners / 2;
        closedLoop(keycloak, realm, flow, "burst-prep", returning, 4);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            subjects.add(i % 2 == 0 && i / 2 < returning ? subject(flow, 4, i / 2) : flow.name() + "-burst-" + i);
        }
        Map<String, Object> result = arrivals(keycloak, realm, flow, "burst", subjects,
                (double) learners / windowSeconds);
        result.put("window_seconds", windowSeconds);
        result.put("first_launches", learners - returning);
        result.put("offered_per_second", Math.round(learners * 10.0 / windowSeconds) / 10.0);
        print(result);
        return result;
    }

    private static Map<String, Object> arrivals(Target keycloak, LtiRealm realm, Flow flow, String kind,
            List<String> subjects, double perSecond) throws Exception {
        ExecutorService browsers = Executors.newCachedThreadPool();
        Steps steps = new Steps(keycloak.baseUrl(), realm.platform().baseUrl(), realm.tool().baseUrl());
        List<Future<Sample>> runs = new ArrayList<>();
        long intervalNanos = (long) (1e9 / perSecond);
        long cpuBefore = keycloak.cpuMillis();
        long start = System.nanoTime();
        for (int i = 0; i < subjects.size(); i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String subject = subjects.get(i);
            runs.add(browsers.submit(() -> once(realm, flow, subject, steps, due)));
        }
        List<Sample> samples = collect(runs);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpu = keycloak.cpuMillis() - cpuBefore;
        browsers.shutdown();
        return summary(flow, kind, samples, millis, cpu, subjects.size());
    }

    /** A failed login is reported (and counted), not timed. */
    private static Sample once(LtiRealm realm, Flow flow, String subject, Steps steps, long startedAt) {
        try {
            BrowserlessUserAgent browser = flow.run(realm, subject);
            return new Sample((System.nanoTime() - startedAt) / 1_000_000, steps.of(browser.timings()));
        } catch (RuntimeException e) {
            System.out.println("[bench] FAILED " + e.getMessage());
            return null;
        }
    }

    private static List<Sample> collect(List<Future<Sample>> runs) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (Future<Sample> run : runs) {
            Sample sample = run.get();
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    private static Map<String, Object> summary(Flow flow, String kind, List<Sample> samples, long millis, long cpu,
            int attempted) {
        int n = samples.size();
        List<Long> latencies = new ArrayList<>(samples.stream().map(Sample::millis).toList());
        Collections.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("flow", flow.name());
        result.put("learners", kind);
        result.put("failures", attempted - n);
        result.put("per_second", Math.round(n * 10000.0 / millis) / 10.0);
        result.put("p50_ms", percentile(latencies, 50));
        result.put("p95_ms", percentile(latencies, 95));
        result.put("p99_ms", percentile(latencies, 99));
        result.put("keycloak_cpu_ms_per_login", cpu < 0 ? null : Math.round(cpu * 10.0 / n) / 10.0);
        Map<String, List<Double>> byStep = new TreeMap<>();
        for (Sample sample : samples) {
            sample.steps().forEach((step, ms) -> byStep.computeIfAbsent(step, k -> new ArrayList<>()).add(ms));
        }
        Map<String, String> steps = new LinkedHashMap<>();
        byStep.forEach((step, values) -> {
            Collections.sort(values);
            steps.put(step, String.format("p50 %.1f ms, p95 %.1f ms", values.get(values.size() / 2),
                    values.get(Math.min(values.size() - 1, values.size() * 95 / 100))));
        });
        result.put("steps", steps);
        byStep.entrySet().stream().max(Comparator.comparingDouble(e -> e.getValue().get(
                Math.min(e.getValue().size() - 1, e.getValue().size() * 95 / 100)))).ifPresent(slowest ->
                result.put("slowest_step", slowest.getKey() + ": " + steps.get(slowest.getKey())));
        return result;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static void print(Map<String, Object> result) {
        System.out.printf("[bench] %-20s %-10s c=%-3s %5.1f/s  p50 %4d ms  p95 %4d ms  p99 %4d ms  CPU %s ms/login"
                        + (((int) result.get("failures")) > 0 ? "  FAILURES " + result.get("failures") : "") + "%n",
                result.get("flow"), result.get("learners"),
                result.getOrDefault("concurrency", "open(" + result.get("offered_per_second") + "/s)"),
                (double) result.get("per_second"), (long) result.get("p50_ms"), (long) result.get("p95_ms"),
                (long) result.get("p99_ms"), result.get("keycloak_cpu_ms_per_login"));
        @SuppressWarnings("unchecked")
        Map<String, String> steps = (Map<String, String>) result.get("steps");
        steps.forEach((step, figures) -> System.out.printf("[bench]     %-72s %s%n", step, figures));
    }
}
