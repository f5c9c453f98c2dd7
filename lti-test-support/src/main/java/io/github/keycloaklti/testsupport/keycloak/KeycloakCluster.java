package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    private final Path work;
    private final List<Path> providersOfEachNode;

    private KeycloakCluster(PostgresServer database, LoadBalancer balancer, List<KeycloakServer> nodes, Path work,
            List<Path> providersOfEachNode) {
        this.database = database;
        this.balancer = balancer;
        this.nodes = nodes;
        this.work = work;
        this.providersOfEachNode = new ArrayList<>(providersOfEachNode);
    }

    /**
     * Builds {@code distribution} once into {@code work/node-1}, copies it for the other nodes, starts PostgreSQL,
     * the nodes one after the other (the first creates the schema) and the balancer, and waits for one cluster view.
     */
    public static KeycloakCluster start(Path distribution, Path providers, Path work, int size,
            TestCertificate certificate) {
        return start(distribution, java.util.Collections.nCopies(size, providers), work, certificate);
    }

    /**
     * As {@link #start(Path, Path, Path, int, TestCertificate)}, node {@code i} with the JARs of
     * {@code providersOfEachNode.get(i)} (a rolling update's cluster: some nodes on the previous release's JAR): the
     * distribution is built once for each set of providers, into the first node that has it, and copied for the
     * others.
     */
    public static KeycloakCluster start(Path distribution, List<Path> providersOfEachNode, Path work,
            TestCertificate certificate) {
        int size = providersOfEachNode.size();
        PostgresServer database = PostgresServer.start(work.resolve("postgres"));
        List<KeycloakServer> nodes = new ArrayList<>();
        int port = LoadBalancer.reservePort();
        String hostname = "https://localhost:" + port;
        // each set of providers built once, in its first node, then copied for the others with it; the builds one
        // after the other in node order (two at once on two cores are no faster), and a node starts as soon as its
        // own is there: the first one's start (the schema's creation) overlaps the next build
        ExecutorService builders = Executors.newSingleThreadExecutor();
        try {
            List<Future<?>> builds = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                Path providers = providersOfEachNode.get(i - 1);
                int builder = providersOfEachNode.indexOf(providers) + 1;
                if (builder == i) {
                    builds.add(builders.submit(() -> build(distribution, providers, providersOfEachNode, work, builder)));
                } else {
                    builds.add(builds.get(builder - 1));
                }
            }
            for (int i = 1; i <= size; i++) {
                await(builds.get(i - 1));
                Path node = work.resolve("node-" + i).toAbsolutePath();
                nodes.add(KeycloakServer.start(new KeycloakServer.Options()
                        .production(node.resolve("keycloak"), node.resolve("run")).prebuilt()
                        .providers(providersOfEachNode.get(i - 1)).certificate(certificate).database(database)
                        .clusterNode(hostname)
                        // the extension at its most verbose: the log checks then cover every level
                        .arg("--log-level=INFO,io.github.keycloaklti:trace")
                        // the service-context retention runs every few seconds, so that a test can watch it
                        .arg("--spi-jpa-entity-provider--lti-service-context--retention-check-interval=3")));
            }
            LoadBalancer balancer = LoadBalancer.start(port, certificate, nodes.stream().map(KeycloakServer::baseUrl).toList());
            KeycloakCluster cluster = new KeycloakCluster(database, balancer, nodes, work, providersOfEachNode);
            cluster.awaitMembers(size, Duration.ofMinutes(2));
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(KeycloakServer::close);
            database.close();
            throw e;
        } finally {
            builders.shutdownNow();
        }
    }

    /** The distribution built with {@code providers} into node {@code builder}, and copied for its other nodes. */
    private static void build(Path distribution, Path providers, List<Path> providersOfEachNode, Path work,
            int builder) {
        Path home = work.resolve("node-" + builder).toAbsolutePath().resolve("keycloak");
        copy(distribution.toAbsolutePath(), home);
        KeycloakServer.build(home, providers, home.resolveSibling("run/kc-build.log"), true);
        for (int i = builder + 1; i <= providersOfEachNode.size(); i++) {
            if (providersOfEachNode.get(i - 1).equals(providers)) {
                copy(home, work.resolve("node-" + i).toAbsolutePath().resolve("keycloak"));
            }
        }
    }

    private static void await(Future<?> build) {
        try {
            build.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * A rolling update's step: stops node {@code index} (0-based), gives it the distribution built with
     * {@code providers} (copied from a node that has it, else built anew) and starts it again on its ports, options and
     * database, as an operator replaces one node's image. Returns once the node answers; the others keep running.
     */
    public void update(int index, Path providers) {
        KeycloakServer node = nodes.get(index);
        node.close();
        Path home = work.resolve("node-" + (index + 1)).toAbsolutePath().resolve("keycloak");
        int source = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index && providersOfEachNode.get(i).equals(providers)) {
                source = i;
            }
        }
        if (source >= 0) {
            copyDistribution(work.resolve("node-" + (source + 1)).toAbsolutePath().resolve("keycloak"), home);
        } else {
            KeycloakServer.build(home, providers, home.resolveSibling("run/kc-build.log"), true);
        }
        providersOfEachNode.set(index, providers);
        node.restart();
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

    /** The distribution node {@code index} (0-based) runs from, with its {@code providers/}. */
    public Path home(int index) {
        return work.resolve("node-" + (index + 1)).toAbsolutePath().resolve("keycloak");
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

    /**
     * A running node's built distribution into a stopped one's: everything but {@code data} (the running node's
     * own files, which change under a copy), each top-level entry replaced.
     */
    private static void copyDistribution(Path from, Path to) {
        try (var entries = Files.list(from)) {
            for (Path entry : entries.filter(e -> !e.getFileName().toString().equals("data")).toList()) {
                copy(entry, to.resolve(entry.getFileName()));
            }
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
