package io.github.keycloaklti.launch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Appends parameters to a URL that may already have a query, encoding every value. */
final class QueryString {

    private QueryString() {
    }

    /** Parameters go into the query, before any fragment (where a browser would never send them). */
    static String append(String url, Map<String, String> params) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String beforeFragment = hash < 0 ? url : url.substring(0, hash);
        StringBuilder result = new StringBuilder(beforeFragment);
        char separator = beforeFragment.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (param.getValue() == null) {
                continue;
            }
            result.append(separator)
                    .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return result.append(fragment).toString();
    }
}
