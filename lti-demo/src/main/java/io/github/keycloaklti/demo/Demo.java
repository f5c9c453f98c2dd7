package io.github.keycloaklti.demo;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.platform.PlatformEmulator;
import io.github.keycloaklti.testsupport.tool.OidcTool;

/**
 * The README's run command: Keycloak 26.7.3 with the extension on its embedded database and the demo realm
 * imported, the platform emulator registered in it as an LTI platform, and the demo tool, an ordinary OIDC
 * client. Everything on localhost; Ctrl-C stops it all.
 */
public final class Demo {

    static final int KEYCLOAK_PORT = 8080;
    static final int PLATFORM_PORT = 8081;
    static final int TOOL_PORT = 8082;
    static final String REALM = "demo";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path imports = Path.of(System.getProperty("keycloak.work", "target/keycloak-run"), "import");
        Files.createDirectories(imports);
        try (InputStream realm = Demo.class.getResourceAsStream("/demo/demo-realm.json")) {
            Files.copy(realm, imports.resolve("demo-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("Starting Keycloak 26.7.3 with keycloak-lti (about a minute the first time)...");
        KeycloakServer keycloak = KeycloakServer.start(new KeycloakServer.Options().https(false).port(KEYCLOAK_PORT)
                .importRealmsFrom(imports).arg("--features=declarative-ui")); // the "LTI registration links" page
        String realmUrl = keycloak.realmUrl(REALM);
        setUpRealm(keycloak.baseUrl(), "lti-emulator");
        String launchUri = realmUrl + "/broker/lti-emulator/endpoint";

        PlatformEmulator platform = PlatformEmulator.start("localhost", PLATFORM_PORT);
        OidcTool tool = OidcTool.start("localhost", TOOL_PORT, realmUrl, "demo-tool", "demo-tool-secret");
        platform.register(new PlatformEmulator.Registration("keycloak-demo", "demo-deployment", launchUri + "/login",
                launchUri, realmUrl + "/protocol/openid-connect/certs", tool.launchUrl()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tool.close();
            platform.close();
            keycloak.close();
        }));

        System.out.println("""

                keycloak-lti demo is running.

                  Learning platform (emulator):  %s/
                      open it and click "Launch as learner": you land in the demo tool, logged in through OIDC,
                      with the launch's claims.
                  Keycloak admin console:        %s/admin/  (admin / admin; it opens on "master": switch to "demo")
                  Demo tool:                     %s/
                  Launch metrics:                %s/metrics  (lti_launches_total)
                  Keycloak log:                  %s

                The demo's data is reset at each start.

                Press Ctrl-C to stop.
                """.formatted(platform.baseUrl(), keycloak.baseUrl(), tool.baseUrl(), keycloak.managementUrl(),
                keycloak.logFile()));
        while (keycloak.isRunning()) {
            Thread.sleep(1000);
        }
        System.out.println("Keycloak stopped; see " + keycloak.logFile());
    }

    /** What an admin does once after registering a platform: the realm's LTI flows, bound where nothing else is. */
    private static void setUpRealm(String baseUrl, String alias) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=admin-cli&username=" + KeycloakServer.ADMIN_USER
                + "&password=" + KeycloakServer.ADMIN_PASSWORD;
        java.net.http.HttpResponse<String> token = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String accessToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.body())
                .path("access_token").asText();
        java.net.http.HttpResponse<String> setup = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        baseUrl + "/admin/realms/" + REALM + "/lti/platforms/" + alias + "/realm-setup"))
                .header("Authorization", "Bearer " + accessToken)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (setup.statusCode() != 200) {
            throw new IllegalStateException("realm setup failed: " + setup.statusCode() + " " + setup.body());
        }
    }
}
