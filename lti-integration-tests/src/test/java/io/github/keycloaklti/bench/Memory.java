package io.github.keycloaklti.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * What a login keeps in Keycloak's heap: live heap and class histogram (after a full GC, {@code jcmd}), once what
 * earlier logins left has expired, before
 * {@code learners} first logins of one flow in a fresh realm, right after them (live: authentication sessions of
 * completed logins, launch hints and other short-lived entries still there) and again after {@code settleSeconds}
 * (steady state: what an active session keeps once those expired and Keycloak's expiration reaper ran). The
 * histogram difference names the classes that grew, per session.
 */
final class Memory {

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private Memory() {
    }

    static Map<String, Object> measure(KeycloakServer keycloak, LtiRealm realm, Flow flow, int learners,
            int settleSeconds, Path work) throws Exception {
        System.out.printf("[bench] %s: waiting %d s for what earlier logins left to expire...%n", flow.name(),
                settleSeconds);
        Thread.sleep(settleSeconds * 1000L);
        long before = keycloak.liveHeapBytes();
        String histogramBefore = keycloak.classHistogram();
        Map<String, Object> logins = Load.closedLoop(Target.of(keycloak), realm, flow, "first-time", learners, 4);
        int sessions = learners - (int) logins.get("failures");
        long live = keycloak.liveHeapBytes();
        System.out.printf("[bench] %s: waiting %d s for short-lived entries to expire...%n", flow.name(), settleSeconds);
        Thread.sleep(settleSeconds * 1000L);
        long steady = keycloak.liveHeapBytes();
        String histogramAfter = keycloak.classHistogram();
        Files.writeString(work.resolve("histogram-" + flow.name() + "-before.txt"), histogramBefore);
        Files.writeString(work.resolve("histogram-" + flow.name() + "-steady.txt"), histogramAfter);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("flow", flow.name());
        result.put("sessions", sessions);
        result.put("live_bytes_per_session", (live - before) / sessions);
        result.put("steady_bytes_per_session", (steady - before) / sessions);
        result.put("settle_seconds", settleSeconds);
        result.put("grown_classes_bytes_per_session", grown(histogramBefore, histogramAfter, sessions, 15));
        System.out.printf("[bench] %s heap per session (%d sessions): live %.1f KB, steady state %.1f KB%n",
                flow.name(), sessions, (live - before) / 1024.0 / sessions, (steady - before) / 1024.0 / sessions);
        return result;
    }

    /** The classes whose instances grew the most between two histograms, bytes per session. */
    static Map<String, Long> grown(String before, String after, int sessions, int top) {
        Map<String, Long> was = bytesByClass(before);
        Map<String, Long> is = bytesByClass(after);
        List<Map.Entry<String, Long>> growth = new ArrayList<>();
        is.forEach((type, bytes) -> growth.add(Map.entry(type, bytes - was.getOrDefault(type, 0L))));
        growth.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        Map<String, Long> result = new LinkedHashMap<>();
        growth.stream().limit(top).forEach(e -> result.put(e.getKey(), e.getValue() / sessions));
        return result;
    }

    private static Map<String, Long> bytesByClass(String histogram) {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
            }
        }
        return bytes;
    }
}
