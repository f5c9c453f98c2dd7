package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.keycloaklti.testsupport.database.PostgresServer;

/**
 * A Keycloak cluster as users run it: PostgreSQL, N production-mode nodes of one optimized build (each in its own
 * copy of the distribution, with the extension's JAR), discovering each other through the shared database
 * (Keycloak's default {@code jdbc-ping} stack), behind one {@link LoadBalancer} whose URL is their hostname.
 */
public final class KeycloakCluster implements AutoCloseable {

    private static final Pattern CLUSTER_VIEW = Pattern.compile("ISPN000094: Received new cluster view.*\\((\\d+)\\)");

    private final PostgresServer database;
    private final LoadBalancer balancer;
    private final List<KeycloakServer> nodes;

    private KeycloakCluster(PostgresServer database, LoadBalancer balancer, List<KeycloakServer> nodes) {
        this.database = database;
        this.balancer = balancer;
        this.nodes = nodes;
    }

    /**
     * Builds {@code distribution} once into {@code work/node-1}, copies it for the other nodes, starts PostgreSQL,
     * the nodes one after the other (the first creates the schema) and the balancer, and waits for one cluster view.
     */
    public static KeycloakCluster start(Path distribution, Path providers, Path work, int size,
            TestCertificate certificate) {
        PostgresServer database = PostgresServer.start(work.resolve("postgres"));
        List<KeycloakServer> nodes = new ArrayList<>();
        int port = LoadBalancer.reservePort();
        String hostname = "https://localhost:" + port;
        try {
            Path first = work.resolve("node-1").toAbsolutePath();
            copy(distribution.toAbsolutePath(), first.resolve("keycloak"));
            KeycloakServer.build(first.resolve("keycloak"), providers, first.resolve("run/kc-build.log"), true);
            for (int i = 2; i <= size; i++) {
                copy(first.resolve("keycloak"), work.resolve("node-" + i).toAbsolutePath().resolve("keycloak"));
            }
            for (int i = 1; i <= size; i++) {
                Path node = work.resolve("node-" + i).toAbsolutePath();
                nodes.add(KeycloakServer.start(new KeycloakServer.Options()
                        .production(node.resolve("keycloak"), node.resolve("run")).prebuilt()
                        .providers(providers).certificate(certificate).database(database).clusterNode(hostname)
                        // the extension at its most verbose: the log checks then cover every level
                        .arg("--log-level=INFO,io.github.keycloaklti:trace")
                        // the service-context retention runs every few seconds, so that a test can watch it
                        .arg("--spi-jpa-entity-provider--lti-service-context--retention-check-interval=3")));
            }
            LoadBalancer balancer = LoadBalancer.start(port, certificate, nodes.stream().map(KeycloakServer::baseUrl).toList());
            KeycloakCluster cluster = new KeycloakCluster(database, balancer, nodes);
            cluster.awaitMembers(size, Duration.ofMinutes(2));
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(KeycloakServer::close);
            database.close();
            throw e;
        }
    }

    /** The cluster's public URL (the balancer), as the nodes' {@code --hostname}. */
    public String url() {
        return balancer.url();
    }

    public String realmUrl(String realm) {
        return url() + "/realms/" + realm;
    }

    public LoadBalancer balancer() {
        return balancer;
    }

    /** Node {@code index}, 0-based. */
    public KeycloakServer node(int index) {
        return nodes.get(index);
    }

    public List<KeycloakServer> nodes() {
        return List.copyOf(nodes);
    }

    public PostgresServer database() {
        return database;
    }

    /** Waits until every running node's newest cluster view has {@code members} members. */
    public void awaitMembers(int members, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().filter(KeycloakServer::isRunning).allMatch(node -> lastViewSize(node) == members)) {
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException("no cluster view of " + members + " members within " + timeout);
    }

    /** The size of the newest cluster view in a node's log; 1 when it never joined anyone. */
    public static int lastViewSize(KeycloakServer node) {
        int size = 1;
        var matcher = CLUSTER_VIEW.matcher(node.log());
        while (matcher.find()) {
            size = Integer.parseInt(matcher.group(1));
        }
        return size;
    }

    /** Every node's log, for checks over the whole cluster. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        nodes.forEach(node -> all.append(node.log()));
        return all.toString();
    }

    @Override
    public void close() {
        balancer.close();
        nodes.forEach(KeycloakServer::close);
        database.close();
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.exists(to)) {
                run("rm", "-rf", to.toString());
            }
            Files.createDirectories(to.getParent());
            run("cp", "-a", from.toString(), to.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
