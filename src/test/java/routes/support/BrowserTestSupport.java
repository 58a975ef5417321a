package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import routes.embedded.identity.Users;

/**
 * The web console's tests: the whole app (as {@link CaravanTestSupport}) and one real browser per test class
 * ({@link Browser}, started on first use), its people made in the embedded identity provider with their passwords
 * ({@link #person}). A test that fails leaves a screenshot and the page's HTML under {@code target/browser/}, named
 * after the class and the test.
 */
public abstract class BrowserTestSupport extends CaravanTestSupport {

    private static final Map<String, String> PASSWORDS = new ConcurrentHashMap<>();
    private static Browser browser;

    @RegisterExtension
    final TestWatcher saveOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.save(context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getRequiredTestMethod().getName());
                browser.consoleErrors().forEach(line -> System.err.println("browser console: " + line));
            }
        }
    };

    /** The class's browser, started the first time. */
    protected static synchronized Browser browser() {
        if (browser == null) {
            browser = Browser.start();
        }
        return browser;
    }

    @AfterAll
    static synchronized void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** A person of the embedded identity provider (made the first time), returning their password. */
    protected static String person(String name) {
        return PASSWORDS.computeIfAbsent(name, user -> {
            try {
                return Users.add(dataDir(), user, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Signs {@code name} in to the console in the class's browser (a fresh session: earlier cookies dropped). */
    protected static Browser signedIn(String name) {
        Browser b = signedOut();
        b.signIn(base(), name, person(name));
        return b;
    }

    /** The class's browser on the console's first page, nobody signed in (cookies and storage dropped). */
    protected static Browser signedOut() {
        Browser b = browser();
        b.open(base().resolve("/"));
        b.forgetEverything(base());
        b.open(base().resolve("/"));
        return b;
    }
}
