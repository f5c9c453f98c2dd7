package io.github.keycloaklti.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;

/**
 * The deployment guides' files (deploy/, and the image of docker/Dockerfile they use), checked without a cluster or a container engine: the Operator's image is
 * built optimized with the build-time options and its custom resource carries runtime options only; the Helm values
 * put a checked JAR into providers/ from an init container; every image is Keycloak's own, pinned to the release the
 * suite tests (no Bitnami image anywhere); every extension option named exists in the Server options table (docs/operations.md).
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final String KEYCLOAK = "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.dist.version", "26.7.3");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Options Keycloak fixes at build time: in the image, never in the custom resource of an optimized start. */
    private static final List<String> BUILD_TIME = List.of("db", "features", "features-disabled", "health-enabled",
            "metrics-enabled", "cache", "cache-stack", "http-relative-path", "transaction-xa-enabled");

    @Test
    void theOperatorsImageIsBuiltWithTheExtensionAndItsResourceCarriesRuntimeOptionsOnly() throws IOException {
        // the image is the compose file's (docker/Dockerfile): one image to build, for Compose and the Operator alike
        String containerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        assertThat(containerfile).contains("FROM " + KEYCLOAK + " AS builder").contains("kc.sh build")
                .contains("COPY lti-bundle/target/keycloak-lti-*.jar /opt/keycloak/providers/")
                .contains("KC_DB=postgres").contains("KC_FEATURES=declarative-ui");

        JsonNode keycloak = YAML.readTree(DEPLOY.resolve("operator/keycloak.yaml").toFile());
        assertThat(keycloak.path("apiVersion").asText()).isEqualTo("k8s.keycloak.org/v2alpha1");
        assertThat(keycloak.path("kind").asText()).isEqualTo("Keycloak");
        JsonNode spec = keycloak.path("spec");
        assertThat(spec.path("startOptimized").asBoolean()).as("the image's build, as built").isTrue();
        assertThat(spec.path("image").asText()).isNotBlank().doesNotContain("quay.io/keycloak/keycloak:");
        assertThat(spec.has("features")).as("features are built into the image").isFalse();
        assertThat(spec.path("db").has("vendor")).as("the database vendor is built into the image").isFalse();
        List<String> options = new ArrayList<>();
        spec.path("additionalOptions").forEach(option -> options.add(option.path("name").asText()));
        assertThat(options).isNotEmpty().noneMatch(BUILD_TIME::contains);
        assertThat(options).allSatisfy(DeploymentFilesTest::assertTheReadmeListsIt);
    }

    @Test
    void theHelmValuesCopyACheckedJarIntoProvidersFromAnInitContainer() throws IOException {
        JsonNode values = YAML.readTree(DEPLOY.resolve("helm/keycloakx-values.yaml").toFile());
        assertThat(values.path("image").path("repository").asText() + ":" + values.path("image").path("tag").asText())
                .isEqualTo(KEYCLOAK);
        JsonNode init = YAML.readTree(values.path("extraInitContainers").asText()).get(0);
        String volume = init.path("volumeMounts").get(0).path("name").asText();
        assertThat(init.path("command").toString()).contains("sha256sum -c").contains("/providers/keycloak-lti.jar");
        JsonNode mounts = YAML.readTree(values.path("extraVolumeMounts").asText());
        assertThat(mounts.get(0).path("name").asText()).isEqualTo(volume);
        assertThat(mounts.get(0).path("mountPath").asText()).isEqualTo("/opt/keycloak/providers");
        assertThat(YAML.readTree(values.path("extraVolumes").asText()).get(0).path("name").asText()).isEqualTo(volume);
        assertThat(values.path("command").toString()).contains("start").contains("--features=declarative-ui");
        Matcher env = Pattern.compile("name: KC_SPI_([A-Z0-9_]+)").matcher(values.path("extraEnv").asText());
        while (env.find()) {
            // Keycloak's mapping of an environment variable to an option: "__" is "--", "_" is "-"
            assertTheReadmeListsIt("spi-" + env.group(1).toLowerCase().replace("__", "\u0000").replace('_', '-')
                    .replace("\u0000", "--"));
        }
    }

    @Test
    void noGuideUsesBitnamisImages() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(DEPLOY), Files.walk(ROOT.resolve("docker")))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file).toLowerCase()).as(file.toString()).doesNotContain("bitnami");
            }
        }
    }

    private static void assertTheReadmeListsIt(String option) {
        try {
            String readme = Files.readString(ROOT.resolve("docs/operations.md"));
            String lti = "spi-realm-restapi-extension--lti--";
            if (option.startsWith(lti)) {
                assertThat(readme).as("docs/operations.md's Server options list " + option).contains("`R`" + option.substring(lti.length()));
            } else {
                assertThat(readme).as("docs/operations.md's Server options list " + option).contains("--" + option);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
