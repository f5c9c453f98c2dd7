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
        DemoServices services = DemoServices.start(keycloak.baseUrl(), "localhost");
        PlatformEmulator platform = services.platform();
        OidcTool tool = services.tool();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            services.close();
            keycloak.close();
        }));

        System.out.println("""

                keycloak-lti demo is running.

                  Learning platform (emulator):  %s/
                      open it and click "Launch as learner": you land in the demo tool, logged in through OIDC,
                      with the launch's claims.
                  Keycloak admin console:        %s/admin/  (admin / admin; it opens on "master": switch to "demo")
                      the platform's registration: realm "demo", identity provider "%s", tool client "%s"
                  URLs for the LMS admin:        %s
                  Demo tool:                     %s/
                  Launch metrics:                %s/metrics  (lti_launches_total; this port is chosen at each start)
                  Keycloak log:                  %s

                The demo's data is reset at each start.

                Press Ctrl-C to stop.
                """.formatted(platform.baseUrl(), keycloak.baseUrl(), DemoServices.PLATFORM_ALIAS,
                DemoServices.TOOL_CLIENT_ID, keycloak.baseUrl() + "/realms/" + DemoServices.REALM + "/lti/platforms/"
                        + DemoServices.PLATFORM_ALIAS + "/tool-configuration", tool.baseUrl(),
                keycloak.managementUrl(), keycloak.logFile()));
        while (keycloak.isRunning()) {
            Thread.sleep(1000);
        }
        System.out.println("Keycloak stopped; see " + keycloak.logFile());
    }
}
