package io.github.keycloaklti.testsupport.http;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A browser without a screen, for HTTP-level tests: keeps cookies, follows redirects and submits the
 * auto-posting forms of OIDC form_post and LTI pages, and records every URL it requested. Browser rules it does
 * not model (SameSite, third-party cookie blocking, frames) are tested in headless Chromium.
 */
public final class BrowserlessUserAgent {

    /** Where a navigation ended. */
    public record Page(URI uri, int status, String body) {
        public Document document() {
            return Jsoup.parse(body, uri.toString());
        }

        public String text() {
            return document().text();
        }
    }

    /** One request this agent sent: its method, URL, the answer's status and how long it took. */
    public record Timed(String method, URI uri, int status, long nanos) {
    }

    private final HttpClient client;
    private final List<Timed> timings = new ArrayList<>();
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final List<URI> history = new ArrayList<>();
    private java.util.function.BiConsumer<String, URI> beforeRequest = (method, uri) -> { };

    public BrowserlessUserAgent(SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(cookies)
                // 200 browsers at once: the JDK's HTTPS server (the harness's balancer) handshakes one connection
                // after the other, so the last connects wait tens of seconds on two cores
                .connectTimeout(Duration.ofSeconds(45));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
    }

    /** Called with the method and URL before each request this agent sends (to steer a load balancer mid-flow). */
    public BrowserlessUserAgent beforeEachRequest(java.util.function.BiConsumer<String, URI> listener) {
        this.beforeRequest = listener;
        return this;
    }

    public CookieManager cookies() {
        return cookies;
    }

    /** Every request with its duration, in order (for benchmarks' per-step latencies). */
    public List<Timed> timings() {
        return List.copyOf(timings);
    }

    public List<URI> history() {
        return List.copyOf(history);
    }

    public boolean visited(String urlPrefix) {
        return history.stream().anyMatch(uri -> uri.toString().startsWith(urlPrefix));
    }

    /** GET, then follow redirects and auto-posted forms until a page that waits for a person. */
    public Page navigate(String url) {
        return follow(send(HttpRequest.newBuilder(URI.create(url)).GET()));
    }

    /** POST a form, then follow as {@link #navigate(String)} does. */
    public Page post(String url, Map<String, String> form) {
        return follow(send(formPost(URI.create(url), form)));
    }

    /** A single GET without following anything. */
    public HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** A single GET with these request headers (e.g. {@code Sec-Fetch-Dest}), without following anything. */
    public HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** A single form POST without following anything. */
    public HttpResponse<String> postOnce(String url, Map<String, String> form) {
        return send(formPost(URI.create(url), form));
    }

    /** A single form POST with these request headers (e.g. a browser's {@code Origin}, {@code Sec-Fetch-Site}). */
    public HttpResponse<String> postOnce(String url, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = formPost(URI.create(url), form);
        headers.forEach(request::header);
        return send(request);
    }

    /**
     * The fetch metadata a browser sends with a form that a page at {@code from} posts to {@code to}: its
     * {@code Origin} and whether the request is same-origin or cross-site ({@code Sec-Fetch-Site}).
     */
    public static Map<String, String> formPostedFrom(URI from, URI to) {
        String origin = from.getScheme() + "://" + from.getRawAuthority();
        boolean sameOrigin = origin.equalsIgnoreCase(to.getScheme() + "://" + to.getRawAuthority());
        return Map.of("Origin", origin, "Sec-Fetch-Site", sameOrigin ? "same-origin" : "cross-site");
    }

    public Page follow(HttpResponse<String> response) {
        for (int hops = 0; hops < 30; hops++) {
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").get());
                response = send(HttpRequest.newBuilder(next).GET());
                continue;
            }
            Page page = new Page(response.uri(), status, response.body());
            Element form = autoPostedForm(page);
            if (form == null) {
                return page;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            form.select("input[name]").forEach(input -> fields.put(input.attr("name"), input.attr("value")));
            URI action = page.uri().resolve(form.attr("action"));
            if ("post".equalsIgnoreCase(form.attr("method"))) {
                HttpRequest.Builder post = formPost(action, fields);
                formPostedFrom(page.uri(), action).forEach(post::header);
                response = send(post);
            } else {
                response = send(HttpRequest.newBuilder(URI.create(action + "?" + QueryBuilder.encode(fields))).GET());
            }
        }
        throw new IllegalStateException("more than 30 redirects or auto-posts");
    }

    private static Element autoPostedForm(Page page) {
        if (page.body() == null || !page.body().contains("<form")) {
            return null;
        }
        Document document = page.document();
        boolean submitsItself = document.select("script").stream()
                .anyMatch(script -> script.data().contains(".submit()"))
                || document.select("body[onload*=submit]").size() > 0;
        return submitsItself ? document.selectFirst("form") : null;
    }

    private static HttpRequest.Builder formPost(URI uri, Map<String, String> form) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(QueryBuilder.encode(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        // generous: the load tests queue hundreds of requests on two cores; a hang still fails the test
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        history.add(built.uri());
        beforeRequest.accept(built.method(), built.uri());
        try {
            long begin = System.nanoTime();
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
            timings.add(new Timed(built.method(), built.uri(), response.statusCode(), System.nanoTime() - begin));
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("request to " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
