package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * The README's curl examples, and those of docs/tool-api.md after them, pasted in order into one shell as a new
 * user would (every {@code bash} block that
 * uses {@code $KC}), against the run's Keycloak instead of the demo's: each call must succeed ({@code curl -f}),
 * and what they describe must be there afterwards.
 */
@ExtendWith(KeycloakExtension.class)
class ReadmeExamplesIT {

    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^\\s*```bash\\n(.*?)^\\s*```");
    private static final String README_KEYCLOAK = "KC=http://localhost:8080";

    @Test
    void theReadmesCurlExamplesWorkPastedInOrderOnAFreshRealm(KeycloakServer server, Keycloak admin) throws Exception {
        // the README's examples, then those of the pages that continue them, in the order a reader follows them
        Path root = Path.of(System.getProperty("project.root", ".."));
        String readme = Files.readString(root.resolve("README.md")) + "\n"
                + Files.readString(root.resolve("docs/tool-api.md"));
        List<String> blocks = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(readme);
        while (block.find()) {
            if (block.group(1).contains("$KC") || block.group(1).contains(README_KEYCLOAK)) {
                blocks.add(block.group(1).replaceAll("(?m)^ {3}", "")); // blocks inside list items are indented
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        assertThat(blocks.get(0)).as("the first block says where Keycloak is").contains(README_KEYCLOAK);
        String script = "set -euo pipefail\n" + String.join("\necho\n", blocks)
                .replace(README_KEYCLOAK, "KC=" + server.baseUrl());

        Path file = Files.createTempFile("readme-examples", ".sh");
        Files.writeString(file, script);
        ProcessBuilder run = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        run.environment().put("CURL_CA_BUNDLE", server.certificate().certificatePem().toString());
        Process shell = run.start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(120, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(shell.exitValue()).as("the README's examples, run in order:\n%s\n---\n%s", script, output)
                    .isZero();
            RealmResource school = admin.realm("school");
            ClientRepresentation tool = school.clients().findByClientId("my-tool").get(0);
            assertThat(tool.getProtocolMappers()).anyMatch(m -> "oidc-lti-claims-mapper".equals(m.getProtocolMapper()));
            assertThat(school.identityProviders().get("moodle").toRepresentation().getProviderId()).isEqualTo("lti");
            assertThat(school.flows().getFlows()).anyMatch(f -> "lti first launch".equals(f.getAlias()));
            assertThat(school.clients().get(tool.getId()).getServiceAccountUser().getId()).satisfies(account ->
                    assertThat(school.users().get(account).roles().realmLevel().listEffective())
                            .anyMatch(role -> "lti-service".equals(role.getName())));
            assertThat(output).as("the tool configuration the LMS admin pastes")
                    .contains(server.realmUrl("school") + "/broker/moodle/endpoint/login")
                    .contains("/lti/dynamic-registration?link=").contains("\"2\"");
        } finally {
            admin.realm("school").remove();
        }
    }
}
