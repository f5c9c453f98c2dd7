package io.github.keycloaklti.it;

import java.nio.file.Path;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.keycloak.TestCertificate;

/**
 * Starts the real Keycloak distribution with the bundle JAR once per test run (the root context's store closes
 * it at the end, failures or not), and prints the tail of its log when a test fails. The full log stays at
 * {@code target/keycloak-run/keycloak.log}.
 */
public class KeycloakExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final String KEY = "keycloak-lti.server";
    private static final String CERTIFICATE = "keycloak-lti.certificate";

    /** The running server and an admin client; closed by JUnit when the whole run ends. */
    public record Running(KeycloakServer server, Keycloak admin) implements AutoCloseable {
        @Override
        public void close() {
            admin.close();
            server.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    static Running running(ExtensionContext context) {
        TestCertificate certificate = certificate(context);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> start(certificate), Running.class);
    }

    /**
     * The run's test certificate, which the shared server serves and the test JVM trusts (its default TLS settings,
     * used by the tool stand-in and the emulator when they call Keycloak): made once, for test classes that start
     * servers of their own too ({@link SharedCertificate}).
     */
    static TestCertificate certificate(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(CERTIFICATE, key -> {
            TestCertificate made = TestCertificate.createIn(Path.of(System.getProperty("keycloak.work",
                    "target/keycloak-run")).toAbsolutePath());
            SSLContext ssl = made.trustingSslContext();
            SSLContext.setDefault(ssl);
            HttpsURLConnection.setDefaultSSLSocketFactory(ssl.getSocketFactory());
            return made;
        }, TestCertificate.class);
    }

    private static Running start(TestCertificate certificate) {
        // declarative-ui: the admin console's "LTI registration links" page (an admin UI extension of ours); a
        // rotated platform key is refetched after 2 seconds instead of Keycloak's 10 (PlatformKeysIT waits it out)
        KeycloakServer server = KeycloakServer.start(new KeycloakServer.Options().certificate(certificate)
                .arg("--features=declarative-ui")
                .arg("--spi-public-key-storage--infinispan--min-time-between-requests=2")
                // a token service the operator trusts outside its issuers' origin (RegistrationBoundariesIT)
                .arg("--spi-realm-restapi-extension--lti--trusted-token-origins=https://auth.trusted-lms.example"));
        SSLContext ssl = server.sslContext();
        Keycloak admin = KeycloakBuilder.builder().serverUrl(server.baseUrl()).realm("master").clientId("admin-cli")
                .username(KeycloakServer.ADMIN_USER).password(KeycloakServer.ADMIN_PASSWORD)
                .resteasyClient(new org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl()
                        .sslContext(ssl).connectionPoolSize(10).build())
                .build();
        return new Running(server, admin);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == Keycloak.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Running running = running(extension);
        return parameter.getParameter().getType() == KeycloakServer.class ? running.server() : running.admin();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Object running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).get(KEY);
        if (running instanceof Running r) {
            System.err.println("---- Keycloak log (last 60 lines) after failure of " + context.getDisplayName()
                    + "; full log: " + r.server().logFile() + " ----\n" + r.server().logTail(60) + "\n---- end ----");
        }
    }
}
