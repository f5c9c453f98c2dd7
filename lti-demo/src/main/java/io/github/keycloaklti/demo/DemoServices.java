package io.github.keycloaklti.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;
import io.github.keycloaklti.testsupport.tool.OidcTool;

/**
 * The demo's learning platform (the emulator, {@code localhost:8081}) and tool ({@code localhost:8082}), wired to a
 * Keycloak that imported the demo realm: what {@link Demo} runs next to the Keycloak it starts, and what the compose
 * file's {@code demo} service runs next to the Keycloak container (sharing its network, so that {@code localhost}
 * means the same inside the containers as in the browser).
 */
public final class DemoServices implements AutoCloseable {

    static final int PLATFORM_PORT = 8081;
    static final int TOOL_PORT = 8082;
    static final String REALM = "demo";
    static final String PLATFORM_ALIAS = "lti-emulator";
    static final String TOOL_CLIENT_ID = "demo-tool";

    private final PlatformEmulator platform;
    private final OidcTool tool;

    private DemoServices(PlatformEmulator platform, OidcTool tool) {
        this.platform = platform;
        this.tool = tool;
    }

    /**
     * Sets up the demo realm for LTI (the admin's one call), then starts the platform and the tool listening on
     * {@code bindAddress}, their URLs on {@code localhost}.
     */
    public static DemoServices start(String keycloakBaseUrl, String bindAddress) throws Exception {
        String realmUrl = keycloakBaseUrl + "/realms/" + REALM;
        setUpRealm(keycloakBaseUrl);
        String launchUri = realmUrl + "/broker/" + PLATFORM_ALIAS + "/endpoint";
        PlatformEmulator platform = PlatformEmulator.start(bindAddress, "localhost", PLATFORM_PORT, null);
        OidcTool tool = OidcTool.start(bindAddress, "localhost", TOOL_PORT, realmUrl, TOOL_CLIENT_ID,
                "demo-tool-secret");
        platform.register(new PlatformEmulator.Registration("keycloak-demo", "demo-deployment", launchUri + "/login",
                launchUri, realmUrl + "/protocol/openid-connect/certs", tool.launchUrl()));
        return new DemoServices(platform, tool);
    }

    public PlatformEmulator platform() {
        return platform;
    }

    public OidcTool tool() {
        return tool;
    }

    @Override
    public void close() {
        tool.close();
        platform.close();
    }

    /**
     * The compose file's {@code demo} service: waits for Keycloak ({@code KEYCLOAK_URL}, default
     * {@code http://localhost:8080}) to serve the demo realm, then runs the platform and the tool on all interfaces
     * ({@code DEMO_BIND}, default {@code 0.0.0.0}) until stopped.
     */
    public static void main(String[] args) throws Exception {
        String keycloak = System.getenv().getOrDefault("KEYCLOAK_URL", "http://localhost:8080");
        String bind = System.getenv().getOrDefault("DEMO_BIND", "0.0.0.0");
        waitForRealm(keycloak, Duration.ofMinutes(5));
        DemoServices services = start(keycloak, bind);
        Runtime.getRuntime().addShutdownHook(new Thread(services::close));
        System.out.printf("keycloak-lti demo: learning platform %s/ , demo tool %s/ , Keycloak %s/admin/ (admin / admin)%n",
                services.platform().baseUrl(), services.tool().baseUrl(), keycloak);
        Thread.currentThread().join();
    }

    private static void waitForRealm(String keycloakBaseUrl, Duration patience) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI realm = URI.create(keycloakBaseUrl + "/realms/" + REALM + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(realm).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("Keycloak did not serve the demo realm at " + realm + " within " + patience);
    }

    /** What an admin does once after registering a platform: the realm's LTI flows, bound where nothing else is. */
    private static void setUpRealm(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=admin-cli&username=" + KeycloakServer.ADMIN_USER
                + "&password=" + KeycloakServer.ADMIN_PASSWORD;
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String accessToken = new ObjectMapper().readTree(token.body()).path("access_token").asText();
        HttpResponse<String> setup = http.send(HttpRequest.newBuilder(URI.create(
                        baseUrl + "/admin/realms/" + REALM + "/lti/platforms/" + PLATFORM_ALIAS + "/realm-setup"))
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (setup.statusCode() != 200) {
            throw new IllegalStateException("realm setup failed: " + setup.statusCode() + " " + setup.body());
        }
    }
}
