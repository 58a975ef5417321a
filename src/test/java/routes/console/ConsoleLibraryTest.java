package routes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import routes.support.Browser;
import routes.support.BrowserTestSupport;
import routes.support.Http;
import routes.support.SignIn;

/**
 * The console's library, playlists and pitch links in a real browser, as a music team uses them: a tagged track found
 * by a misspelt search and by a facet (its highlights shown as text, never as markup), a playlist of two tracks
 * reordered with a button and by dragging, played in the console, pitched with downloads allowed; the recipient,
 * signed out, plays a track and downloads one on the public page; the owner sees the open, the play and the
 * download, per item.
 */
class ConsoleLibraryTest extends BrowserTestSupport {

    private static final String PERSON = "library-person";

    @Test
    void aTrackFoundByATypoIsPlaylistedPitchedPlayedAndDownloaded() throws Exception {
        Http api = new Http(base().getPort(), SignIn.token(base(), PERSON, person(PERSON)));
        Path dir = Files.createTempDirectory("console-library");
        String glory = upload(api, track(dir, "glory.mp3", "Glory Box", "Portishead", "Dummy", 1, "Trip-Hop"));
        String roads = upload(api, track(dir, "roads.mp3", "Roads <i>live</i>", "Portishead", "Dummy", 2, "Trip-Hop"));
        String teardrop = upload(api, track(dir, "teardrop.mp3", "Teardrop", "Massive Attack", "Mezzanine", 3,
                "Trip-Hop"));
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> Http.json(
                api.get("/api/v1/library/items?genre=Trip-Hop")).path("total").asLong() == 3);

        Browser browser = signedIn(PERSON);
        browser.open(base().resolve("/#/library"));
        WebElement search = browser.visible(By.id("library-q"));
        search.sendKeys("portishaed");
        List<String> found = browser.until(d -> {
            List<String> items = items(browser, "#library-results > li");
            return items.size() == 2 ? items : null;
        });
        assertThat(found).containsExactlyInAnyOrder(glory, roads);
        assertThat(browser.text(By.cssSelector("[data-item='" + glory + "'] .item-line mark"))).isEqualTo("Portishead");
        WebElement roadsTitle = browser.visible(By.cssSelector("[data-item='" + roads + "'] .item-title"));
        assertThat(roadsTitle.getText()).as("markup in a tag is shown as text").isEqualTo("Roads <i>live</i>");
        assertThat(roadsTitle.findElements(By.tagName("i"))).isEmpty();
        assertThat(browser.driver().getCurrentUrl()).as("the search has a link").contains("q=portishaed");

        search.clear();
        search.sendKeys(" ");
        browser.until(d -> items(browser, "#library-results > li").size() == 3);
        browser.visible(By.cssSelector("[data-facet='artist'] button[data-value='Massive Attack']")).click();
        browser.until(d -> items(browser, "#library-results > li").equals(List.of(teardrop)));
        assertThat(browser.text(By.cssSelector("[data-facet='artist'] [aria-pressed='true']")))
                .isEqualTo("Massive Attack (1)");
        browser.pageShot("library");
        assertThat(browser.seriousAccessibilityViolations()).as("the library page").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);

        browser.open(base().resolve("/#/playlists"));
        browser.visible(By.id("playlist-rows"));
        assertThat(browser.seriousAccessibilityViolations()).as("the playlists page").isEmpty();
        browser.visible(By.id("playlist-name")).sendKeys("For Ana");
        browser.driver().findElement(By.cssSelector("form button[type=submit]")).click();
        String playlist = browser.until(d -> {
            String url = d.getCurrentUrl();
            return url.matches(".*#/playlists/[^/]+$") ? url.replaceAll(".*#/playlists/", "") : null;
        });
        WebElement add = browser.visible(By.id("add-q"));
        add.sendKeys("portishead");
        browser.visible(By.cssSelector("#add-results [data-item='" + glory + "'] button")).click();
        browser.until(d -> items(browser, "#playlist-items > li").equals(List.of(glory)));
        browser.visible(By.cssSelector("#add-results [data-item='" + roads + "'] button")).click();
        browser.until(d -> items(browser, "#playlist-items > li").equals(List.of(glory, roads)));

        browser.visible(By.cssSelector("[data-item='" + glory + "'] [data-action='down']")).click();
        browser.until(d -> items(browser, "#playlist-items > li").equals(List.of(roads, glory)));
        assertThat(itemsOf(api, playlist)).as("moved down, in the API").containsExactly(roads, glory);
        browser.script("""
                const [from, to] = arguments;
                const data = new DataTransfer();
                from.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
                to.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
                to.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
                from.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: data }));""",
                browser.visible(By.cssSelector("#playlist-items > li[data-item='" + glory + "']")),
                browser.visible(By.cssSelector("#playlist-items > li[data-item='" + roads + "']")));
        browser.until(d -> items(browser, "#playlist-items > li").equals(List.of(glory, roads)));
        assertThat(itemsOf(api, playlist)).as("dragged back, in the API").containsExactly(glory, roads);

        browser.visible(By.id("play-all")).click();
        browser.until(d -> ((Number) browser.script(
                "return document.getElementById('playlist-audio').currentTime")).doubleValue() > 0.3);
        assertThat(browser.text(By.id("now-playing"))).contains("Playing 1 of 2", "Glory Box");
        assertThat(browser.seriousAccessibilityViolations()).as("the playlist page").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);

        browser.visible(By.id("pitch-name")).sendKeys("Ana");
        new Select(browser.visible(By.id("pitch-download"))).selectByValue("original");
        browser.driver().findElement(By.cssSelector("[aria-labelledby='pitch-form-title'] button[type=submit]")).click();
        String link = browser.until(d -> {
            List<WebElement> made = d.findElements(By.id("pitch-link-url"));
            return made.isEmpty() ? null : made.get(0).getAttribute("value");
        });
        assertThat(link).startsWith(base() + "/p/");

        // the recipient, with no account and nobody signed in
        signedOut();
        Set<Path> before = downloaded();
        browser.open(URI.create(link));
        browser.visible(By.cssSelector("audio"));
        browser.script("document.querySelector('audio').play()");
        browser.until(d -> ((Number) browser.script("return document.querySelector('audio').currentTime"))
                .doubleValue() > 0.3);
        browser.pageShot("pitch-page");
        browser.visible(By.cssSelector("a.dl")).click();
        Path file = browser.until(d -> {
            Set<Path> now = downloaded();
            now.removeAll(before);
            return now.stream().filter(p -> !p.toString().endsWith(".crdownload") && size(p) > 0).findFirst()
                    .orElse(null);
        });
        assertThat(ffprobe(file)).as("the downloaded %s", file.getFileName()).contains("format_name=mp3",
                "tag:title=Glory Box");

        // the owner, signed in again, sees what the recipient did
        signedIn(PERSON);
        browser.open(base().resolve("/#/playlists/" + playlist));
        WebElement card = browser.visible(By.cssSelector("#pitch-links > li.pitch-link"));
        assertThat(count(card, "opens")).isEqualTo(1);
        assertThat(count(card, "plays")).isGreaterThanOrEqualTo(1);
        assertThat(count(card, "downloads")).isEqualTo(1);
        WebElement perItem = card.findElement(By.cssSelector(".per-item tr[data-item='" + glory + "']"));
        assertThat(perItem.getText()).startsWith("Glory Box");
        assertThat(card.findElements(By.cssSelector(".per-item tr[data-item='" + roads + "']")).stream()
                .map(WebElement::getText).toList()).as("the track nobody played")
                .allSatisfy(text -> assertThat(text).endsWith("0 0"));
        browser.pageShot("playlist");
        assertThat(browser.seriousAccessibilityViolations()).as("the playlist page with its link").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);
    }

    @Test
    void anOwnerRetagsLabelsAndSharesAnItem() throws Exception {
        String owner = "tagging-person";
        Http api = new Http(base().getPort(), SignIn.token(base(), owner, person(owner)));
        Http friend = new Http(base().getPort(), token("tagging-friend"));
        String item = upload(api, track(Files.createTempDirectory("console-tags"), "demo.mp3", "Demo 3", "Nobody Yet",
                "Tapes", 4, "Folk"));
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> Http.json(
                api.get("/api/v1/library/items?artist=Nobody%20Yet")).path("total").asLong() == 1);

        Browser browser = signedIn(owner);
        browser.open(base().resolve("/#/library"));
        browser.visible(By.cssSelector("[data-item='" + item + "'] button[aria-label^='Edit tags']")).click();
        WebElement title = browser.visible(By.id("tag-" + item + "-title"));
        assertThat(title.getAttribute("value")).isEqualTo("Demo 3");
        title.clear();
        title.sendKeys("Lighthouse");
        WebElement year = browser.visible(By.id("tag-" + item + "-year"));
        year.clear();
        year.sendKeys("2024");
        browser.visible(By.id("tag-" + item + "-labels")).sendKeys("single, sync");
        browser.driver().findElement(By.cssSelector("[data-item='" + item + "'] form button[type=submit]")).click();
        browser.until(d -> "Lighthouse".equals(browser.script("return document.querySelector("
                + "\"[data-item='" + item + "'] .item-title\")?.textContent")));
        JsonNode edited = Http.json(api.get("/api/v1/library/items/" + item));
        assertThat(edited.at("/tags/title").asText()).isEqualTo("Lighthouse");
        assertThat(edited.at("/tags/year").asInt()).isEqualTo(2024);
        assertThat(edited.at("/fileTags/title").asText()).as("the file keeps its own").isEqualTo("Demo 3");
        assertThat(edited.get("labels").toString()).isEqualTo("[\"single\",\"sync\"]");

        browser.visible(By.cssSelector("[data-item='" + item + "'] .labels button[aria-label='Only items labelled sync']"))
                .click();
        browser.until(d -> browser.driver().getCurrentUrl().contains("label=sync")
                && items(browser, "#library-results > li").equals(List.of(item)));

        browser.visible(By.cssSelector("[data-item='" + item + "'] button[aria-label^='Share']")).click();
        browser.visible(By.id("share-" + item)).sendKeys("tagging-friend");
        browser.driver().findElement(By.cssSelector("[data-item='" + item + "'] form[aria-label^='Share'] button"))
                .click();
        browser.visible(By.cssSelector("[data-item='" + item + "'] button[aria-label='Stop sharing with tagging-friend']"));
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> Http.json(
                friend.get("/api/v1/library/items?owned=false&q=lighthouse")).get("items").findValuesAsText("assetId")
                .contains(item));
    }

    private static Path track(Path dir, String file, String title, String artist, String album, int number,
            String genre) throws Exception {
        Path out = dir.resolve(file);
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=" + (220 * number) + ":duration=8", "-metadata", "title=" + title, "-metadata",
                "artist=" + artist, "-metadata", "album=" + album, "-metadata", "genre=" + genre, "-metadata",
                "track=" + number, "-id3v2_version", "3", out.toString()).redirectErrorStream(true).start();
        String said = new String(ffmpeg.getInputStream().readAllBytes());
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as(said).isTrue();
        return out;
    }

    private static String upload(Http api, Path file) throws Exception {
        HttpResponse<String> made = api.post("/api/v1/assets?filename=" + file.getFileName(), "audio/mpeg",
                Files.readAllBytes(file));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made).get("id").asText();
    }

    private static List<String> itemsOf(Http api, String playlist) {
        JsonNode view = Http.json(api.get("/api/v1/playlists/" + playlist));
        return view.get("items").findValuesAsText("assetId");
    }

    /** The items shown, by their data-item, read at once (the list is made again on every change). */
    @SuppressWarnings("unchecked")
    private static List<String> items(Browser browser, String selector) {
        return (List<String>) browser.script("return [...document.querySelectorAll(arguments[0])]"
                + ".map(e => e.dataset.item)", selector);
    }

    private static long count(WebElement card, String name) {
        return Long.parseLong(card.findElement(By.cssSelector("dd[data-count='" + name + "']")).getText());
    }

    private static Set<Path> downloaded() {
        try (Stream<Path> files = Files.list(Browser.downloads())) {
            return files.collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return 0;
        }
    }

    private static String ffprobe(Path file) throws Exception {
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "format=format_name:format_tags=title", "-of", "compact=p=0", file.toString())
                .redirectErrorStream(true).start();
        String said = new String(probe.getInputStream().readAllBytes()).strip();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0).as(said).isTrue();
        return said;
    }
}
