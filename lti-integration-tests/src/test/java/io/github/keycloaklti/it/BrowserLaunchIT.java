package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchFrameException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;



/**
 * Launches in a real browser: platform (127.0.0.1), Keycloak over HTTPS (localhost) and tool (127.0.0.2) are
 * three different sites, so the platform's form POST to Keycloak is cross-site, and inside the platform's iframe
 * every Keycloak cookie is a third-party cookie.
 */
class BrowserLaunchIT extends LtiRealmTest {

    private WebDriver browser;


    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    private WebDriverWait waitUpTo(int seconds) {
        return waitUpTo(browser, seconds);
    }

    private static WebDriverWait waitUpTo(WebDriver browser, int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private String describe() {
        return describe(browser);
    }

    /**
     * Where the browser is and what it shows, for failure messages: the top page, and the tool's frame when there is
     * one (entered afresh, whatever frame the driver was left in).
     */
    private static String describe(WebDriver browser) {
        browser.switchTo().defaultContent();
        String top = browser.getCurrentUrl() + "\n" + browser.findElement(By.tagName("body")).getText();
        try {
            browser.switchTo().frame("tool-frame");
        } catch (NoSuchFrameException noFrame) {
            return top;
        }
        Object here = ((JavascriptExecutor) browser).executeScript("return location.href");
        return top + "\n--- tool frame: " + here + "\n" + browser.findElement(By.tagName("body")).getText();
    }

    /**
     * {@code condition}, checked in the course page's tool frame entered afresh at each try. The frame navigates
     * across origins (auto-posted forms, redirects) while the test waits, and Chromium may replace the frame under
     * the driver, which then answers from the top page: a wait that entered the frame once can miss the tool there.
     * After the wait, the driver is in the frame.
     */
    private static <T> ExpectedCondition<T> inToolFrame(ExpectedCondition<T> condition) {
        return driver -> {
            driver.switchTo().defaultContent();
            try {
                driver.switchTo().frame("tool-frame");
            } catch (NoSuchFrameException notYet) {
                return null;
            }
            return condition.apply(driver);
        };
    }

    /**
     * A learner's first launch from the course page into its frame, with a tool that ignores the launch hint and
     * {@code browser} keeping whatever cookies it keeps there: the learner lands in the tool, in the frame, as
     * themselves, in {@code course}; the course page stays on top and no window opens. With {@code storage} the
     * course page is the platform's storage target (LTI Platform Storage). Shared with {@link CompatibilityIT}.
     */
    static void landsInTheCoursePagesFrame(WebDriver browser, LtiRealm lti, String learner, String course,
                                           boolean storage) {
        browser.get(lti.platform().baseUrl() + "/start?as=learner&frame=1" + (storage ? "&storage=1" : "")
                + "&context=" + course + "&user=" + learner);

        waitUpTo(browser, 60).withMessage(() -> describe(browser))
                .until(inToolFrame(ExpectedConditions.presenceOfElementLocated(By.id("username"))));
        assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform." + learner);
        assertThat(browser.findElement(By.id("context")).getText()).contains(course);
        browser.switchTo().defaultContent();
        assertThat(browser.getCurrentUrl()).as("still in the course page").startsWith(lti.platform().baseUrl());
        assertThat(browser.getWindowHandles()).hasSize(1);
    }

    /**
     * What a teacher and learners do every day in the platform's embedded container: launch after launch in the
     * course page's frame, in one browser, mixing learners, another course and deep linking (Moodle's "Select
     * content" runs in a frame too), under each cookie policy: third-party cookies allowed, blocked (the login
     * cookie partitioned), and no Keycloak cookie at all (Platform Storage). A cookie left by an earlier launch must
     * never stand in for this launch's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"allowed", "blocked", "none"})
    void everyLaunchInTheCoursePagesFrameLandsHoweverOftenItIsRepeated(String cookies) {
        browser.quit();
        browser = switch (cookies) {
            case "allowed" -> HeadlessChromium.start(true);
            case "blocked" -> HeadlessChromium.start(false);
            default -> HeadlessChromium.startWithoutCookiesFor(lti.server().baseUrl(), lti.platform().baseUrl());
        };
        String storage = cookies.equals("none") ? "&storage=1" : "";
        String run = UUID.randomUUID().toString().substring(0, 8);
        String secondRegistration = secondRegistration();
        String[][] clicks = {
                {"learner", "ann-" + run, "course-a-" + run, "0"},
                {"deep-linking", "teacher-" + run, "course-a-" + run, "0"},
                {"learner", "ann-" + run, "course-a-" + run, "0"},
                {"deep-linking", "teacher-" + run, "course-b-" + run, "0"},
                {"learner", "ben-" + run, "course-b-" + run, "0"},
                {"learner", "cy-" + run, "course-c-" + run, "1"}, // the same platform's other registration
                {"deep-linking", "teacher-" + run, "course-a-" + run, "0"},
        };
        for (int i = 0; i < clicks.length; i++) {
            String[] click = clicks[i];
            String what = "click " + (i + 1) + " (" + click[0] + " " + click[1] + " in " + click[2] + ", cookies " + cookies + ")";
            browser.get(lti.platform().baseUrl() + "/start?as=" + click[0] + "&frame=1" + storage + "&context="
                    + click[2] + "&user=" + click[1] + "&tool=" + click[3]);
            waitUpTo(60).withMessage(() -> what + "\n" + describe())
                    .until(inToolFrame(ExpectedConditions.presenceOfElementLocated(By.id("username"))));
            String alias = click[3].equals("0") ? LtiRealm.ALIAS : secondRegistration;
            assertThat(browser.findElement(By.id("username")).getText()).as(what).isEqualTo(alias + "." + click[1]);
            assertThat(browser.findElement(By.id("context")).getText()).as(what).contains(click[2]);
            assertThat(browser.findElement(By.id("message-type")).getText()).as(what)
                    .isEqualTo(click[0].equals("deep-linking") ? "LtiDeepLinkingRequest" : "LtiResourceLinkRequest");
            browser.switchTo().defaultContent();
            assertThat(browser.getCurrentUrl()).as(what + ": still in the course page").startsWith(lti.platform().baseUrl());
            assertThat(browser.getWindowHandles()).as(what).hasSize(1);
        }
    }

    private static String secondRegistrationAlias;

    /**
     * A second registration of the course page's platform (another client id there, as a second tool), set up once:
     * the course page launches it with {@code tool=1}.
     */
    private static synchronized String secondRegistration() {
        if (secondRegistrationAlias == null) {
            lti.addRegistration("second", "second-client");
            secondRegistrationAlias = "second";
        }
        return secondRegistrationAlias;
    }

    @Test
    void aLearnerClicksTheLinkInTheCourseAndLandsInTheTool() {
        browser.get(lti.platform().baseUrl() + "/");
        browser.findElement(By.id("launch-learner")).click();

        waitUpTo(60).withMessage(this::describe).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(lti.tool().callbackUrl());
        assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform.learner-1");
        assertThat(browser.findElement(By.id("roles")).getText()).contains("membership#Learner");
        assertThat(browser.findElement(By.id("context")).getText()).contains("course-101");
        // the README's picture of a launch (docs/images/launch-landed.png is a copy)
        java.nio.file.Path screenshots = java.nio.file.Path.of("target", "screenshots");
        try {
            java.nio.file.Files.createDirectories(screenshots);
            java.nio.file.Files.write(screenshots.resolve("launch-landed.png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLaunchInsideTheCoursePagesIframeLandsInTheToolWhereThirdPartyCookiesAreAllowed() {
        browser.quit();
        browser = HeadlessChromium.start(true);
        browser.get(lti.platform().baseUrl() + "/");
        browser.findElement(By.id("launch-iframe")).click();

        waitUpTo(60).withMessage(this::describe).until(inToolFrame(ExpectedConditions.presenceOfElementLocated(By.id("username"))));
        assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform.learner-1");
        browser.switchTo().defaultContent();
        assertThat(browser.getCurrentUrl()).startsWith(lti.platform().baseUrl());
    }

    @Test
    void aSecondLearnerOnTheSameBrowserSeesThemselvesInTheTool() {
        browser.get(lti.platform().baseUrl() + "/start?as=learner&user=alice");
        waitUpTo(30).withMessage(this::describe).until(ExpectedConditions.textToBe(By.id("username"), "platform.alice"));

        browser.get(lti.platform().baseUrl() + "/start?as=learner&user=bob");
        waitUpTo(30).withMessage(this::describe).until(ExpectedConditions.textToBe(By.id("username"), "platform.bob"));
        assertThat(browser.findElement(By.id("name")).getText()).isEqualTo("Bob Tester");
    }

    @Test
    void anInstructorAddingContentReachesTheToolWithADeepLinkingRequest() {
        browser.get(lti.platform().baseUrl() + "/");
        browser.findElement(By.id("launch-deep-linking")).click();

        waitUpTo(30).withMessage(this::describe).until(ExpectedConditions.presenceOfElementLocated(By.id("message-type")));
        assertThat(browser.findElement(By.id("message-type")).getText()).isEqualTo("LtiDeepLinkingRequest");
    }

    @Test
    void whereThirdPartyCookiesAreBlockedAnIframeLaunchCompletesInPlaceWithAPartitionedCookieAndTheLaunchHint() {
        lti.tool().forwardLaunchHints(true);
        try {
            String learner = "chips-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            browser.get(lti.platform().baseUrl() + "/start?as=learner&frame=1&context=course-chips&user=" + learner);

            waitUpTo(60).withMessage(this::describe).until(inToolFrame(ExpectedConditions.presenceOfElementLocated(By.id("username"))));
            assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform." + learner);
            assertThat(browser.findElement(By.id("context")).getText()).contains("course-chips");
            assertThat(browser.findElement(By.id("roles")).getText()).contains("membership#Learner");
            browser.switchTo().defaultContent();
            assertThat(browser.getCurrentUrl()).as("still in the course page").startsWith(lti.platform().baseUrl());
            assertThat(browser.getWindowHandles()).hasSize(1);
        } finally {
            lti.tool().forwardLaunchHints(false);
        }
    }

    /**
     * A tool that ignores the launch hint, in a frame whose browser blocks third-party cookies: the launch's session
     * goes with the partitioned login, and the tool's ordinary login in the frame finds it there.
     */
    @Test
    void whereThirdPartyCookiesAreBlockedAToolThatIgnoresTheHintLogsInInTheFrameThroughThePartitionedSession() {
        landsInTheCoursePagesFrame(browser, lti, "chips-plain-" + UUID.randomUUID().toString().substring(0, 8),
                "course-chips", false);
    }

    /**
     * A tool that ignores the hint, in a browser that keeps no Keycloak cookie in the frame at all: the launch
     * completes through Platform Storage and leaves its hint there for the tool; the tool's own login in the frame,
     * knowing nobody, reads it back and lands as the learner, with no Keycloak cookie anywhere. When the tool logs
     * in again later (the hint is spent), the frame gets a page that says so and opens the login in a new window,
     * instead of Keycloak's login page, which browsers refuse to show in a frame.
     */
    @Test
    void whereNoCookieIsKeptInTheFrameAToolThatIgnoresTheHintLogsInThroughPlatformStorageAndLaterIsOfferedANewWindow() {
        browser.quit();
        browser = HeadlessChromium.startWithoutCookiesFor(lti.server().baseUrl(), lti.platform().baseUrl());
        landsInTheCoursePagesFrame(browser, lti, "nocookie-" + UUID.randomUUID().toString().substring(0, 8),
                "course-nocookie", true);
        Object messages = ((JavascriptExecutor) browser)
                .executeScript("return window.__ltiStorageMessages || 0;");
        assertThat(((Number) messages).intValue())
                .as("the login's secret and the launch's hint, put and got, and the hint cleared once read").isEqualTo(5);

        waitUpTo(15).until(ExpectedConditions.frameToBeAvailableAndSwitchToIt("tool-frame"));
        ((JavascriptExecutor) browser)
                .executeScript("location.href = arguments[0];", lti.tool().launchUrl());
        waitUpTo(60).withMessage(this::describe)
                .until(inToolFrame(ExpectedConditions.visibilityOfElementLocated(By.id("lti-open-new-window"))));
        assertThat(browser.findElement(By.id("lti-tool-login-text")).getText()).contains("new window");
        String login = browser.findElement(By.id("lti-open-new-window")).getAttribute("href");
        assertThat(login).startsWith(lti.realmUrl() + "/protocol/openid-connect/auth?")
                .contains("client_id=" + LtiRealm.TOOL_CLIENT_ID).doesNotContain("login_hint");

        browser.switchTo().defaultContent();
        String coursePage = browser.getWindowHandle();
        browser.switchTo().frame("tool-frame");
        browser.findElement(By.id("lti-open-new-window")).click();
        waitUpTo(15).until(ExpectedConditions.numberOfWindowsToBe(2));
        browser.switchTo().window(browser.getWindowHandles().stream().filter(h -> !h.equals(coursePage))
                .findFirst().orElseThrow());
        waitUpTo(30).withMessage(this::describe).until(ExpectedConditions.presenceOfElementLocated(By.id("kc-form-login")));
        assertThat(browser.getCurrentUrl()).as("the tool's login, at the top level, shown").startsWith(lti.realmUrl());
    }

    /**
     * An attacker's page (another site) that frames a tool's login and answers Platform Storage messages with a hint
     * of its choosing: the framed page asks only the origins of the platforms that launch the tool, so the attacker
     * is never asked, its answer is never taken, and the frame offers the new window without repeating the request.
     */
    @Test
    void aPageOfAnotherSiteFramingAToolsLoginIsNeverAskedForTheHintNorHeard() throws Exception {
        String login = lti.realmUrl() + "/protocol/openid-connect/auth?client_id=" + LtiRealm.TOOL_CLIENT_ID
                + "&redirect_uri=" + java.net.URLEncoder.encode(lti.tool().callbackUrl(), java.nio.charset.StandardCharsets.UTF_8)
                + "&response_type=code&scope=openid&state=attacker";
        String attackerPage = "<!DOCTYPE html><html><head><script>window.__asked=0;"
                + "window.addEventListener('message',function(e){var m=e.data;if(!m||!m.subject)return;"
                + "if(m.subject==='lti.capabilities'){e.source.postMessage({subject:'lti.capabilities.response',"
                + "message_id:m.message_id,supported_messages:[{subject:'lti.get_data'}]},'*');}"
                + "if(m.subject==='lti.get_data'){window.__asked++;e.source.postMessage({subject:'lti.get_data.response',"
                + "message_id:m.message_id,key:m.key,value:'lti-launch.chosen-by-the-attacker'},'*');}});</script></head>"
                + "<body><iframe id=\"tool-frame\" name=\"tool-frame\" src=\""
                + io.github.keycloaklti.testsupport.http.Exchanges.escape(login) + "\"></iframe></body></html>";
        com.sun.net.httpserver.HttpServer attacker = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.3", 0), 0);
        attacker.createContext("/", exchange -> io.github.keycloaklti.testsupport.http.Exchanges.html(exchange, 200,
                attackerPage));
        attacker.start();
        try {
            browser.get("http://127.0.0.3:" + attacker.getAddress().getPort() + "/");
            waitUpTo(30).withMessage(this::describe).until(inToolFrame(ExpectedConditions.visibilityOfElementLocated(By.id("lti-open-new-window"))));
            Object here = ((JavascriptExecutor) browser).executeScript("return location.href");
            assertThat(String.valueOf(here)).as("the request was not repeated with the attacker's hint")
                    .doesNotContain("kc_lti_hint_tried").doesNotContain("chosen-by-the-attacker");
            browser.switchTo().defaultContent();
            Object asked = ((JavascriptExecutor) browser).executeScript("return window.__asked;");
            assertThat(((Number) asked).intValue()).as("the attacker's page was never asked for the hint").isZero();
        } finally {
            attacker.stop(0);
        }
    }

    @Test
    void withPlatformStorageAnIframeLaunchCompletesWithoutAnyKeycloakCookieFirstTimeAndAgain() {
        browser.quit();
        browser = HeadlessChromium.startWithoutCookiesFor(lti.server().baseUrl(), lti.platform().baseUrl());
        lti.tool().forwardLaunchHints(true);
        try {
            String learner = "storage-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            for (int launch = 1; launch <= 2; launch++) { // the first creates the user, the second finds it
                browser.get(lti.platform().baseUrl() + "/start?as=learner&frame=1&storage=1&context=course-storage&user="
                        + learner);

                waitUpTo(60).withMessage(this::describe).until(inToolFrame(ExpectedConditions.presenceOfElementLocated(By.id("username"))));
                assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform." + learner);
                assertThat(browser.findElement(By.id("context")).getText()).contains("course-storage");
                browser.switchTo().defaultContent();
                Object messages = ((JavascriptExecutor) browser)
                        .executeScript("return window.__ltiStorageMessages || 0;");
                assertThat(((Number) messages).intValue())
                        .as("the login's secret put and got, the launch's hint put (the tool passed it on)").isEqualTo(3);
                Object capabilities = ((JavascriptExecutor) browser)
                        .executeScript("return window.__ltiCapabilities || 0;");
                assertThat(((Number) capabilities).intValue()).as("lti.capabilities before each").isEqualTo(3);
            }
            assertThat(lti.realm().users().search("platform." + learner, true)).hasSize(1);
        } finally {
            lti.tool().forwardLaunchHints(false);
        }
    }

    @Test
    void whereNoCookieOfKeycloakIsKeptInTheFrameTheLearnerIsOfferedANewWindowThatCompletesTheLaunch() {
        browser.quit();
        browser = HeadlessChromium.startWithoutCookiesFor(lti.server().baseUrl(), lti.platform().baseUrl());
        int toolHits = lti.tool().launchHits();
        browser.get(lti.platform().baseUrl() + "/start?as=learner&frame=1");

        waitUpTo(30).withMessage(this::describe).until(inToolFrame(ExpectedConditions.visibilityOfElementLocated(By.id("lti-open-new-window"))));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("opens in a new window");
        assertThat(lti.tool().launchHits()).as("nothing reached the tool from the frame").isEqualTo(toolHits);

        String coursePage = browser.getWindowHandle();
        browser.findElement(By.id("lti-open-new-window")).click();
        waitUpTo(15).until(ExpectedConditions.numberOfWindowsToBe(2));
        String newWindow = browser.getWindowHandles().stream().filter(h -> !h.equals(coursePage)).findFirst().orElseThrow();
        browser.switchTo().window(newWindow);
        waitUpTo(60).withMessage(this::describe).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(browser.findElement(By.id("username")).getText()).isEqualTo("platform.learner-1");
    }

    @Test
    void aRefusedLaunchShowsAReadablePageInsideTheIframe() {
        browser.get(lti.platform().baseUrl() + "/start?as=learner&frame=1&target=https%3A%2F%2Fevil.example%2Flaunch");

        waitUpTo(30).withMessage(this::describe).until(inToolFrame(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "lti_tool_not_found")));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("points to no tool known here");
    }
}
