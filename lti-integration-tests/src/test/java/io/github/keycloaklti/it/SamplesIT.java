package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.JWTClaimsSet;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent;
import io.github.keycloaklti.testsupport.http.BrowserlessUserAgent.Page;
import io.github.keycloaklti.testsupport.http.Exchanges;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;
import io.github.keycloaklti.testsupport.platform.LtiMessage;

/**
 * The tool developer's samples under {@code samples/}, each started as its README says (its own stack's OIDC
 * library, a client of the realm made as an admin makes one), launched from the platform emulator: the launch on
 * the page, a second launch, the roster and a score, deep linking. A sample that does not start fails its tests.
 */
class SamplesIT extends LtiRealmTest {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    private static final Path SAMPLES = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize()
            .resolve("samples");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** A started sample: its process, URL and log. */
    private record Sample(String name, String baseUrl, Process process, Path log) {
        String launchUrl() {
            return baseUrl + "/launch";
        }
    }

    /** The samples' tool clients: port, id and secret, made as an admin makes them. */
    private record Client(int port, String id, String secret) {
    }

    private static final List<String> NAMES = List.of("node", "python", "spring-boot");
    private static final Map<String, CompletableFuture<Sample>> STARTING = new ConcurrentHashMap<>();
    private static final ExecutorService STARTERS = Executors.newCachedThreadPool();

    /** The clients one after the other (each joins the registration's tools), then every sample at once. */
    @BeforeAll
    static void startSamples() {
        for (String name : NAMES) {
            try {
                Client client = register(name);
                STARTING.put(name, CompletableFuture.supplyAsync(() -> start(name, client), STARTERS));
            } catch (AssertionError e) {
                STARTING.put(name, CompletableFuture.failedFuture(e));
            }
        }
    }

    @AfterAll
    static void stopSamples() {
        List<Sample> started = STARTING.values().stream().map(f -> {
            try {
                return f.join();
            } catch (CompletionException e) {
                return null;
            }
        }).filter(java.util.Objects::nonNull).toList();
        started.forEach(sample -> {
            sample.process().descendants().forEach(ProcessHandle::destroy);
            sample.process().destroy();
        });
        for (Sample sample : started) {
            try {
                if (!sample.process().waitFor(10, TimeUnit.SECONDS)) {
                    sample.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        STARTERS.shutdownNow();
    }

    /** The started sample; one that could not start fails every test of it. */
    private static Sample sample(String name) {
        try {
            return STARTING.get(name).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof AssertionError failure ? failure : new AssertionError(e.getCause());
        }
    }

    private static Client register(String name) {
        assertThat(SAMPLES.resolve(name).resolve("README.md")).as("the sample's README").isRegularFile();
        int port = KeycloakServer.freePort();
        Client client = new Client(port, "sample-" + name, "sample-secret-" + UUID.randomUUID());
        lti.addToolClient(client.id(), client.secret(), "http://127.0.0.1:" + port, Map.of(), List.of());
        return client;
    }

    private static Sample start(String name, Client client) {
        Path dir = SAMPLES.resolve(name);
        int port = client.port();
        String baseUrl = "http://127.0.0.1:" + port;
        Path log = Path.of("target", "samples", name + ".log").toAbsolutePath();
        // only for the self-signed test server: each stack's own way of trusting one more certificate
        Path pem = lti.server().certificate().certificatePem().toAbsolutePath();
        Map<String, String> env = new java.util.HashMap<>(Map.of("KEYCLOAK_URL", lti.server().baseUrl(),
                "REALM", lti.name(), "CLIENT_ID", client.id(), "CLIENT_SECRET", client.secret(),
                "PORT", Integer.toString(port)));
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> command = switch (name) {
            case "node" -> {
                run(dir, log, List.of("npm", "ci", "--no-audit", "--no-fund"));
                env.put("NODE_EXTRA_CA_CERTS", pem.toString());
                yield List.of("node", "app.js");
            }
            case "python" -> {
                env.put("REQUESTS_CA_BUNDLE", pem.toString());
                env.put("PYTHONDONTWRITEBYTECODE", "1");
                yield List.of("/usr/bin/python3", "app.py");
            }
            case "spring-boot" -> {
                List<String> build = new ArrayList<>(List.of("mvn", "-q", "-B", "-ntp", "-f", "pom.xml", "package",
                        "-DskipTests"));
                if (System.getProperty("maven.repo.local") != null) {
                    build.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
                }
                run(dir, log, build);
                yield List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djavax.net.ssl.trustStore=" + truststore(pem, log.resolveSibling("truststore.p12")),
                        "-Djavax.net.ssl.trustStorePassword=changeit", "-jar", "target/sample-tool.jar");
            }
            default -> throw new IllegalArgumentException(name);
        };
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            Sample sample = new Sample(name, baseUrl, process, log);
            awaitPort(sample, port);
            return sample;
        } catch (IOException e) {
            throw new AssertionError("cannot start sample '" + name + "': " + e, e);
        }
    }

    /** A truststore holding only this certificate, as {@code keytool -importcert} makes one. */
    private static String truststore(Path pem, Path store) {
        try (var in = Files.newInputStream(pem); var out = Files.newOutputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setCertificateEntry("keycloak", CertificateFactory.getInstance("X.509").generateCertificate(in));
            keys.store(out, "changeit".toCharArray());
            return store.toString();
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot make the truststore", e);
        }
    }

    /** A set-up command of a sample (its package install), which must succeed. */
    private static void run(Path dir, Path log, List<String> command) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("%s failed in %s:%n%s", command, dir, tail(log));
            }
        } catch (IOException e) {
            fail("cannot run %s: %s", command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static void awaitPort(Sample sample, int port) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!sample.process().isAlive()) {
                fail("sample '%s' exited with %d:%n%s", sample.name(), sample.process().exitValue(), tail(sample.log()));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    sample.process().waitFor(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
        sample.process().destroyForcibly();
        fail("sample '%s' did not listen on %d within %s:%n%s", sample.name(), port, START_TIMEOUT, tail(sample.log()));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String text(Page page, String id) {
        Element element = page.document().getElementById(id);
        assertThat(element).as("#%s on %s: %s", id, page.uri(), page.text()).isNotNull();
        return element.text();
    }

    /** The sample's own authorization requests this browser sent to Keycloak, oldest first. */
    private static List<URI> authorizationRequests(BrowserlessUserAgent browser, String clientId) {
        return browser.history().stream()
                .filter(uri -> uri.toString().startsWith(lti.realmUrl() + "/protocol/openid-connect/auth?"))
                .filter(uri -> List.of(clientId).equals(Exchanges.multiParams(uri.getRawQuery()).get("client_id")))
                .toList();
    }

    /** The login_hint Keycloak gave the sample at its launch URL in the last launch of this browser. */
    private static String launchHint(BrowserlessUserAgent browser, Sample sample) {
        URI entry = browser.history().stream().filter(uri -> uri.toString().startsWith(sample.launchUrl() + "?"))
                .reduce((first, second) -> second).orElseThrow();
        return Exchanges.multiParams(entry.getRawQuery()).get("login_hint").get(0);
    }

    /** What a browser submits for this form: its inputs (a CSRF token too), and the button clicked. */
    private static Map<String, String> submitted(Element form, Element button) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        form.select("input[name]").forEach(input -> fields.put(input.attr("name"), input.attr("value")));
        if (button != null) {
            fields.put(button.attr("name"), button.attr("value"));
        }
        return fields;
    }

    private static Page launch(BrowserlessUserAgent browser, Sample sample, LtiMessage message) {
        Page page = browser.navigate(lti.platform().loginInitiationUrl(message.targetLinkUri(sample.launchUrl())));
        assertThat(page.uri().toString()).as("landed in the sample: %s", page.text()).startsWith(sample.baseUrl());
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page;
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "python", "spring-boot"})
    void aLearnerLaunchShowsTheLaunchAndASecondLaunchShowsTheNewLink(String name) {
        Sample sample = sample(name);
        String course = "course-" + UUID.randomUUID().toString().substring(0, 8);
        String learner = "s-" + UUID.randomUUID();
        BrowserlessUserAgent browser = lti.userAgent();

        Page page = launch(browser, sample, LtiMessage.resourceLink().user(learner, "Ada", "Lovelace")
                .context(course, "Analytical Engines 101").resourceLink("rl-1", "Week 1: Notes").custom("chapter", "3"));

        assertThat(text(page, "user")).isEqualTo("Ada Lovelace");
        assertThat(text(page, "course")).isEqualTo("Analytical Engines 101");
        assertThat(text(page, "roles")).contains(LtiMessage.LEARNER);
        assertThat(text(page, "resource-link")).isEqualTo("Week 1: Notes");
        assertThat(text(page, "custom")).contains("chapter").contains("3");
        String hint = launchHint(browser, sample);
        assertThat(hint).startsWith("lti-launch.");
        List<URI> requests = authorizationRequests(browser, "sample-" + name);
        assertThat(requests).as("a new authorization request at the launch URL").hasSize(1);
        assertThat(Exchanges.multiParams(requests.get(0).getRawQuery()).get("login_hint"))
                .as("the launch's login_hint passed on").containsExactly(hint);

        Page second = launch(browser, sample, LtiMessage.resourceLink().user(learner, "Ada", "Lovelace")
                .context(course, "Analytical Engines 101").resourceLink("rl-2", "Week 2: The engine"));

        assertThat(text(second, "resource-link")).isEqualTo("Week 2: The engine");
        assertThat(text(second, "custom")).contains("chapter").contains("1");
        List<URI> both = authorizationRequests(browser, "sample-" + name);
        assertThat(both).as("one more authorization request, in a browser with a session").hasSize(2);
        assertThat(Exchanges.multiParams(both.get(1).getRawQuery()).get("login_hint"))
                .containsExactly(launchHint(browser, sample)).doesNotContain(hint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "python", "spring-boot"})
    void anInstructorSeesTheRosterAndPostsALearnersScore(String name) {
        Sample sample = sample(name);
        String course = "course-" + UUID.randomUUID().toString().substring(0, 8);
        String learner = "learner-" + UUID.randomUUID().toString().substring(0, 8);
        lti.platform().services().setMembers(course, List.of(
                Map.of("user_id", "teacher-1", "name", "Grace Hopper", "roles", List.of(LtiMessage.INSTRUCTOR),
                        "status", "Active"),
                Map.of("user_id", learner, "name", "Lin Learner", "roles", List.of(LtiMessage.LEARNER),
                        "status", "Active")));
        BrowserlessUserAgent browser = lti.userAgent();

        Page page = launch(browser, sample, LtiMessage.resourceLink().user("teacher-1", "Grace", "Hopper")
                .asInstructor().context(course, "Compilers"));

        Document document = page.document();
        assertThat(document.select("#roster .user-id").eachText()).as(page.text()).contains("teacher-1", learner);
        Element form = document.select("#roster form").stream()
                .filter(f -> learner.equals(f.select("input[name=user_id]").attr("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("no score action for " + learner + ": " + page.text()));
        Instant before = Instant.now().minusSeconds(5);

        Page posted = browser.post(page.uri().resolve(form.attr("action")).toString(), submitted(form, null));

        assertThat(posted.status()).as(posted.text()).isEqualTo(200);
        String lineItem = text(posted, "lineitem");
        assertThat(lineItem).startsWith(lti.platform().baseUrl() + "/ags/" + course + "/lineitems/");
        assertThat(lti.platform().services().scores(lineItem)).singleElement().satisfies(score -> {
            assertThat(score).containsEntry("userId", learner).containsEntry("scoreGiven", 7)
                    .containsEntry("scoreMaximum", 10).containsEntry("activityProgress", "Completed")
                    .containsEntry("gradingProgress", "FullyGraded");
            assertThat(java.time.OffsetDateTime.parse((String) score.get("timestamp")).toInstant()).isAfter(before);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "python", "spring-boot"})
    void aDeepLinkingLaunchPicksAnItemThatThePlatformReceivesSigned(String name) throws Exception {
        Sample sample = sample(name);
        BrowserlessUserAgent browser = lti.userAgent();
        int received = lti.platform().services().deepLinkResponses().size();

        Page picker = launch(browser, sample, LtiMessage.deepLinking().user("t-" + UUID.randomUUID(), "Grace", "Hopper"));

        Element form = picker.document().getElementById("picker");
        assertThat(form).as(picker.text()).isNotNull();
        Element choice = form.selectFirst("button[name=title]");
        Page platform = browser.post(picker.uri().resolve(form.attr("action")).toString(), submitted(form, choice));

        assertThat(platform.uri().toString()).as(platform.text()).startsWith(lti.platform().baseUrl() + "/deep-link-return");
        assertThat(platform.text()).contains("Received 1 content item(s)");
        List<JWTClaimsSet> responses = lti.platform().services().deepLinkResponses();
        assertThat(responses).hasSize(received + 1);
        JWTClaimsSet response = responses.get(responses.size() - 1);
        assertThat(response.getStringClaim(LTI + "message_type")).isEqualTo("LtiDeepLinkingResponse");
        assertThat(response.getIssuer()).isEqualTo(LtiRealm.PLATFORM_CLIENT_ID);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) response.getClaim(DL + "content_items");
        assertThat(items).singleElement().satisfies(item -> assertThat(item)
                .containsEntry("type", "ltiResourceLink").containsEntry("title", choice.attr("value"))
                .containsEntry("url", sample.launchUrl()));
    }
}
