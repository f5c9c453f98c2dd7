package io.github.keycloaklti.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import org.junit.jupiter.api.Test;

/**
 * The architecture's rules, as the build checks them (a rule nothing checks comes undone): no package cycle in any
 * module, no package split across modules, the launch side never depending on the REST tier, and a bundle that
 * carries no JOSE library of its own (Keycloak's is the one that verifies launches). Reads the modules' compiled
 * classes, so it runs wherever the reactor built them ({@code mvn verify}).
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The product's modules, then the ones that serve the tests and the demo. */
    private static final List<String> PRODUCT = List.of("lti-idp-provider", "lti-compat-264", "lti-rest-resource");
    private static final List<String> ALL = List.of("lti-idp-provider", "lti-compat-264", "lti-rest-resource",
            "lti-test-support", "lti-demo");

    private static JavaClasses classesOf(String module) {
        Path classes = ROOT.resolve(module).resolve("target/classes");
        assertThat(classes).as("compiled classes of %s (build the reactor first)", module).isDirectory();
        return new ClassFileImporter().importPath(classes);
    }

    private static JavaClasses classesOf(List<String> modules) {
        return new ClassFileImporter().importPaths(modules.stream().map(m -> ROOT.resolve(m).resolve("target/classes"))
                .toList());
    }

    @Test
    void noModuleHasAPackageCycle() {
        for (String module : ALL) {
            slices().matching("io.github.keycloaklti.(*)..").namingSlices("package $1 of " + module)
                    .should().beFreeOfCycles().allowEmptyShould(true).check(classesOf(module));
        }
        // nor the product as a whole (lti-compat-264 builds on the launch side, never the other way)
        slices().matching("io.github.keycloaklti.(*)..").should().beFreeOfCycles().check(classesOf(PRODUCT));
    }

    @Test
    void noPackageIsSplitAcrossModules() {
        Map<String, Set<String>> modulesOfPackage = new TreeMap<>();
        for (String module : ALL) {
            for (JavaClass type : classesOf(module)) {
                modulesOfPackage.computeIfAbsent(type.getPackageName(), p -> new TreeSet<>()).add(module);
            }
        }
        assertThat(modulesOfPackage).isNotEmpty();
        assertThat(modulesOfPackage.entrySet()).as("packages found in more than one module")
                .allSatisfy(entry -> assertThat(entry.getValue()).as(entry.getKey()).hasSize(1));
    }

    @Test
    void theLaunchSideNeverDependsOnTheRestTier() {
        Set<String> restPackages = new TreeSet<>();
        classesOf("lti-rest-resource").forEach(type -> restPackages.add(type.getPackageName()));
        assertThat(restPackages).isNotEmpty();
        noClasses().should().dependOnClassesThat().resideInAnyPackage(restPackages.toArray(String[]::new))
                .check(classesOf(List.of("lti-idp-provider", "lti-compat-264")));
    }

    private static Path bundle() throws IOException {
        try (Stream<Path> jars = Files.list(ROOT.resolve("lti-bundle/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("keycloak-lti-.*\\.jar")
                    && !p.getFileName().toString().startsWith("original-")).findFirst().orElseThrow();
        }
    }

    /** A university deploying the JAR reads which version it is, and which Keycloak releases it was tested on. */
    @Test
    void theBundleSaysItsVersionAndTheKeycloakReleasesItWasTestedOn() throws IOException {
        try (JarFile jar = new JarFile(bundle().toFile())) {
            var manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Implementation-Title")).isEqualTo("keycloak-lti");
            assertThat(manifest.getValue("Implementation-Version")).isNotBlank();
            assertThat(manifest.getValue("Keycloak-Tested-Releases")).matches("26\\.\\d+\\.\\d+(, 26\\.\\d+\\.\\d+)+");
            var version = new java.util.Properties();
            try (var in = jar.getInputStream(jar.getEntry("META-INF/keycloak-lti-version.properties"))) {
                version.load(in);
            }
            assertThat(version.getProperty("version")).isEqualTo(manifest.getValue("Implementation-Version"));
            assertThat(version.getProperty("tested")).isEqualTo(manifest.getValue("Keycloak-Tested-Releases"));
        }
    }

    @Test
    void theBundleCarriesNoJoseLibraryOfItsOwn() throws IOException {
        Path bundle = bundle();
        List<String> jose = List.of("com/nimbusds/", "org/jose4j/", "io/jsonwebtoken/", "com/auth0/jwt/",
                "org/bitbucket/b_c/", "net/minidev/json/");
        try (JarFile jar = new JarFile(bundle.toFile())) {
            List<String> classes = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
            assertThat(classes).as("the bundle's classes").isNotEmpty()
                    .noneMatch(name -> jose.stream().anyMatch(name::startsWith))
                    .allMatch(name -> name.startsWith("io/github/keycloaklti/"));
        }
    }
}
