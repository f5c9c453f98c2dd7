package io.github.keycloaklti.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.keycloaklti.testsupport.TestFiles;

/**
 * The previous release's provider JAR, for the rolling-update test: the revision the build names (a commit until the
 * first release, then the release's tag) taken from this repository's history with {@code git archive}, only its
 * bundle packaged by Maven ({@code package}, never {@code install}: nothing of it reaches the local repository), and
 * the JAR cached under {@code target/} by commit, so that a second run does not build it again. A JAR given instead
 * ({@code keycloak-lti.upgrade.from.jar}, e.g. a downloaded release) is used as it is.
 *
 * <p>Without git or without the revision in the history (a source archive, a shallow clone) there is no previous
 * release to test against: that is an error saying so, never a silent skip.
 */
public final class PreviousRelease {

    private PreviousRelease() {
    }

    /** How the JAR is obtained: from where, with which Maven, into which cache. */
    public record Source(Path repository, String revision, Path givenJar, Path cache, Path maven,
                         Path localRepository) {

        /** From the system properties the Maven build sets (see lti-integration-tests' pom). */
        public static Source fromSystemProperties() {
            String given = System.getProperty("keycloak-lti.upgrade.from.jar", "");
            String mavenHome = System.getProperty("maven.home", "");
            String localRepository = System.getProperty("keycloak-lti.upgrade.local-repository", "");
            return new Source(Path.of(System.getProperty("keycloak-lti.repository", "..")).toAbsolutePath().normalize(),
                    System.getProperty("keycloak-lti.upgrade.from", ""),
                    given.isBlank() ? null : Path.of(given),
                    Path.of(System.getProperty("keycloak-lti.upgrade.cache", "target/upgrade-from")),
                    mavenHome.isBlank() || !Files.isExecutable(Path.of(mavenHome, "bin", "mvn")) ? Path.of("mvn")
                            : Path.of(mavenHome, "bin", "mvn"),
                    localRepository.isBlank() ? null : Path.of(localRepository));
        }
    }

    /** What was obtained: a providers directory holding only the previous release's JAR, and how. */
    public record Jar(Path providers, String revision, String commit, boolean built, long millis) {

        public Path jar() {
            return providers.resolve("keycloak-lti.jar");
        }
    }

    public static Jar obtain(Source source) {
        long start = System.nanoTime();
        try {
            if (source.givenJar() != null) {
                if (!Files.isRegularFile(source.givenJar())) {
                    throw new IllegalStateException("keycloak-lti.upgrade.from.jar names no file: " + source.givenJar());
                }
                Path providers = source.cache().resolve("given/providers");
                install(source.givenJar(), providers);
                return new Jar(providers, source.givenJar().toString(), null, false, millisSince(start));
            }
            String commit = commitOf(source);
            Path dir = source.cache().resolve(commit).toAbsolutePath();
            Path providers = dir.resolve("providers");
            if (Files.isRegularFile(providers.resolve("keycloak-lti.jar"))) {
                return new Jar(providers, source.revision(), commit, false, millisSince(start));
            }
            Path src = dir.resolve("src");
            TestFiles.deleteRecursively(src);
            Files.createDirectories(src);
            Path archive = dir.resolve("src.tar");
            run(List.of("git", "-C", source.repository().toString(), "archive", "--format=tar", "-o",
                    archive.toString(), commit), dir.resolve("git.log"), 2);
            run(List.of("tar", "-xf", archive.toString(), "-C", src.toString()), dir.resolve("tar.log"), 2);
            Files.delete(archive);
            List<String> mvn = new ArrayList<>(List.of(source.maven().toString(), "-B", "-ntp", "-q",
                    "-f", src.resolve("pom.xml").toString(), "-pl", "lti-bundle", "-am", "package",
                    "-Dmaven.test.skip=true"));
            if (source.localRepository() != null) {
                mvn.add("-Dmaven.repo.local=" + source.localRepository());
            }
            try {
                // offline first: its dependencies are mostly this build's, already in the local repository
                List<String> offline = new ArrayList<>(mvn);
                offline.add("-o");
                run(offline, dir.resolve("build-offline.log"), 10);
            } catch (IllegalStateException missingOffline) {
                run(mvn, dir.resolve("build.log"), 10);
            }
            Path built;
            try (Stream<Path> jars = Files.list(src.resolve("lti-bundle/target"))) {
                built = jars.filter(p -> p.getFileName().toString().startsWith("keycloak-lti-")
                        && p.getFileName().toString().endsWith(".jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the previous release's build made no bundle "
                                + "JAR in " + src.resolve("lti-bundle/target")));
            }
            install(built, providers);
            TestFiles.deleteRecursively(src);
            return new Jar(providers, source.revision(), commit, true, millisSince(start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full commit id of the revision, from the repository's history; an error that says what to do if none. */
    private static String commitOf(Source source) throws IOException {
        String revision = source.revision();
        if (revision == null || revision.isBlank()) {
            throw new IllegalStateException("no previous release named: set keycloak-lti.upgrade.from (a commit or "
                    + "tag of this repository) or keycloak-lti.upgrade.from.jar (the previous release's JAR)");
        }
        Process git;
        try {
            git = new ProcessBuilder("git", "-C", source.repository().toString(), "rev-parse", "--verify", "--quiet",
                    revision + "^{commit}").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(cannotFind(source, "git cannot be run (" + e.getMessage() + ")"), e);
        }
        String output = new String(git.getInputStream().readAllBytes()).trim();
        try {
            if (!git.waitFor(1, TimeUnit.MINUTES) || git.exitValue() != 0 || !output.matches("[0-9a-f]{40,64}")) {
                throw new IllegalStateException(cannotFind(source, "git rev-parse answered '" + output + "'"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return output;
    }

    private static String cannotFind(Source source, String why) {
        return "The rolling-update test needs the previous release's JAR, built from revision '" + source.revision()
                + "' (keycloak-lti.upgrade.from) of the git repository at " + source.repository() + ", which is not "
                + "there: " + why + ". Build from a git clone with its history (git fetch --unshallow in a shallow "
                + "one), or pass -Dkeycloak-lti.upgrade.from.jar=/path/to/the/previous/keycloak-lti.jar";
    }

    private static void install(Path jar, Path providers) throws IOException {
        Files.createDirectories(providers);
        Path partial = providers.resolve("keycloak-lti.jar.partial");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, providers.resolve("keycloak-lti.jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(List<String> command, Path log, int timeoutMinutes) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutMinutes
                        + " minutes; its output: " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

}
