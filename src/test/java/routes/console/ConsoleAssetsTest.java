package routes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import routes.support.Browser;
import routes.support.BrowserTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/**
 * The console's assets pages in a real browser, as a person uses them: a video dropped on the zone uploads through
 * tus with its progress, its job reaches 100% on the same page, its page plays it with the transcript as captions and
 * offers its MP4 to download (checked with ffprobe); an upload whose connection drops goes on from where it stopped
 * (the stored bytes are the file's); a file that is no media shows why its job failed; an image chosen with the file
 * input shows its thumbnail, and the options builder's signed URL serves the size asked for (read back with ImageIO);
 * nobody sees another person's assets; no serious accessibility violations, and the asset page fits a phone.
 */
class ConsoleAssetsTest extends BrowserTestSupport {

    private static final Path MEDIA = Path.of("target", "console-assets");
    private static final String SAID = "please call me back tomorrow";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void aDroppedVideoUploadsIsProcessedLiveAndPlays() throws Exception {
        Path clip = video("clip.mp4");
        Browser browser = signedIn("video-person");
        browser.open(base().resolve("/#/assets"));
        WebElement zone = browser.visible(By.id("drop-zone"));
        browser.visible(By.id("asset-count"));
        // every value the page gives the progress bars, and a mark that goes if the page is loaded again
        browser.script("""
                window.sameDocument = true;
                window.progressSeen = { upload: [], job: [] };
                new MutationObserver(changes => changes.forEach(change => {
                  const bar = change.target;
                  if (bar.matches('progress.upload-progress')) window.progressSeen.upload.push(bar.value);
                  if (bar.matches('progress.job-progress')) window.progressSeen.job.push(bar.value);
                })).observe(document.getElementById('uploads'), { subtree: true, attributes: true,
                  attributeFilter: ['value'] });""");

        browser.dropFiles(zone, clip);

        WebElement item = browser.visible(By.cssSelector("li.upload[data-file='clip.mp4']"));
        assertThat(item.findElement(By.cssSelector("label[for^='upload-']")).getText()).isEqualTo("Uploading clip.mp4");
        String assetId = browser.until(d -> item.getAttribute("data-asset"));
        browser.until(d -> "SUCCEEDED".equals(item.getAttribute("data-job")) ? true : null);
        assertThat(item.findElement(By.cssSelector("progress.job-progress")).getAttribute("value")).isEqualTo("100");
        assertThat(item.findElement(By.cssSelector(".job-state")).getText()).contains("SUCCEEDED").contains("100%");
        @SuppressWarnings("unchecked")
        java.util.Map<String, List<Number>> seen = (java.util.Map<String, List<Number>>) browser.script(
                "return window.progressSeen");
        assertThat(seen.get("upload")).as("the upload's progress").isNotEmpty()
                .allMatch(v -> v.intValue() >= 0 && v.intValue() <= 100)
                .last().satisfies(v -> assertThat(v.intValue()).isEqualTo(100));
        assertThat(seen.get("job")).as("the job's progress, as it went").isNotEmpty()
                .last().satisfies(v -> assertThat(v.intValue()).isEqualTo(100));
        assertThat(browser.script("return window.sameDocument === true")).as("no reload").isEqualTo(true);

        // the job ended: the asset's card in the grid has its poster
        String card = "#asset-grid li[data-asset='" + assetId + "']";
        browser.until(d -> (Boolean) browser.script("const img = document.querySelector(arguments[0] + ' img');"
                + " return !!img && img.complete && img.naturalWidth > 0;", card) ? true : null);
        assertThat(browser.text(By.cssSelector(card))).contains("clip.mp4").contains("video").contains("READY");

        item.findElement(By.cssSelector(".upload-name a")).click();
        browser.visible(By.id("player"));
        assertThat(browser.text(By.cssSelector("main h1"))).isEqualTo("clip.mp4");
        Object played = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                const video = document.getElementById('player');
                video.muted = true;
                video.play().then(() => done('playing'), e => done('refused: ' + e));""");
        assertThat(played).isEqualTo("playing");
        browser.until(d -> ((Number) browser.script("return document.getElementById('player').currentTime"))
                .doubleValue() > 0.5 ? true : null);
        browser.script("document.getElementById('player').pause()");

        // what was said, as the player's captions (the transcript's WebVTT)
        String captions = browser.until(d -> (String) browser.script("""
                const track = document.querySelector('#player track[kind=captions]');
                if (!track) return null;
                track.track.mode = 'hidden';
                const cues = track.track.cues;
                return cues && cues.length ? [...cues].map(c => c.text).join(' ') : null;"""));
        assertThat(captions.toLowerCase()).contains("call").contains("back");

        // the ladder's MP4 is there to download, and it is the video
        WebElement mp4 = browser.visible(By.xpath("//table[@id='renditions']//tr[td[2][normalize-space()='video/mp4']"
                + " and not(@data-rendition='preview') and not(@data-rendition='original')]//a[@download]"));
        Path downloaded = MEDIA.resolve("downloaded-" + assetId + ".mp4");
        HttpResponse<Path> file = HTTP.send(HttpRequest.newBuilder(URI.create(mp4.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofFile(downloaded));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0",
                downloaded.toString())).contains("h264,video").contains("aac,audio");
        double seconds = Double.parseDouble(run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "csv=p=0", downloaded.toString()).trim());
        assertThat(seconds).isBetween(2.5, 3.5);

        // the job, each step's state, and the metadata
        browser.until(d -> d.findElements(By.cssSelector("article.job[data-status='SUCCEEDED']")).isEmpty() ? null
                : true);
        assertThat(browser.text(By.cssSelector("article.job"))).contains("transcode").contains("thumbnails")
                .contains("100%");
        assertThat(browser.text(By.id("metadata"))).contains("320×240").contains("h264").contains("aac");

        browser.pageShot("asset-video");
        assertThat(browser.seriousAccessibilityViolations()).as("the video's page").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);
    }

    @Test
    void anImageChosenWithTheFileInputShowsItsThumbnailAndSignedUrls() throws Exception {
        Path photo = Files.createDirectories(MEDIA).resolve("harbour.jpg");
        Files.write(photo, TestImages.jpeg(900, 600, new Color(30, 120, 200)));
        Browser browser = signedIn("image-person");
        browser.open(base().resolve("/#/assets"));
        browser.visible(By.id("asset-count"));
        // the keyboard's way in: the labelled file input
        WebElement chooser = browser.driver().findElement(By.cssSelector("label[for='choose-files'] input#choose-files"));
        assertThat(browser.text(By.cssSelector("label[for='choose-files']"))).contains("Choose files");
        chooser.sendKeys(photo.toAbsolutePath().toString());

        WebElement item = browser.visible(By.cssSelector("li.upload[data-file='harbour.jpg']"));
        String assetId = browser.until(d -> item.getAttribute("data-asset"));
        String thumbnail = "#asset-grid li[data-asset='" + assetId + "'] img";
        Number width = browser.until(d -> (Number) browser.script("const img = document.querySelector(arguments[0]);"
                + " return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;", thumbnail));
        assertThat(width.intValue()).isPositive();
        browser.until(d -> "SUCCEEDED".equals(item.getAttribute("data-job")) ? true : null);
        browser.pageShot("assets");
        assertThat(browser.seriousAccessibilityViolations()).as("the assets page").isEmpty();

        // the kind filter leaves it out of the videos and in the images
        new org.openqa.selenium.support.ui.Select(browser.visible(By.id("filter-kind"))).selectByValue("video");
        browser.until(d -> !d.findElement(By.cssSelector("#asset-grid li[data-asset='" + assetId + "']"))
                .isDisplayed() ? true : null);
        new org.openqa.selenium.support.ui.Select(browser.visible(By.id("filter-kind"))).selectByValue("image");
        browser.visible(By.cssSelector("#asset-grid li[data-asset='" + assetId + "']"));

        browser.open(base().resolve("/#/assets/" + assetId));
        browser.visible(By.id("image-width")).clear();
        browser.driver().findElement(By.id("image-width")).sendKeys("240");
        new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("image-format")))
                .selectByValue("png");
        browser.driver().findElement(By.cssSelector("form.image-options button[type=submit]")).click();
        Number previewWidth = browser.until(d -> (Number) browser.script("const img ="
                + " document.getElementById('image-preview'); return img.complete && img.naturalWidth > 0"
                + " ? img.naturalWidth : null;"));
        assertThat(previewWidth.intValue()).isEqualTo(240);
        String url = browser.visible(By.id("image-url")).getAttribute("value");
        assertThat(url).startsWith(base() + "/img/").contains("w:240").contains("f:png");
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(read.getWidth()).isEqualTo(240);
        assertThat(read.getHeight()).isEqualTo(160);

        assertThat(browser.text(By.id("metadata"))).contains("900×600");
        browser.pageShot("asset-image");
        assertThat(browser.seriousAccessibilityViolations()).as("the image's page").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);
    }

    @Test
    void anUploadWhoseConnectionDropsResumesWhereItStopped() throws Exception {
        // 40 s of stereo 48 kHz WAV, 7.7 MB: two chunks of the upload (5 MiB each at most)
        Path tone = Files.createDirectories(MEDIA).resolve("tone.wav");
        if (!Files.isRegularFile(tone)) {
            run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=40",
                    "-ac", "2", "-c:a", "pcm_s16le", tone.toString());
        }
        Browser browser = signedIn("resuming-person");
        browser.open(base().resolve("/#/assets"));
        browser.visible(By.id("asset-count"));
        // the page's requests to the tus endpoint, as sent; the second PATCH's connection drops before it arrives
        // (the browser reports a network error, as for a pulled cable)
        browser.script("""
                window.tusLog = [];
                const { open, send, setRequestHeader } = XMLHttpRequest.prototype;
                let patches = 0;
                XMLHttpRequest.prototype.open = function (method, url) {
                  this.sent = { method, url: String(url), offset: null };
                  return open.apply(this, arguments);
                };
                XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
                  if (name.toLowerCase() === 'upload-offset') this.sent.offset = Number(value);
                  return setRequestHeader.apply(this, arguments);
                };
                XMLHttpRequest.prototype.send = function () {
                  if (this.sent && this.sent.url.includes('/api/v1/tus')) {
                    window.tusLog.push(this.sent);
                    if (this.sent.method === 'PATCH' && ++patches === 2) {
                      this.sent.dropped = true;
                      setTimeout(() => this.dispatchEvent(new ProgressEvent('error')), 0);
                      return undefined;
                    }
                  }
                  return send.apply(this, arguments);
                };""");
        browser.dropFiles(browser.visible(By.id("drop-zone")), tone);

        WebElement item = browser.visible(By.cssSelector("li.upload[data-file='tone.wav']"));
        String assetId = browser.until(d -> item.getAttribute("data-asset"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> log = (List<Map<String, Object>>) browser.script("return window.tusLog");
        List<String> sent = log.stream().map(r -> r.get("method") + (r.get("offset") == null ? "" : " "
                + ((Number) r.get("offset")).longValue()) + (Boolean.TRUE.equals(r.get("dropped")) ? " dropped" : ""))
                .toList();
        long chunk = 5L * 1024 * 1024;
        // after the drop the client asks where the upload stands and sends the rest from there, not from 0
        assertThat(sent).containsExactly("POST", "PATCH 0", "PATCH " + chunk + " dropped", "HEAD", "PATCH " + chunk);

        Http owner = new Http(base().getPort(), adminToken());
        JsonNode asset = Http.json(owner.get("/api/v1/assets/" + assetId));
        assertThat(asset.get("status").asText()).isEqualTo("READY");
        HttpResponse<byte[]> stored = HTTP.send(HttpRequest.newBuilder(URI.create(asset.at("/original/url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stored.body()).as("the stored original").isEqualTo(Files.readAllBytes(tone));
    }

    @Test
    void aBrokenFileShowsWhyItsJobFailed() throws Exception {
        Path broken = Files.createDirectories(MEDIA).resolve("broken.mp4");
        Files.writeString(broken, "these bytes are no video at all ".repeat(64));
        Browser browser = signedIn("broken-person");
        browser.open(base().resolve("/#/assets"));
        browser.visible(By.id("asset-count"));
        browser.dropFiles(browser.visible(By.id("drop-zone")), broken);

        WebElement item = browser.visible(By.cssSelector("li.upload[data-file='broken.mp4']"));
        String assetId = browser.until(d -> item.getAttribute("data-asset"));
        // its page at once, while its job may still run: the page follows the job to its end
        item.findElement(By.cssSelector(".upload-name a")).click();
        browser.script("window.sameDocument = true");
        // the job fails with its first failed step; the page goes on following the steps still running
        WebElement probe = browser.visible(By.cssSelector(
                "article.job[data-status='FAILED'] tr[data-step='probe'][data-status='FAILED']"));
        assertThat(probe.findElement(By.cssSelector("td.failure")).getText()).isNotBlank();
        assertThat(browser.driver().findElement(By.id("not-playable")).getText()).contains("Nothing to play");
        assertThat(browser.script("return window.sameDocument === true")).as("no reload").isEqualTo(true);

        // back on the assets page, the upload's item follows its job again, to the same end
        browser.driver().navigate().back();
        WebElement again = browser.visible(By.cssSelector("li.upload[data-asset='" + assetId + "']"));
        browser.until(d -> "FAILED".equals(again.getAttribute("data-job")) ? true : null);
        assertThat(again.findElement(By.cssSelector(".job-state")).getText()).startsWith("FAILED").contains("probe: ");
    }

    @Test
    void nobodySeesAnotherPersonsAssets() throws Exception {
        Http keeper = new Http(base().getPort(), token("asset-keeper"));
        HttpResponse<String> made = keeper.post("/api/v1/assets?filename=private.jpg", "image/jpeg",
                TestImages.jpeg(320, 200, Color.RED));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode asset = Http.json(made);
        String assetId = asset.get("id").asText();

        Browser browser = signedIn("asset-onlooker");
        browser.open(base().resolve("/#/assets"));
        assertThat(browser.text(By.id("asset-count"))).contains("No assets yet");
        assertThat(browser.driver().findElements(By.cssSelector("#asset-grid li[data-asset='" + assetId + "']")))
                .isEmpty();

        browser.open(base().resolve("/#/assets/" + assetId));
        assertThat(browser.text(By.cssSelector("main h1"))).isEqualTo("Asset not found");
        assertThat(browser.text(By.id("asset-missing"))).contains(assetId).contains("does not exist");
        assertThat(browser.driver().findElements(By.id("player"))).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain("private.jpg");
    }

    /** A 3 s 320x240 H.264 video in which a voice (espeak-ng) says {@link #SAID} (AAC), made once. */
    private static Path video(String name) throws IOException, InterruptedException {
        Path out = Files.createDirectories(MEDIA).resolve(name);
        if (!Files.isRegularFile(out)) {
            Path voice = MEDIA.resolve("voice.wav");
            run("espeak-ng", "-v", "en-us+f2", "-s", "150", "-w", voice.toString(), SAID);
            run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
                    "-i", voice.toString(), "-filter_complex", "[1:a]apad[a]", "-map", "0:v", "-map", "[a]",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "44100",
                    "-b:a", "64k", "-shortest", "-movflags", "+faststart", out.toString());
        }
        return out;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
