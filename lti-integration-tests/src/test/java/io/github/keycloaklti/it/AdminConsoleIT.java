package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/** The Keycloak admin console, in a real browser: an admin adds an LTI 1.3 platform through its form. */
class AdminConsoleIT extends LtiRealmTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private WebDriver browser;


    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1100));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getPageSource());
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void logInAndOpen(String route) {
        browser.get(lti.server().baseUrl() + "/admin/master/console/#/" + lti.name() + "/" + route);
        waitUpTo(40).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(KeycloakServer.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }

    private void type(By field, String value) {
        waitUpTo(20).until(ExpectedConditions.elementToBeClickable(field)).sendKeys(value);
    }

    @Test
    void anAdminAddsAnLtiPlatformThroughTheForm() throws Exception {
        logInAndOpen("identity-providers");
        waitUpTo(40).until(ExpectedConditions.presenceOfElementLocated(By.linkText(LtiRealm.ALIAS)));
        screenshot("01-identity-providers");

        browser.get(lti.server().baseUrl() + "/admin/master/console/#/" + lti.name() + "/identity-providers/lti/add");
        By alias = By.id("alias");
        waitUpTo(40).until(ExpectedConditions.elementToBeClickable(alias)).clear();
        type(alias, "moodle-console");
        type(By.id("displayName"), "Moodle (console)");
        type(By.id("config.clientId"), "console-client");
        type(By.id("config.clientSecret"), "unused");
        type(By.id("config.issuer"), "https://moodle.example.edu");
        type(By.id("config.authorizationUrl"), "https://moodle.example.edu/mod/lti/auth.php");
        type(By.id("config.jwksUrl"), "https://moodle.example.edu/mod/lti/certs.php");
        type(By.id("config.tokenUrl"), "https://moodle.example.edu/mod/lti/token.php");
        type(By.cssSelector("[data-testid='config.deploymentIds0']"), "console-deployment");
        type(By.cssSelector("[data-testid='config.toolClientIds0']"), "no-such-client");
        screenshot("02-add-lti-platform");
        browser.findElement(By.cssSelector("[data-testid='createProvider']")).click();

        waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                "there is no client 'no-such-client'"));
        screenshot("03-validation-error");
        assertThat(lti.realm().identityProviders().findAll()).noneMatch(idp -> idp.getAlias().equals("moodle-console"));

        org.openqa.selenium.WebElement tool = browser.findElement(By.cssSelector("[data-testid='config.toolClientIds0']"));
        tool.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), org.openqa.selenium.Keys.DELETE);
        tool.sendKeys(LtiRealm.TOOL_CLIENT_ID);
        browser.findElement(By.cssSelector("[data-testid='createProvider']")).click();

        waitUpTo(20).until(ExpectedConditions.urlContains("/identity-providers/lti/moodle-console"));
        Thread.sleep(1500);
        screenshot("04-lti-platform-saved");
        String launchUri = lti.server().realmUrl(lti.name()) + "/broker/moodle-console/endpoint";
        org.openqa.selenium.WebElement loginInitiation = browser.findElement(By.id("config.loginInitiationUrl"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", loginInitiation);
        Thread.sleep(500);
        screenshot("05-urls-for-the-lms");
        assertThat(loginInitiation.getAttribute("value")).isEqualTo(launchUri + "/login");
        assertThat(browser.findElement(By.id("config.toolJwksUrl")).getAttribute("value"))
                .isEqualTo(lti.server().realmUrl(lti.name()) + "/protocol/openid-connect/certs");
        Map<String, String> config = lti.realm().identityProviders().get("moodle-console").toRepresentation().getConfig();
        assertThat(config).containsEntry("issuer", "https://moodle.example.edu")
                .containsEntry("deploymentIds", "console-deployment").containsEntry("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
        assertThat(lti.realm().identityProviders().get("moodle-console").toRepresentation().getFirstBrokerLoginFlowAlias())
                .as("saving only saves").isNotEqualTo("lti first launch");
        // the admin finishes in the console: the "LTI realm setup" page, the registration's alias, Save
        browser.get(lti.server().baseUrl() + "/admin/master/console/#/" + lti.name() + "/page-section/lti-realm-setup/add");
        type(By.id("config.registration"), "moodle-console");
        screenshot("09-realm-setup-form");
        browser.findElement(By.cssSelector("[data-testid='save']")).click();
        String realmId = lti.realm().toRepresentation().getId();
        org.keycloak.representations.idm.ComponentRepresentation setUp = null;
        for (int i = 0; i < 40 && setUp == null; i++) {
            setUp = lti.realm().components().query(realmId, "org.keycloak.services.ui.extend.UiPageProvider").stream()
                    .filter(c -> "lti-realm-setup".equals(c.getProviderId())).findFirst().orElse(null);
            Thread.sleep(500);
        }
        assertThat(setUp).as("a realm setup entry saved through the console").isNotNull();
        assertThat(setUp.getConfig().getFirst("state")).contains("lti first launch").contains("bound as the registration");
        assertThat(lti.realm().identityProviders().get("moodle-console").toRepresentation().getFirstBrokerLoginFlowAlias())
                .as("the admin's explicit realm setup, from the console").isEqualTo("lti first launch");
    }

    @Test
    void anAdminIssuesARegistrationLinkFromTheConsole() throws Exception {
        logInAndOpen("page-section/lti-registration-links/add");
        type(By.cssSelector("[data-testid='config.toolClientIds0']"), LtiRealm.TOOL_CLIENT_ID);
        type(By.id("config.targetLinkUri"), lti.tool().launchUrl());
        screenshot("06-registration-link-form");
        browser.findElement(By.cssSelector("[data-testid='save']")).click();

        String realmId = lti.realm().toRepresentation().getId();
        org.keycloak.representations.idm.ComponentRepresentation saved = null;
        for (int i = 0; i < 40 && saved == null; i++) {
            saved = lti.realm().components().query(realmId, "org.keycloak.services.ui.extend.UiPageProvider").stream()
                    .filter(c -> "lti-registration-links".equals(c.getProviderId())).findFirst().orElse(null);
            Thread.sleep(500);
        }
        assertThat(saved).as("a links entry saved through the console").isNotNull();
        assertThat(saved.getConfig().getFirst("registrationUrl")).as("the page never shows the link (realm viewers "
                + "read it)").isEqualTo("**********");
        java.net.http.HttpResponse<String> read = lti.adminLti("GET", "dynamic-registration-links/" + saved.getId(), null);
        assertThat(read.body()).as("an admin who may manage identity providers reads it")
                .contains(lti.server().realmUrl(lti.name()) + "/lti/dynamic-registration?link=");
        String expiresAt = saved.getConfig().getFirst("expiresAt");

        // the console lists the entries by their state and expiry, never their link
        browser.get(lti.server().baseUrl() + "/admin/master/console/#/" + lti.name()
                + "/page-section/lti-registration-links");
        try {
            waitUpTo(30).until(driver -> driver.findElement(By.tagName("body")).getText().contains(expiresAt));
            Thread.sleep(500);
        } finally {
            screenshot("07-registration-link-issued");
        }
        assertThat(browser.findElement(By.tagName("body")).getText()).as("each link's state, in the list")
                .contains("State").contains("unused, valid until " + expiresAt).doesNotContain("dynamic-registration?link=");
        assertThat(browser.findElement(By.tagName("h1")).getText()).as("a human title, not the page's id")
                .isEqualTo("LTI registration links");
        assertThat(browser.findElement(By.cssSelector("nav a[href$='/page-section/lti-registration-links']")).getText())
                .as("and menu entry").isEqualTo("LTI registration links");
    }

    /** The page the LMS admin copies from: every value whole, a copy button each, the registration one click away. */
    @Test
    void theLmsAdminCopiesTheUrlsFromTheToolConfigurationPage() throws Exception {
        browser.get(lti.server().realmUrl(lti.name()) + "/lti/platforms/" + LtiRealm.ALIAS + "/tool-configuration");
        waitUpTo(30).until(driver -> !driver.findElements(By.id("login_initiation_url")).isEmpty());
        assertThat(browser.findElement(By.id("login_initiation_url")).getText()).isEqualTo(lti.launchUri() + "/login");
        WebElement copy = browser.findElement(By.cssSelector("button[data-copy='login_initiation_url']"));
        copy.click();
        waitUpTo(10).until(driver -> "Copied".equals(copy.getText()));
        screenshot("08-tool-configuration-page");
        assertThat(browser.findElement(By.id("lti-registration-in-console")).getAttribute("href"))
                .contains("/admin/master/console/#/" + lti.name() + "/identity-providers/lti/" + LtiRealm.ALIAS);
    }
}
