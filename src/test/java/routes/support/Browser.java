package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the web console's tests: Debian's {@code chromium}, headless, driven through its
 * {@code chromedriver} ({@code bin/caravan test} installs both when missing; nothing is downloaded by Selenium).
 * Waits are for conditions, with a ceiling ({@link #PATIENCE}) far above what they take, so a busy machine only makes
 * them slower. {@link #save(String)} keeps a screenshot and the page's HTML under {@code target/browser/}.
 */
public final class Browser implements AutoCloseable {

    /** The longest any wait goes on: a ceiling for a stuck page, not an expectation. */
    public static final Duration PATIENCE = Duration.ofSeconds(180);
    public static final Path SAVED = Path.of("target", "browser");
    private static final Path AXE_SOURCE = Path.of("src", "test", "node", "axe");
    private static final Path AXE = Path.of("target", "node", "axe");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a headless chromium; fails (with what to install) when chromium or chromedriver is missing. */
    public static Browser start() {
        Path chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
        Path chromedriver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || chromedriver == null) {
            throw new IllegalStateException("the console's browser tests need Debian's chromium and chromium-driver "
                    + "(bin/caravan test installs them: apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--disable-extensions", "--no-first-run", "--password-store=basic");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory",
                downloads().toAbsolutePath().toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
        return new Browser(driver);
    }

    private static Path firstExisting(String... paths) {
        for (String path : paths) {
            if (Files.isExecutable(Path.of(path))) {
                return Path.of(path);
            }
        }
        return null;
    }

    /** Where the browser saves downloads. */
    public static Path downloads() {
        try {
            return Files.createDirectories(SAVED.resolve("downloads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(URI url) {
        driver.get(url.toString());
    }

    /**
     * Waits until {@code condition} gives something other than null or false (a condition that finds no element, or
     * one that went stale, is tried again).
     */
    public <T> T until(Function<WebDriver, T> condition) {
        // a view that renders again while the condition reads it leaves stale elements: read it again
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }

    /** Waits for the element and returns it once it is displayed. */
    public WebElement visible(By by) {
        return until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    public Object asyncScript(String script, Object... args) {
        return driver.executeAsyncScript(script, args);
    }

    /**
     * Signs {@code user} in through the console at {@code base}: its Sign in button, the identity provider's login
     * form, back to the console; waits until the console shows them signed in.
     */
    public void signIn(URI base, String user, String password) {
        open(base.resolve("/"));
        visible(By.id("sign-in")).click();
        visible(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        until(d -> d.findElement(By.id("who")).isDisplayed());
        until(d -> d.findElement(By.id("who-name")).getText().equals(user));
    }

    /**
     * Drops files on {@code zone} as a person dragging them from their desktop does: a {@code drop} event whose
     * DataTransfer holds the files (read by the browser from disk through a file input made for it).
     */
    public void dropFiles(WebElement zone, Path... files) {
        WebElement input = (WebElement) script("""
                const input = document.createElement('input');
                input.type = 'file'; input.multiple = true; input.id = 'test-drop-source';
                input.style.position = 'fixed'; input.style.left = '0'; input.style.top = '0'; input.style.opacity = '0.01';
                document.body.append(input);
                return input;""");
        input.sendKeys(java.util.Arrays.stream(files).map(f -> f.toAbsolutePath().toString())
                .collect(Collectors.joining("\n")));
        script("""
                const [zone, input] = arguments;
                const data = new DataTransfer();
                for (const file of input.files) data.items.add(file);
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
                }
                input.remove();""", zone, input);
    }

    /**
     * The page's accessibility violations of impact serious or critical, by axe-core (installed from
     * {@code src/test/node/axe}'s lock file): each as "rule: what it says (the elements)".
     */
    public List<String> seriousAccessibilityViolations() {
        script(axeSource());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) asyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))))
                  .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));""");
        List<String> serious = new ArrayList<>();
        for (Map<String, Object> v : violations) {
            if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
                serious.add(v.get("id") + ": " + v.get("help") + " " + v.get("nodes"));
            }
        }
        return serious;
    }

    private static String axeSource() {
        try {
            Path script = AXE.resolve("node_modules/axe-core/axe.min.js");
            if (!Files.isRegularFile(script)) {
                Files.createDirectories(AXE);
                for (String file : List.of("package.json", "package-lock.json")) {
                    Files.copy(AXE_SOURCE.resolve(file), AXE.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                        .directory(AXE.toFile()).redirectErrorStream(true).start();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm ci of axe-core failed: " + output);
                }
            }
            return Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A screenshot and the page's HTML, as target/browser/{name}.png and .html. */
    public void save(String name) {
        try {
            Files.createDirectories(SAVED);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SAVED.resolve(name + ".png"), png);
            Files.writeString(SAVED.resolve(name + ".html"), driver.getPageSource());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not save the browser's page as " + name + ": " + e);
        }
    }

    /** The page as a person sees it now, as target/browser/pages/{name}.png (the README's pictures of the console). */
    public void pageShot(String name) {
        try {
            Path pages = Files.createDirectories(SAVED.resolve("pages"));
            Files.write(pages.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console's messages so far (errors of the page's scripts among them). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get("browser").getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(entry -> entry.getMessage()).toList();
    }

    /** Drops every cookie of the browser and the storage of {@code origin}'s pages: nobody is signed in anywhere. */
    public void forgetEverything(URI origin) {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin",
                origin.getScheme() + "://" + origin.getAuthority(), "storageTypes", "all"));
        script("sessionStorage.clear(); localStorage.clear();");
    }

    /** Resizes the window (e.g. to a phone's width). */
    public void size(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    /**
     * How many pixels wider than a window {@code width} px wide the page is (0 or less: no horizontal scroll), once
     * its heading shows at that width; the window gets its usual size back afterwards.
     */
    public int overflowAt(int width) {
        size(width, 800);
        try {
            visible(By.cssSelector("main h1"));
            return ((Number) script("return document.documentElement.scrollWidth "
                    + "- document.documentElement.clientWidth")).intValue();
        } finally {
            size(1280, 900);
        }
    }

    /** {@link #overflowAt} a phone's 375 px. */
    public int overflowAtPhoneWidth() {
        return overflowAt(375);
    }

    public String text(By by) {
        return visible(by).getText();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
