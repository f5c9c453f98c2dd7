package io.github.keycloaklti.testsupport.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds URLs with encoded query parameters. */
public final class QueryBuilder {

    private final String base;
    private final Map<String, String> params = new LinkedHashMap<>();

    private QueryBuilder(String base) {
        this.base = base;
    }

    public static QueryBuilder of(String base) {
        return new QueryBuilder(base);
    }

    public QueryBuilder param(String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
        return this;
    }

    public static String encode(Map<String, String> params) {
        StringBuilder result = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (result.length() > 0) {
                result.append('&');
            }
            result.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return result.toString();
    }

    public String build() {
        String query = encode(params);
        if (query.isEmpty()) {
            return base;
        }
        return base + (base.contains("?") ? "&" : "?") + query;
    }
}
