package io.github.keycloaklti.testsupport.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** Small helpers for the JDK HTTP server used by the emulator and the tool stand-in. */
public final class Exchanges {

    private Exchanges() {
    }

    /** Query and (for POSTs) url-encoded form parameters, first value wins. */
    public static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        parseInto(exchange.getRequestURI().getRawQuery(), params);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if ("POST".equals(exchange.getRequestMethod()) && type != null
                && type.startsWith("application/x-www-form-urlencoded")) {
            parseInto(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
        }
        return params;
    }

    public static Map<String, List<String>> multiParams(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static void parseInto(String encoded, Map<String, String> params) {
        multiParams(encoded).forEach((key, values) -> params.putIfAbsent(key, values.get(0)));
    }

    public static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /**
     * A 200 answer of {@code type} whose body comes one byte every {@code millisPerByte} (at most {@code bytes} of
     * them): a platform that answers, but never finishes. Ends early when the caller gives up.
     */
    public static void trickle(HttpExchange exchange, String type, int bytes, long millisPerByte) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        try (java.io.OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < bytes; i++) {
                out.write(i == 0 ? '{' : ' ');
                out.flush();
                Thread.sleep(millisPerByte);
            }
        } catch (IOException callerGaveUp) {
            // what a deadline does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void html(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, "text/html; charset=utf-8", body);
    }

    public static void json(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, "application/json", body);
    }

    public static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** An HTML page that posts {@code fields} to {@code action} at once, with a button when scripts are off. */
    public static String autoPostForm(String action, Map<String, String> fields) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Continue</title></head><body>")
                .append("<form id=\"autopost\" method=\"post\" action=\"").append(escape(action)).append("\">");
        fields.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">"));
        html.append("<noscript><button type=\"submit\">Continue</button></noscript></form>")
                .append("<script>document.getElementById('autopost').submit();</script></body></html>");
        return html.toString();
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
