package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The load balancer in front of a Keycloak cluster: one HTTPS address (the nodes' {@code --hostname}) whose
 * requests go to the node a test chooses, or round robin. No stickiness: every request may land on another node,
 * which is what a cluster must survive. A node that does not answer gives 502, as a real balancer would.
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpsServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final List<String> nodes;
    private final AtomicReference<Integer> pinned = new AtomicReference<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger emptyResponsesRetried = new AtomicInteger();
    private final String url;
    private final List<Forwarded> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One request the balancer passed on: to which node (0-based), with its method and path. */
    public record Forwarded(int node, String method, String path) {
    }

    private LoadBalancer(HttpsServer server, ExecutorService executor, HttpClient client, List<String> nodes,
            String url) {
        this.server = server;
        this.executor = executor;
        this.client = client;
        this.nodes = nodes;
        this.url = url;
    }

    /** Listens on {@code localhost:port} (0: any free port) for the given node base URLs. */
    public static LoadBalancer start(int port, TestCertificate certificate, List<String> nodeUrls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 1024); // 200 browsers connect at once
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverSslContext()));
            ExecutorService executor = Executors.newFixedThreadPool(256, runnable -> {
                Thread thread = new Thread(runnable, "load-balancer");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            HttpClient client = HttpClient.newBuilder().sslContext(certificate.trustingSslContext())
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(20))
                    .version(HttpClient.Version.HTTP_1_1).build();
            LoadBalancer balancer = new LoadBalancer(server, executor, client, List.copyOf(nodeUrls),
                    "https://localhost:" + server.getAddress().getPort());
            server.createContext("/", balancer::forward);
            server.start();
            return balancer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the load balancer", e);
        }
    }

    /** A port for {@link #start} chosen before the nodes start (they need it as their hostname). */
    public static int reservePort() {
        return KeycloakServer.freePort();
    }

    public String url() {
        return url;
    }

    /** Every request to node {@code index} (0-based) from now on. */
    public void pin(int index) {
        pinned.set(index);
    }

    /** Requests alternate between the nodes from now on. */
    public void roundRobin() {
        pinned.set(null);
    }

    /** Every request passed on so far, in order. */
    public List<Forwarded> forwarded() {
        return List.copyOf(forwarded);
    }

    private int chooseNode() {
        Integer pin = pinned.get();
        return pin != null ? pin : Math.floorMod(next.getAndIncrement(), nodes.size());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int node = chooseNode();
            forwarded.add(new Forwarded(node, exchange.getRequestMethod(), exchange.getRequestURI().getPath()));
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(nodes.get(node) + exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = send(request.build());
            } catch (IOException e) {
                byte[] message = ("502 Bad Gateway: the node did not answer (" + e + ")").getBytes();
                exchange.sendResponseHeaders(502, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            byte[] payload = response.body();
            boolean noBody = response.statusCode() == 204 || response.statusCode() == 304
                    || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : payload.length == 0 ? -1 : payload.length);
            if (!noBody && payload.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(payload);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Passes the request on, and once more when the node closed a kept-alive connection without a byte of answer
     * (as HAProxy's {@code retry-on empty-response}): the race of a pooled connection the node was closing, which
     * nothing in the request caused. A node that answered, timed out or refused the connection is not asked again.
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw e;
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            emptyResponsesRetried.incrementAndGet();
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** How many requests were passed on a second time after an empty response (see {@link #send}). */
    public int emptyResponsesRetried() {
        return emptyResponsesRetried.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
