package io.github.keycloaklti.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and ChromeDriver (installed by {@code .ci/run}), headless, with a fresh profile. Nothing is
 * downloaded: both executables are given explicitly. The certificate flag only spares the test CA install;
 * the page is still an HTTPS, secure context, so Keycloak's SameSite=None cookies behave as in production.
 */
final class HeadlessChromium {

    /** The profiles this run created, removed when the test JVM exits (a profile is tens of MB of cache). */
    private static final List<Path> PROFILES = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROFILES.forEach(HeadlessChromium::deleteQuietly)));
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a profile left behind in the temp directory is harmless
        }
    }

    static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Chromium with its default cookie settings (here: third-party cookies blocked). */
    static WebDriver start() {
        return start(false);
    }

    /**
     * @param allowThirdPartyCookies as Chrome's default settings do; Debian's headless Chromium blocks them, which
     *        makes every Keycloak cookie inside the platform's iframe unavailable
     */
    static WebDriver start(boolean allowThirdPartyCookies) {
        return start(allowThirdPartyCookies ? Map.of("profile.cookie_controls_mode", 0,
                "profile.block_third_party_cookies", false) : null);
    }

    /**
     * Third-party cookies blocked, and every cookie of {@code embeddedOrigin} inside pages of {@code topLevelOrigin}
     * too, partitioned ones included: a browser without partitioned cookies (CHIPS), as far as that site goes.
     */
    static WebDriver startWithoutCookiesFor(String embeddedOrigin, String topLevelOrigin) {
        return start(Map.of("profile.content_settings.exceptions.cookies",
                Map.of(embeddedOrigin + "," + topLevelOrigin, Map.of("setting", 2))));
    }

    private static WebDriver start(Map<String, Object> prefs) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PROFILES.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--ignore-certificate-errors", "--user-data-dir=" + profile);
        if (prefs != null) {
            options.setExperimentalOption("prefs", prefs);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
