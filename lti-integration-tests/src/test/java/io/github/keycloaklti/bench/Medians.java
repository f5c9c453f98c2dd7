package io.github.keycloaklti.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The figures of repeated runs: for each flow, kind of learner and concurrency, the median of each figure over the
 * repetitions and its spread (lowest, highest), so that one noisy run proves nothing either way.
 */
final class Medians {

    private Medians() {
    }

    /** Median of the values (the mean of the two middle ones for an even count); NaN when empty. */
    static double of(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static Map<String, Object> spread(List<Double> values) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("median", round(of(values)));
        figure.put("min", round(Collections.min(values)));
        figure.put("max", round(Collections.max(values)));
        figure.put("runs", values.stream().map(Medians::round).toList());
        return figure;
    }

    /** Closed-loop runs grouped by flow, learners and concurrency, each figure as median and spread. */
    static List<Map<String, Object>> closedLoop(List<Map<String, Object>> runs) {
        Map<String, List<Map<String, Object>>> groups = runs.stream().collect(Collectors.groupingBy(
                r -> r.get("flow") + "|" + r.get("learners") + "|" + r.get("concurrency"), LinkedHashMap::new,
                Collectors.toList()));
        List<Map<String, Object>> table = new ArrayList<>();
        groups.values().forEach(group -> {
            Map<String, Object> first = group.get(0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("flow", first.get("flow"));
            row.put("learners", first.get("learners"));
            row.put("concurrency", first.get("concurrency"));
            for (String figure : List.of("per_second", "p50_ms", "p95_ms", "p99_ms", "keycloak_cpu_ms_per_login")) {
                row.put(figure, spread(values(group, r -> r.get(figure))));
            }
            row.put("failures", group.stream().mapToInt(r -> (int) r.get("failures")).sum());
            table.add(row);
        });
        return table;
    }

    static List<Double> values(List<Map<String, Object>> runs, Function<Map<String, Object>, Object> figure) {
        return runs.stream().map(figure).filter(v -> v instanceof Number).map(v -> ((Number) v).doubleValue()).toList();
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
