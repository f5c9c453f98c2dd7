package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

import io.github.keycloaklti.testsupport.TestFiles;
import io.github.keycloaklti.testsupport.database.PostgresServer;

/**
 * The real Keycloak server distribution, unpacked by Maven, with the extension's JAR in {@code providers/},
 * started with {@code kc.sh start-dev} on loopback, its output kept in a log file. Used once per test run and by
 * the demo.
 */
public final class KeycloakServer implements AutoCloseable {

    /**
     * The extension's development switch that admits platforms on loopback addresses (the emulator), as a
     * command-line option without its leading dashes.
     */
    public static final String ALLOW_LOOPBACK_PLATFORMS = "spi-realm-restapi-extension--lti--allow-loopback-platforms";


    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    private Process process;
    private ProcessBuilder launcher;
    private Duration startTimeout;
    private final String baseUrl;
    private String managementUrl;
    private final Path logFile;
    private final SSLContext sslContext;
    private final TestCertificate certificate;

    private KeycloakServer(Process process, String baseUrl, Path logFile, TestCertificate certificate) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
        this.certificate = certificate;
        this.sslContext = certificate == null ? null : certificate.trustingSslContext();
    }

    /** Options of a start; every path defaults to the system properties the Maven build sets. */
    public static final class Options {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak"));
        Path providers = Path.of(System.getProperty("keycloak.providers", "target/providers"));
        Path work = Path.of(System.getProperty("keycloak.work", "target/keycloak-run"));
        boolean https = true;
        boolean production;
        TestCertificate certificate;
        int port;
        String hostname = "localhost";
        Path importDir;
        PostgresServer database;
        String clusterHostname;
        boolean prebuilt;
        final List<String> extraArgs = new ArrayList<>();
        final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        Duration startTimeout = Duration.ofMinutes(4);

        public Options https(boolean https) {
            this.https = https;
            return this;
        }

        /** Another distribution (another Keycloak version), in development mode, with its own work directory. */
        public Options home(Path home, Path work) {
            this.home = home;
            this.work = work;
            return this;
        }

        /** {@code kc.sh build} then {@code kc.sh start --optimized}, as in production (file database). */
        public Options production(Path home, Path work) {
            this.production = true;
            this.home = home;
            this.work = work;
            return this;
        }

        public Options providers(Path providers) {
            this.providers = providers;
            return this;
        }

        /** Serve this certificate instead of making one (two servers trusted by one test JVM). */
        public Options certificate(TestCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** Keycloak's database on this PostgreSQL (production mode), instead of the file database. */
        public Options database(PostgresServer database) {
            this.database = database;
            return this;
        }

        /**
         * A member of a Keycloak cluster: the default distributed caches (discovery through the shared database,
         * JGroups on loopback on a port of its own), and URLs made for the load balancer at {@code hostname}.
         */
        public Options clusterNode(String hostname) {
            this.clusterHostname = hostname;
            return this;
        }

        /** The distribution was already built with {@link KeycloakServer#build} (copies of one build). */
        public Options prebuilt() {
            this.prebuilt = true;
            return this;
        }

        public Options importRealmsFrom(Path directory) {
            this.importDir = directory;
            return this;
        }

        /** An environment variable of the server process (e.g. {@code JAVA_OPTS_APPEND} for a profiler). */
        public Options env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Options arg(String arg) {
            extraArgs.add(arg);
            return this;
        }
    }

    public static KeycloakServer start(Options options) {
        try {
            return doStart(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeycloakServer doStart(Options options) throws IOException {
        Path home = options.home.toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + " (run through Maven)");
        }
        Files.createDirectories(options.work);
        if (!options.prebuilt) { // a prebuilt distribution has them; a newer copy would call for a rebuild
            installProviders(options.providers, home.resolve("providers"));
        }
        TestFiles.deleteRecursively(home.resolve("data"));

        int port = options.port != 0 ? options.port : freePort();
        int managementPort = freePort();
        if (options.production && !options.prebuilt) {
            build(home, options.work.toAbsolutePath().resolve("kc-build.log"), options.database != null);
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(),
                options.production ? "start" : "start-dev"));
        if (options.production) {
            command.add("--optimized");
        }
        command.addAll(List.of("--http-host=127.0.0.1", "--http-management-port=" + managementPort));
        if (options.clusterHostname != null) {
            command.addAll(List.of("--hostname=" + options.clusterHostname,
                    "--cache-embedded-network-bind-address=127.0.0.1",
                    "--cache-embedded-network-bind-port=" + freePort()));
        } else {
            command.addAll(List.of("--hostname-strict=false", "--cache=local"));
        }
        if (options.database != null) {
            command.addAll(List.of("--db-url=" + options.database.jdbcUrl(),
                    "--db-username=" + PostgresServer.USER, "--db-password=" + PostgresServer.PASSWORD));
        }
        if (!options.production) {
            command.add("--metrics-enabled=true");
        }
        TestCertificate certificate = null;
        String scheme;
        if (options.https) {
            certificate = options.certificate != null ? options.certificate
                    : TestCertificate.createIn(options.work.toAbsolutePath());
            command.add("--https-port=" + port);
            command.add("--https-key-store-file=" + certificate.keyStore());
            command.add("--https-key-store-password=" + TestCertificate.PASSWORD);
            // start-dev listens on HTTP too whatever --http-enabled says: keep it off the default 8080
            command.add("--http-port=" + freePort());
            // Keycloak's outbound calls (platform JWKS and token endpoints) trust the same test certificate
            command.add("--truststore-paths=" + certificate.certificatePem());
            scheme = "https";
        } else {
            command.add("--http-port=" + port);
            scheme = "http";
        }
        if (options.importDir != null) {
            Path data = home.resolve("data/import");
            Files.createDirectories(data);
            try (Stream<Path> files = Files.list(options.importDir)) {
                for (Path file : files.toList()) {
                    Files.copy(file, data.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            command.add("--import-realm");
        }
        // the platforms of tests and of the demo run on this machine: the extension's development switch admits them
        command.add("--" + ALLOW_LOOPBACK_PLATFORMS + "=true");
        command.addAll(options.extraArgs);

        Path log = options.work.toAbsolutePath().resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(home.toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(options.environment);
        Process process = builder.start();
        String baseUrl = scheme + "://" + options.hostname + ":" + port;
        KeycloakServer server = new KeycloakServer(process, baseUrl, log, certificate);
        server.launcher = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        server.startTimeout = options.startTimeout;
        server.managementUrl = scheme + "://" + options.hostname + ":" + managementPort;
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.awaitReady(options.startTimeout);
        return server;
    }

    /**
     * The optimized build of production mode: the extension's providers, metrics and the database vendor (file
     * database, or PostgreSQL) baked in.
     */
    public static void build(Path home, Path providers, Path log, boolean postgres) {
        try {
            installProviders(providers, home.resolve("providers"));
            Files.createDirectories(log.getParent());
            build(home, log, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build(Path home, Path log, boolean postgres) throws IOException {
        Process build = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "build",
                "--db=" + (postgres ? "postgres" : "dev-file"), "--metrics-enabled=true", "--health-enabled=true")
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(home.toFile()).start();
        try {
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        HttpClient client = builder.build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail(80));
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak did not start within " + timeout + ":\n" + logTail(80));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The management interface ({@code /metrics}, {@code /health}). */
    public String managementUrl() {
        return managementUrl;
    }

    public String realmUrl(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    /** Trusts the server's certificate; null over plain HTTP. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The test certificate Keycloak serves (also valid for 127.0.0.1 and 127.0.0.2); null over plain HTTP. */
    public TestCertificate certificate() {
        return certificate;
    }

    public Path logFile() {
        return logFile;
    }

    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the server and starts it again on the same port and database: what survives is what is persisted. */
    public synchronized void restart() {
        close();
        try {
            process = launcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(startTimeout);
    }

    /** CPU time Keycloak's process (and its children) has used so far, in milliseconds; -1 where unknown. */
    public long cpuMillis() {
        long total = process.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        for (ProcessHandle child : process.descendants().toList()) {
            total += child.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
        }
        return total;
    }

    /**
     * Keycloak's live heap in bytes after a full GC (through the JDK's {@code jcmd}), or -1 where it cannot be read.
     * For benchmarks: memory per active session is the difference over a number of sessions.
     */
    public long liveHeapBytes() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            long pid = process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .map(ProcessHandle::pid).findFirst().orElse(process.pid());
            run(jcmd.toString(), String.valueOf(pid), "GC.run");
            String info = run(jcmd.toString(), String.valueOf(pid), "GC.heap_info");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Keycloak's live objects by class after a full GC ({@code jcmd GC.class_histogram}); empty if unreadable. */
    public String classHistogram() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            long pid = process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .map(ProcessHandle::pid).findFirst().orElse(process.pid());
            return run(jcmd.toString(), String.valueOf(pid), "GC.class_histogram");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return output;
    }

    /** Kills the server without warning (SIGKILL), as when its machine fails. {@link #restart()} brings it back. */
    public synchronized void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void installProviders(Path from, Path providers) throws IOException {
        Files.createDirectories(providers);
        try (Stream<Path> existing = Files.list(providers)) {
            for (Path jar : existing.filter(p -> p.getFileName().toString().startsWith("keycloak-lti")).toList()) {
                Files.delete(jar);
            }
        }
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException("no provider JARs at " + from.toAbsolutePath());
        }
        try (Stream<Path> jars = Files.list(from)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }


    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
