package routes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import routes.support.Browser;
import routes.support.BrowserTestSupport;

/**
 * The console's sign-in in a real browser: the authorization code flow with PKCE against the embedded identity
 * provider, the API keys page (a key made there calls the API; revoked, it no longer does), sign-out (the provider's
 * session ends too), and what every person meets first: a light page, no serious accessibility violations, nothing
 * wider than a phone.
 */
class ConsoleSignInTest extends BrowserTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSettingsNameTheIssuerAndThePublicClient() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base().resolve("/api/v1/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode settings = JSON.readTree(answer.body());
        assertThat(settings.path("issuer").asText()).isEqualTo(base().toString());
        assertThat(settings.path("clientId").asText()).isEqualTo("caravan-console");
        assertThat(settings.path("scopes").toString()).contains("openid", "read", "write");
        assertThat(settings.path("callbackPath").asText()).isEqualTo("/console/callback");

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(base().resolve("/api/v1/console"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(base().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'");
        assertThat(page.body()).contains("/console/app.js");
    }

    @Test
    void aKeyMadeOnTheKeysPageCallsTheApiUntilItIsRevoked() throws Exception {
        Browser browser = signedIn("keys-person");
        browser.open(base().resolve("/#/keys"));
        WebElement name = browser.visible(By.id("key-name"));
        name.clear();
        name.sendKeys("ci script");
        browser.driver().findElement(By.cssSelector("form button[type=submit]")).click();
        String key = browser.until(d -> {
            List<WebElement> made = d.findElements(By.id("new-key-value"));
            return made.isEmpty() ? null : made.get(0).getAttribute("value");
        });
        assertThat(key).startsWith("cvk_");
        assertThat(apiWithKey(key)).as("the new key calls the API").isEqualTo(200);
        WebElement row = browser.visible(By.xpath("//tr[td[1][normalize-space()='ci script']]"));
        assertThat(row.getText()).contains("read, write").contains("in use");

        row.findElement(By.cssSelector("button[aria-label='Revoke ci script']")).click();
        browser.until(d -> d.findElement(By.xpath("//tr[td[1][normalize-space()='ci script']]")).getText()
                .contains("revoked"));
        assertThat(apiWithKey(key)).as("a revoked key no longer calls the API").isEqualTo(401);
        browser.pageShot("api-keys");
        assertThat(browser.seriousAccessibilityViolations()).isEmpty();
    }

    @Test
    void signingOutEndsTheProvidersSessionToo() {
        Browser browser = signedIn("leaving-person");
        browser.visible(By.id("sign-out")).click();
        browser.visible(By.id("sign-in"));
        assertThat(browser.script("return sessionStorage.getItem('caravan.tokens')")).isNull();
        browser.driver().findElement(By.id("sign-in")).click();
        // the provider asks for the password again: its own session ended with the console's
        assertThat(browser.visible(By.id("password")).isDisplayed()).isTrue();
    }

    @Test
    void theFirstPageIsLightAccessibleAndFitsAPhone() {
        Browser browser = signedOut();
        browser.visible(By.id("sign-in"));
        browser.pageShot("welcome");
        assertThat(browser.seriousAccessibilityViolations()).as("the welcome page").isEmpty();

        browser.signIn(base(), "first-look", person("first-look"));
        // the first page as a first visit loads it: nothing from the browser's cache
        browser.driver().executeCdpCommand("Network.enable", java.util.Map.of());
        browser.driver().executeCdpCommand("Network.setCacheDisabled", java.util.Map.of("cacheDisabled", true));
        browser.driver().navigate().refresh();
        browser.visible(By.cssSelector("main h1"));
        browser.driver().executeCdpCommand("Network.setCacheDisabled", java.util.Map.of("cacheDisabled", false));
        Number scripts = (Number) browser.script("""
                return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.endsWith('.js'))
                  .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0);""");
        assertThat(scripts.longValue()).as("JavaScript of the first page, bytes, in %s", browser.script(
                "return JSON.stringify(performance.getEntriesByType('resource').map(e => [e.name, e.decodedBodySize]))")).isPositive().isLessThan(300_000);

        assertThat(browser.overflowAtPhoneWidth()).as("wider than a phone by, px").isLessThanOrEqualTo(0);
    }

    @Test
    void theBrowserReadsEveryRuleOfTheStylesheet() throws Exception {
        String css = HTTP.send(HttpRequest.newBuilder(base().resolve("/console/app.css")).build(),
                HttpResponse.BodyHandlers.ofString()).body().replaceAll("(?s)/\\*.*?\\*/", "");
        int depth = 0;
        int topLevel = 0;
        for (char c : css.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                topLevel++;
            }
        }
        assertThat(depth).as("braces of app.css left open").isZero();
        Browser browser = signedOut();
        browser.visible(By.id("sign-in"));
        Number rules = (Number) browser.script("""
                return [...document.styleSheets].find(s => s.href && s.href.endsWith('/console/app.css')).cssRules.length""");
        assertThat(rules.intValue()).as("rules the browser read").isEqualTo(topLevel);
    }

    private static int apiWithKey(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/api-keys"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
