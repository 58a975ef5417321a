package routes.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import routes.support.Browser;
import routes.support.BrowserTestSupport;
import routes.support.Http;
import routes.support.Jobs;

/**
 * The console's projects, transcript editor and paper-edit builder in a real browser, on a real interview: a short
 * video whose speech (espeak-ng) the pipeline transcribes with the embedded speech-to-text server. A word clicked puts
 * the player at its start; a correction is saved with the words' timings; a phrase is annotated; two selections make
 * a paper edit that is reordered, exported as an EDL (read back here) and rendered.
 */
class ConsoleEditTest extends BrowserTestSupport {

    private static final String PERSON = "dpe-editor";
    private static final String SAID = "we met in the harbour last spring when the boats came back from the sea";
    private static String interview;

    /** Signs the editor in; their API client, with the console's own token. */
    private static Http signIn(Browser browser) {
        String token = (String) browser.script(
                "return JSON.parse(sessionStorage.getItem('caravan.tokens')).accessToken");
        return new Http(base().getPort(), token);
    }

    /** The interview (made, uploaded and transcribed the first time): its asset id. */
    private static synchronized String interview(Http api) throws Exception {
        if (interview == null) {
            Path dir = Files.createDirectories(Path.of("target", "console-edit"));
            Path speech = dir.resolve("speech.wav");
            Path clip = dir.resolve("interview.mp4");
            run("espeak-ng", "-v", "en-us", "-s", "140", "-w", speech.toString(), SAID);
            run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=25", "-i", speech.toString(), "-shortest", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", clip.toString());
            HttpResponse<String> made = api.post("/api/v1/assets?filename=interview.mp4", "video/mp4",
                    Files.readAllBytes(clip));
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String id = Http.json(made).get("id").asText();
            JsonNode job = Jobs.ended(api, id);
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            interview = id;
        }
        return interview;
    }

    @Test
    void projectsAreMadeRenamedAndDeleted() {
        Browser browser = signedIn(PERSON);
        Http api = signIn(browser);
        browser.open(base().resolve("/#/projects"));
        browser.visible(By.id("project-name")).sendKeys("Harbour stories");
        browser.driver().findElement(By.id("project-description")).sendKeys("Interviews at the quay");
        browser.driver().findElement(By.cssSelector("form.card button[type=submit]")).click();
        browser.until(d -> "Harbour stories".equals(browser.script(
                "const h = document.querySelector('main h1'); return h && h.textContent")));
        String id = browser.until(d -> {
            String hash = (String) browser.script("return location.hash");
            return hash.startsWith("#/projects/") ? hash.substring("#/projects/".length()) : null;
        });
        assertThat(Http.json(api.get("/api/v1/projects/" + id)).get("role").asText()).isEqualTo("OWNER");

        browser.open(base().resolve("/#/projects"));
        browser.visible(By.cssSelector("button[aria-label='Rename Harbour stories']")).click();
        WebElement name = browser.visible(By.cssSelector("input[aria-label='New name of Harbour stories']"));
        name.clear();
        name.sendKeys("Quay stories");
        name.submit();
        browser.visible(By.xpath("//main//a[normalize-space()='Quay stories']"));
        browser.pageShot("projects");
        assertThat(browser.seriousAccessibilityViolations()).as("the projects").isEmpty();
        assertThat(Http.json(api.get("/api/v1/projects/" + id)).get("name").asText()).isEqualTo("Quay stories");

        WebElement delete = browser.visible(By.cssSelector("button[aria-label='Delete Quay stories']"));
        delete.click();
        // a second press, once it asks whether for good
        browser.visible(By.cssSelector("tr[data-project='" + id + "'] button.danger")).click();
        browser.until(d -> d.findElements(By.cssSelector("tr[data-project='" + id + "']")).isEmpty());
        assertThat(api.get("/api/v1/projects/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aWordClickedPlaysFromItsStartAndCorrectionsAndAnnotationsAreSaved() throws Exception {
        Browser browser = signedIn(PERSON);
        Http api = signIn(browser);
        String asset = interview(api);

        // a project, a label and the interview's transcript, made on the pages
        browser.open(base().resolve("/#/projects"));
        browser.visible(By.id("project-name")).sendKeys("Harbour");
        browser.driver().findElement(By.cssSelector("form.card button[type=submit]")).click();
        browser.visible(By.id("label-name")).sendKeys("Quote");
        browser.script("const c = document.getElementById('label-colour'); c.value = '#2e86de';"
                + " c.dispatchEvent(new Event('input', { bubbles: true }));");
        browser.driver().findElement(By.id("label-name")).submit();
        browser.visible(By.xpath("//ul[@class='labels']//strong[normalize-space()='Quote']"));
        String project = ((String) browser.script("return location.hash")).substring("#/projects/".length());
        JsonNode label = Http.json(api.get("/api/v1/projects/" + project + "/labels")).get(0);
        assertThat(label.get("colour").asText()).isEqualTo("#2e86de");

        browser.until(d -> !d.findElements(By.cssSelector("#transcript-asset option[value='" + asset + "']")).isEmpty());
        new Select(browser.driver().findElement(By.id("transcript-asset"))).selectByValue(asset);
        browser.driver().findElement(By.id("transcript-title")).sendKeys("Fisher, at the quay");
        browser.driver().findElement(By.id("transcript-title")).submit();
        browser.visible(By.linkText("Fisher, at the quay"));
        browser.pageShot("project");
        assertThat(browser.seriousAccessibilityViolations()).as("a project's page").isEmpty();
        assertFitsAPhone(browser);
        browser.visible(By.linkText("Fisher, at the quay")).click();

        // the words beside the player
        List<WebElement> words = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".words .word"));
            return found.size() > 4 ? found : null;
        });
        String transcriptId = ((String) browser.script("return location.hash")).replaceAll(".*/transcripts/", "");
        String transcriptPath = "/api/v1/projects/" + project + "/transcripts/" + transcriptId;
        JsonNode before = Http.json(api.get(transcriptPath)).get("words");
        assertThat(words).hasSize(before.size());
        browser.until(d -> ((Number) browser.script("return document.querySelector('video,audio').readyState"))
                .intValue() >= 1);

        // a word clicked: the player is at its start, and it is the current word
        int third = 2;
        words.get(third).click();
        double at = ((Number) browser.script("return document.querySelector('video,audio').currentTime"))
                .doubleValue();
        assertThat(at).isCloseTo(before.get(third).get("start").asDouble(), within(0.05));
        browser.until(d -> "true".equals(d.findElements(By.cssSelector(".words .word")).get(third)
                .getAttribute("aria-current")));

        // the word corrected, saved with its timings
        browser.visible(By.id("correct-selection")).click();
        WebElement text = browser.visible(By.id("correction-text"));
        text.clear();
        text.sendKeys("Harbour");
        text.submit();
        browser.until(d -> d.findElement(By.id("revision")).getText().startsWith("Revision 2 of 2"));
        browser.driver().navigate().refresh();
        browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".words .word"));
            return found.size() > third && found.get(third).getText().equals("Harbour");
        });
        JsonNode after = Http.json(api.get(transcriptPath));
        assertThat(after.get("revision").asInt()).isEqualTo(2);
        assertThat(after.get("words").get(third).get("word").asText()).isEqualTo("Harbour");
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get("words").get(i).get("start").asDouble()).isEqualTo(before.get(i).get("start").asDouble());
            assertThat(after.get("words").get(i).get("end").asDouble()).isEqualTo(before.get(i).get("end").asDouble());
        }

        // a phrase selected
        words = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".words .word"));
            return found.size() > 4 ? found : null;
        });
        // dragged over with the mouse: words 1-3 selected
        new Actions(browser.driver()).clickAndHold(words.get(1)).moveToElement(words.get(3)).release().perform();
        browser.until(d -> d.findElements(By.cssSelector(".words .word.selected")).size() == 3);
        assertThat(browser.text(By.id("selection-text"))).contains(after.get("words").get(1).get("word").asText());
        // with the keyboard: words 0-2, annotated
        words.get(0).click();
        new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
                .keyUp(Keys.SHIFT).perform();
        browser.until(d -> d.findElements(By.cssSelector(".words .word.selected")).size() == 3);
        browser.driver().findElement(By.id("annotate-selection")).click();
        new Select(browser.visible(By.id("annotation-label"))).selectByVisibleText("Quote");
        browser.driver().findElement(By.id("annotation-note")).sendKeys("the opening line");
        browser.driver().findElement(By.id("annotation-note")).submit();
        browser.until(d -> d.findElements(By.cssSelector(".words .word.annotated")).size() >= 3);
        JsonNode notes = Http.json(api.get("/api/v1/projects/" + project + "/annotations?transcriptId=" + transcriptId));
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("start").asDouble()).isEqualTo(before.get(0).get("start").asDouble());
        assertThat(notes.get(0).get("end").asDouble()).isEqualTo(before.get(2).get("end").asDouble());
        assertThat(notes.get(0).get("labelId").asText()).isEqualTo(label.get("id").asText());
        assertThat(notes.get(0).get("note").asText()).isEqualTo("the opening line");

        // a speaker named, when the engine labelled them
        List<WebElement> speakers = browser.driver().findElements(By.cssSelector(".speakers input"));
        if (!speakers.isEmpty()) {
            speakers.get(0).sendKeys("Ines");
            speakers.get(0).submit();
            browser.until(d -> d.findElements(By.cssSelector(".speaker")).stream()
                    .anyMatch(s -> s.getText().equals("Ines")));
            assertThat(Http.json(api.get(transcriptPath)).get("speakers").toString()).contains("Ines");
        }

        browser.pageShot("transcript-editor");
        assertThat(browser.seriousAccessibilityViolations()).as("the transcript editor").isEmpty();
        assertFitsAPhone(browser);
    }

    @Test
    void twoSelectionsMakeAPaperEditThatIsReorderedExportedAndRendered() throws Exception {
        Browser browser = signedIn(PERSON);
        Http api = signIn(browser);
        String asset = interview(api);
        String project = Http.json(api.postJson("/api/v1/projects", "{\"name\":\"Harbour cut\"}")).get("id").asText();
        HttpResponse<String> made = api.postJson("/api/v1/projects/" + project + "/transcripts",
                "{\"assetId\":\"" + asset + "\",\"title\":\"Fisher\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode words = Http.json(api.get("/api/v1/projects/" + project + "/transcripts/"
                + Http.json(made).get("id").asText())).get("words");

        // a paper edit made on the project's page opens the builder, the one transcript shown
        browser.open(base().resolve("/#/projects/" + project));
        browser.visible(By.id("edit-title")).sendKeys("Harbour, one minute");
        browser.driver().findElement(By.id("edit-title")).submit();
        browser.until(d -> "Harbour, one minute".equals(browser.script(
                "const h = document.querySelector('main h1'); return h && h.textContent")));
        String edit = ((String) browser.script("return location.hash")).replaceAll(".*/edits/", "");
        String editPath = "/api/v1/projects/" + project + "/paper-edits/" + edit;

        // the first cut with the button, words 0-1
        select(browser, 0, 2);
        browser.driver().findElement(By.id("add-to-script")).click();
        browser.until(d -> d.findElements(By.cssSelector("#script li.element")).size() == 1);
        // the second dragged into the script's end, words 3-4
        select(browser, 3, 5);
        browser.script("""
                const chip = document.getElementById('selection-chip');
                const script = document.getElementById('script');
                const data = new DataTransfer();
                chip.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: data }));
                const box = script.getBoundingClientRect();
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  script.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data,
                    clientX: box.left + 10, clientY: box.bottom - 2 }));
                }
                chip.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: data }));""");
        browser.until(d -> d.findElements(By.cssSelector("#script li.element")).size() == 2);
        double[] a = {words.get(0).get("start").asDouble(), words.get(1).get("end").asDouble()};
        double[] b = {words.get(3).get("start").asDouble(), words.get(4).get("end").asDouble()};
        JsonNode elements = Http.json(api.get(editPath)).get("elements");
        assertThat(elements.get(0).get("start").asDouble()).isEqualTo(a[0]);
        assertThat(elements.get(1).get("start").asDouble()).isEqualTo(b[0]);

        // a title, then the order changed: the second cut moved up with its button, the title dragged to the top
        new Select(browser.driver().findElement(By.id("element-kind"))).selectByValue("title");
        browser.driver().findElement(By.id("element-text")).sendKeys("At the harbour");
        browser.driver().findElement(By.id("element-text")).submit();
        browser.until(d -> d.findElements(By.cssSelector("#script li.element")).size() == 3);
        browser.driver().findElement(By.cssSelector("button[aria-label='Move up: cut 2']")).click();
        browser.until(d -> String.valueOf(b[0]).equals(String.valueOf(Http.json(api.get(editPath))
                .at("/elements/0/start").asDouble())));
        browser.script("""
                const items = document.querySelectorAll('#script li.element');
                const title = items[2];
                const script = document.getElementById('script');
                const data = new DataTransfer();
                title.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: data }));
                const top = items[0].getBoundingClientRect();
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  script.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data,
                    clientX: top.left + 10, clientY: top.top + 2 }));
                }
                title.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: data }));""");
        browser.until(d -> "TITLE".equals(d.findElements(By.cssSelector("#script li.element")).get(0)
                .getAttribute("data-type")));
        elements = Http.json(api.get(editPath)).get("elements");
        assertThat(elements).hasSize(3);
        assertThat(elements.get(0).get("type").asText()).isEqualTo("TITLE");
        assertThat(elements.get(1).get("start").asDouble()).isEqualTo(b[0]);
        assertThat(elements.get(2).get("start").asDouble()).isEqualTo(a[0]);

        // played in order: the second cut (now first) then the first, in one player
        browser.driver().findElement(By.id("play-sequence")).click();
        browser.until(d -> d.findElements(By.cssSelector("#script li.element")).get(2).getAttribute("class")
                .contains("playing"));
        double playing = ((Number) browser.script("return document.getElementById('player').currentTime"))
                .doubleValue();
        assertThat(playing).isBetween(a[0] - 0.05, a[1] + 0.5);
        browser.driver().findElement(By.id("stop-sequence")).click();

        // exported as an EDL, downloaded by the browser and read back: two events, the cuts' source timecodes
        try (Stream<Path> old = Files.list(Browser.downloads())) {
            old.filter(p -> p.toString().endsWith(".edl")).forEach(p -> p.toFile().delete());
        }
        new Select(browser.driver().findElement(By.id("export-format"))).selectByValue("edl");
        browser.driver().findElement(By.id("export")).click();
        Path edl = browser.until(d -> {
            try (Stream<Path> files = Files.list(Browser.downloads())) {
                return files.filter(p -> p.toString().endsWith(".edl")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String[]> events = new ArrayList<>();
        Matcher event = Pattern.compile("(?m)^(\\d{3})\\s+\\S+\\s+\\S+\\s+C\\s+(\\S+) (\\S+) (\\S+) (\\S+)\\s*$")
                .matcher(browser.until(d -> {
                    try {
                        String text = Files.readString(edl);
                        return text.contains("FROM CLIP NAME") && text.lines().filter(l -> l.startsWith("00"))
                                .count() == 2 ? text : null;
                    } catch (IOException e) {
                        return null;
                    }
                }));
        while (event.find()) {
            events.add(new String[] {event.group(2), event.group(3)});
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).containsExactly(timecode(b[0]), timecode(b[1]));
        assertThat(events.get(1)).containsExactly(timecode(a[0]), timecode(a[1]));

        browser.pageShot("paper-edit");
        assertThat(browser.seriousAccessibilityViolations()).as("the paper-edit builder").isEmpty();
        assertFitsAPhone(browser);

        // the rough cut rendered, its progress followed to 100%, the result linked
        new Select(browser.driver().findElement(By.id("render-format"))).selectByValue("mp4");
        browser.driver().findElement(By.id("render")).click();
        browser.until(d -> "100".equals(d.findElement(By.id("render-progress")).getAttribute("value")));
        String result = browser.visible(By.id("render-result")).getAttribute("href");
        assertThat(browser.text(By.id("render-state"))).startsWith("succeeded, 100%");
        HttpResponse<byte[]> cut = HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(result))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cut.statusCode()).isEqualTo(200);
        Path mp4 = Files.createDirectories(Path.of("target", "console-edit")).resolve("rough-cut.mp4");
        Files.write(mp4, cut.body());
        double seconds = Double.parseDouble(run("ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", mp4.toString()).strip());
        assertThat(seconds).isCloseTo((a[1] - a[0]) + (b[1] - b[0]), within(0.2));
    }

    /** Selects words [from, to) of the page's transcript panel: a click on the first, Shift+Right to the last. */
    private static void select(Browser browser, int from, int to) {
        List<WebElement> words = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".words .word"));
            return found.size() >= to ? found : null;
        });
        words.get(from).click();
        Actions keys = new Actions(browser.driver()).keyDown(Keys.SHIFT);
        for (int i = from + 1; i < to; i++) {
            keys.sendKeys(Keys.ARROW_RIGHT);
        }
        keys.keyUp(Keys.SHIFT).perform();
        browser.until(d -> d.findElements(By.cssSelector(".words .word.selected")).size() == to - from);
        browser.visible(By.id("selection-chip"));
    }

    private static void assertFitsAPhone(Browser browser) {
        assertThat(browser.overflowAtPhoneWidth()).as("wider than a phone by, px").isLessThanOrEqualTo(0);
    }

    /** A time of the source at 25 frames a second (the clip's rate, no timecode of its own), as an EDL gives it. */
    private static String timecode(double seconds) {
        long frames = Math.round(seconds * 25);
        return String.format(Locale.ROOT, "%02d:%02d:%02d:%02d", frames / 90000, frames / 1500 % 60, frames / 25 % 60,
                frames % 25);
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s ended", command[0]).isTrue();
            assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
