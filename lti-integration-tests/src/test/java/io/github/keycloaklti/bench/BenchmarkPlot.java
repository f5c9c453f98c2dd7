package io.github.keycloaklti.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The benchmark's plot: logins per second and p95 latency against concurrency, LTI launches next to the baseline. */
final class BenchmarkPlot {

    private BenchmarkPlot() {
    }

    private static double median(Map<String, Object> row, String figure) {
        return ((Number) ((Map<?, ?>) row.get(figure)).get("median")).doubleValue();
    }

    /** Rows of {@link Medians#closedLoop}: medians of the repetitions. */
    static void write(List<Map<String, Object>> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart throughput = new XYChartBuilder().width(640).height(420).title("Complete logins per second (median)")
                .xAxisTitle("concurrent virtual browsers").yAxisTitle("logins/s").build();
        XYChart latency = new XYChartBuilder().width(640).height(420).title("p95 latency of a complete login (median)")
                .xAxisTitle("concurrent virtual browsers").yAxisTitle("ms").build();
        for (String flow : List.of(Flow.LTI.name(), Flow.OIDC_BROKER.name())) {
            for (String kind : List.of("first-time", "returning")) {
                List<Map<String, Object>> series = results.stream()
                        .filter(r -> flow.equals(r.get("flow")) && kind.equals(r.get("learners"))).toList();
                double[] x = series.stream().mapToDouble(r -> ((Number) r.get("concurrency")).doubleValue()).toArray();
                String name = (flow.equals(Flow.LTI.name()) ? "LTI launch" : "OIDC brokered login (baseline)")
                        + ", " + kind;
                throughput.addSeries(name, x, series.stream().mapToDouble(r -> median(r, "per_second")).toArray());
                latency.addSeries(name, x, series.stream().mapToDouble(r -> median(r, "p95_ms")).toArray());
            }
        }
        List<Chart> charts = List.of(throughput, latency);
        String file = png.toString();
        BitmapEncoder.saveBitmap(charts, 1, 2, file.substring(0, file.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
