package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed TLS certificate made at test time with the JDK's keytool, for Keycloak over HTTPS on loopback
 * (its cookies are {@code SameSite=None; Secure} only there), and an SSLContext that trusts exactly it.
 */
public final class TestCertificate {

    public static final String PASSWORD = "keycloak-lti-test";

    private final Path keyStore;

    private TestCertificate(Path keyStore) {
        this.keyStore = keyStore;
    }

    public static TestCertificate createIn(Path directory) {
        Path keyStore = directory.resolve("tls.p12");
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(keyStore);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                    "-keyalg", "RSA", "-keysize", "2048", "-validity", "7", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:127.0.0.2,ip:127.0.0.3",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new TestCertificate(keyStore);
    }

    public Path keyStore() {
        return keyStore;
    }

    /** The certificate alone, PEM-encoded: for Keycloak's truststore, so that it trusts the platform emulator. */
    public Path certificatePem() {
        Path pem = keyStore.resolveSibling("tls-cert.pem");
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(store.getCertificate("server").getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            return pem;
        } catch (Exception e) {
            throw new IllegalStateException("cannot export the test certificate", e);
        }
    }

    /** Serves HTTPS with this certificate (the platform emulator, where a test needs an HTTPS platform). */
    public SSLContext serverSslContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test certificate", e);
        }
    }

    public SSLContext trustingSslContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test certificate", e);
        }
    }
}
