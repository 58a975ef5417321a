package routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.media.MediaFixtures;
import routes.support.ExtendedAppSupport;
import routes.support.Http;
import routes.support.Jobs;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A step added as an operator adds one (a routes file with one templatedRoute of job-step, a bean, a setting), with
 * no change to the pipeline's code: it gets a queue, joins every audio job, runs, and its output is the asset's.
 */
class AddedStepTest extends ExtendedAppSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @TempDir
    Path dir;

    @Test
    void anAddedStepRunsInsideTheMediaJob() throws Exception {
        Http http = new Http(port, token());
        Path tone = MediaFixtures.tone(dir, "wav");
        String assetId = Http.json(http.post("/api/v1/assets?filename=tone.wav", "audio/wav",
                Files.readAllBytes(tone))).get("id").asText();

        JsonNode job = Jobs.ended(http, assetId);

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        List<String> steps = new ArrayList<>();
        job.get("steps").forEach(step -> steps.add(step.get("name").asText()));
        assertThat(steps).containsExactlyInAnyOrder("probe", "audio", "cover", "stt", "loudness");
        JsonNode loudness = Jobs.stepOf(job, "loudness");
        assertThat(loudness.get("status").asText()).isEqualTo("SUCCEEDED");
        String key = loudness.at("/outputs/0/key").asText();
        assertThat(key).isEqualTo("derived/" + assetId + "/loudness.json");

        // the output, as stored, against the file's peak read by the JDK's own WAV reader
        JsonNode measured = new ObjectMapper().readTree(s3.getObjectAsBytes(r -> r
                .bucket(properties.storage().bucket()).key(key)).asByteArray());
        assertThat(measured.get("maxVolumeDb").asDouble()).isCloseTo(peakDbfs(tone), within(0.2));
        assertThat(measured.get("meanVolumeDb").asDouble()).isLessThan(measured.get("maxVolumeDb").asDouble());
        JsonNode asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.get("renditions").findValuesAsText("name")).contains("loudness", "transcript");

        // the step's queue was made with the others, and the operator endpoints know it
        assertThat(Http.json(new Http(port, adminToken()).get("/api/v1/ops/queues")).findValuesAsText("queue"))
                .contains("caravan-loudness");
    }

    /** The loudest sample of a 16-bit PCM WAV file, in dB below full scale. */
    private static double peakDbfs(Path wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertThat(in.getFormat().getSampleSizeInBits()).isEqualTo(16);
            byte[] pcm = in.readAllBytes();
            int peak = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                int sample = in.getFormat().isBigEndian() ? (short) ((pcm[i] << 8) | (pcm[i + 1] & 0xff))
                        : (short) ((pcm[i + 1] << 8) | (pcm[i] & 0xff));
                peak = Math.max(peak, Math.abs(sample));
            }
            return 20 * Math.log10(peak / 32768.0);
        }
    }
}
