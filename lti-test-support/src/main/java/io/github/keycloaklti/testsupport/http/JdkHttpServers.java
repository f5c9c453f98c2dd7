package io.github.keycloaklti.testsupport.http;

/**
 * Settings of the JDK's HTTP server (the emulator's and the tool's), which it reads once, when the first server of
 * the JVM starts. By default it keeps at most 200 idle keep-alive connections and closes any further one right after
 * its answer, without telling the client. Every virtual browser of a load test leaves its connections to the
 * emulator idle, so after a few hundred logins the server closed the connection Keycloak's HTTP client had pooled
 * for its back-channel calls, and the next call on it failed ({@code NoHttpResponseException}): a fault of the
 * harness, not of Keycloak nor of a real platform. Keep-alive connections are kept instead (closed after 15 minutes
 * idle), and Nagle's algorithm is off (with delayed ACKs it added ~40 ms to some answers).
 */
public final class JdkHttpServers {

    private JdkHttpServers() {
    }

    /** Call before the JVM's first {@code HttpServer} is created (idempotent; a value set on the command line wins). */
    public static void configure() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxIdleConnections", "100000");
        System.getProperties().putIfAbsent("sun.net.httpserver.idleInterval", "900");
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }
}
