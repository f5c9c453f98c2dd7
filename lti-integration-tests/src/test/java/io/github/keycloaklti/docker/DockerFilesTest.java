package io.github.keycloaklti.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/**
 * The compose file and Dockerfiles, checked without a Docker engine (none on the build machine): the stack they
 * describe is the one {@code DemoTopologyIT} runs without containers. Each service is built from a Dockerfile that
 * exists and copies what the Maven build makes and the build context lets through; every URL of the imported demo
 * realm names a port the stack publishes, from the network the demo services share; Keycloak has a health check the
 * demo waits for; the extension's switches are spelled as Keycloak reads them.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Pattern LOCALHOST_PORT = Pattern.compile("https?://localhost:(\\d+)");

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
    }

    @Test
    void everyBuiltServiceHasADockerfileThatCopiesOnlyWhatTheBuildMakesAndTheContextLetsThrough() throws IOException {
        JsonNode services = compose().path("services");
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));
        int built = 0;
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            JsonNode build = service.getValue().path("build");
            if (build.isMissingNode()) {
                assertThat(service.getValue().path("image").asText()).as(service.getKey()).matches(".+:[0-9][^:]*");
                continue;
            }
            built++;
            Path context = DOCKER.resolve(build.path("context").asText()).normalize();
            assertThat(context).as(service.getKey() + " context").isEqualTo(ROOT);
            Path dockerfile = context.resolve(build.path("dockerfile").asText());
            assertThat(dockerfile).as(service.getKey() + " Dockerfile").isRegularFile();
            for (String line : Files.readAllLines(dockerfile)) {
                String instruction = line.trim();
                if (instruction.startsWith("FROM ")) {
                    assertThat(instruction.split("\\s+")[1]).as("pinned image").matches(".+:[0-9][^:]*");
                }
                if (instruction.startsWith("COPY ") && !instruction.startsWith("COPY --from")) {
                    String source = instruction.split("\\s+")[1];
                    assertThat(source).as("built by Maven").matches("lti-[a-z-]+/target/.+");
                    assertThat(letThrough(ignore, source)).as("%s passes .dockerignore", source).isTrue();
                }
            }
        }
        assertThat(built).isEqualTo(2);
        assertThat(String.join("\n", Files.readAllLines(DOCKER.resolve("Dockerfile"))))
                .contains("kc.sh build").contains("KC_HEALTH_ENABLED=true").contains("declarative-ui")
                .contains("quay.io/keycloak/keycloak:" + System.getProperty("keycloak.dist.version", "26.7.3"));
    }

    /** .dockerignore's rules as Docker applies them: the last matching line wins, {@code !} lets through. */
    private static boolean letThrough(List<String> rules, String path) {
        boolean through = true;
        for (String rule : rules) {
            String r = rule.trim();
            if (r.isEmpty() || r.startsWith("#")) {
                continue;
            }
            boolean negated = r.startsWith("!");
            String pattern = negated ? r.substring(1) : r;
            String regex = pattern.replace(".", "\\.").replace("*", "[^/]*");
            if (path.matches(regex + "(/.*)?") || path.replaceAll("/$", "").matches(regex.replaceAll("/$", ""))) {
                through = negated;
            }
        }
        return through;
    }

    @Test
    void theDemoServicesShareKeycloaksNetworkSoThatTheRealmsUrlsMeanTheSameInsideAndOutside() throws IOException {
        JsonNode services = compose().path("services");
        JsonNode keycloak = services.path("keycloak");
        JsonNode demo = services.path("demo");
        assertThat(demo.path("network_mode").asText()).isEqualTo("service:keycloak");
        assertThat(demo.path("depends_on").path("keycloak").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(keycloak.path("healthcheck").path("test").toString()).contains("/health/ready");

        Set<String> published = new TreeSet<>();
        keycloak.path("ports").forEach(port -> published.add(port.asText().split(":")[0]));
        String realm = Files.readString(ROOT.resolve("lti-demo/src/main/resources/demo/demo-realm.json"));
        Set<String> used = new TreeSet<>();
        Matcher url = LOCALHOST_PORT.matcher(realm + " http://localhost:8080"); // Keycloak itself
        while (url.find()) {
            used.add(url.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(published).as("ports the demo realm's URLs use, published").containsAll(used);
        assertThat(keycloak.path("volumes").toString()).contains("demo-realm.json:/opt/keycloak/data/import/");
        assertThat(keycloak.path("command").toString()).contains("--import-realm").contains("--optimized");
        assertThat(keycloak.path("environment").path("KC_HOSTNAME").asText()).isEqualTo("http://localhost:8080");
    }

    @Test
    void theExtensionsSwitchesAreSpelledAsKeycloakReadsThem() throws IOException {
        List<String> options = new ArrayList<>();
        compose().path("services").path("keycloak").path("environment").fieldNames().forEachRemaining(name -> {
            if (name.startsWith("KC_SPI_")) {
                // Keycloak's mapping of an environment variable to an option: "__" is "--", "_" is "-"
                options.add(name.substring(3).toLowerCase().replace("__", "\u0000").replace('_', '-')
                        .replace("\u0000", "--"));
            }
        });
        assertThat(options).containsExactly(KeycloakServer.ALLOW_LOOPBACK_PLATFORMS);
    }
}
