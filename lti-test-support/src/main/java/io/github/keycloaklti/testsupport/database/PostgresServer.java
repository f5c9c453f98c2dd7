package io.github.keycloaklti.testsupport.database;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.keycloaklti.testsupport.TestFiles;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * Debian's PostgreSQL ({@code apt-get install postgresql}), run by the tests on loopback: a throw-away cluster
 * made with {@code initdb} in the build directory, trust authentication on 127.0.0.1 only, one database for
 * Keycloak. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user the package creates.
 * It can be stopped and started again on the same port and data (to test what Keycloak does while it is down).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    public static final String PASSWORD = "keycloak";

    private final Path bin;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private PostgresServer(Path bin, Path dataDir, Path log, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    /** A fresh cluster in {@code work}, started, with the {@link #DATABASE} database owned by {@link #USER}. */
    public static PostgresServer start(Path work) {
        try {
            Path bin = binaries();
            Path root = work.toAbsolutePath();
            TestFiles.deleteRecursively(root);
            if (runsAsRoot()) {
                // the postgres user may not traverse the checkout (a clone under /root): its own directory in /tmp
                Files.createDirectories(root);
                root = Files.createTempDirectory("keycloak-lti-postgres-");
                Files.writeString(work.toAbsolutePath().resolve("WHERE"), root + "\n");
            }
            Path data = root.resolve("data");
            Files.createDirectories(data);
            if (runsAsRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", root.toString()));
            }
            run(asPostgresUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-sync"));
            PostgresServer server = new PostgresServer(bin, data, root.resolve("postgres.log"),
                    KeycloakServer.freePort());
            Path temporary = runsAsRoot() ? root : null;
            server.startProcess();
            server.psql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            server.psql("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                if (temporary != null) {
                    try {
                        TestFiles.deleteRecursively(temporary);
                    } catch (IOException e) {
                        // a throw-away directory in /tmp
                    }
                }
            }));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this machine has PostgreSQL's server binaries (Debian's layout). */
    public static boolean installed() {
        try {
            binaries();
            return true;
        } catch (IllegalStateException | IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /**
     * Stops the server at once ({@code pg_ctl stop -m immediate}: open connections are cut, as when the database
     * host fails).
     */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            run(asPostgresUser(bin.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "immediate",
                    "-w"));
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts it again on the same port and data. */
    public synchronized void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Runs one SQL statement as the superuser and returns psql's unaligned output. */
    public String psql(String sql) throws IOException {
        return run(asPostgresUser(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-d", "postgres", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql));
    }

    /** Runs one SQL statement in Keycloak's database. */
    public String query(String sql) throws IOException {
        return run(asPostgresUser(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-d", DATABASE, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql));
    }

    private void startProcess() throws IOException {
        // postgres in the foreground, a child of this JVM; durability settings off: the data is thrown away
        List<String> command = asPostgresUser(bin.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200");
        process = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited: " + Files.readString(log));
            }
            if (accepts()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(log));
    }

    private boolean accepts() {
        try {
            Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1",
                    "-p", String.valueOf(port)).redirectErrorStream(true).start();
            ready.getInputStream().readAllBytes();
            return ready.waitFor(10, TimeUnit.SECONDS) && ready.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether anything answers on the port (false once stopped). */
    public boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static Path binaries() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql)");
        }
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("postgres")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + versions));
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgresUser(String... command) {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static String run(List<String> command) throws IOException {
        // run from "/": the postgres user may not read the build's directory (a fresh clone in a private temp dir),
        // and psql would print that warning into the answer
        Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(6, command.size())))
                        + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return output.strip();
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
