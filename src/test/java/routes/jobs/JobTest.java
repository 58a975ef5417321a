package routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's status and progress are derived from its steps. */
class JobTest {

    @Test
    void progressWeighsEachStepByItsShare() {
        Job job = job(JobStep.queued("probe", 1), JobStep.queued("transcode", 12), JobStep.queued("stt", 3))
                .withStep("probe", s -> s.running().succeeded(List.of()))
                .withStep("transcode", s -> s.running().progress(50));

        // (100 * 1 + 50 * 12 + 0 * 3) / 16
        assertThat(job.progress()).isEqualTo(43);
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void stepsWithoutAWeightCountAlike() {
        Job job = job(JobStep.queued("op-001"), JobStep.queued("op-002"))
                .withStep("op-001", s -> s.running().succeeded(List.of()));

        assertThat(job.progress()).isEqualTo(50);
    }

    @Test
    void skippedStepsCountAsDone() {
        Job job = job(JobStep.queued("probe", 1), JobStep.queued("transcode", 12), JobStep.queued("audio", 1))
                .withStep("probe", s -> s.running().succeeded(List.of()))
                .withStep("transcode", s -> s.skipped("the media has no video stream"));
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.step("transcode").note()).isEqualTo("the media has no video stream");

        job = job.withStep("audio", s -> s.running().succeeded(List.of(Map.of("name", "speech-audio"))));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.progress()).isEqualTo(100);
    }

    @Test
    void aFailedStepEndsTheJobAndTheStepsNotStartedWillNot() {
        Job job = job(JobStep.queued("probe", 1), JobStep.queued("transcode", 12), JobStep.queued("audio", 1))
                .withStep("transcode", JobStep::running)
                .withStep("probe", s -> s.running().failed("corrupt-media: truncated"));

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("step probe failed: corrupt-media: truncated");
        assertThat(job.step("transcode").status()).as("under way elsewhere; it reports when it ends")
                .isEqualTo(JobStatus.RUNNING);
        assertThat(job.step("audio").status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.step("audio").note()).isEqualTo("not run: step probe failed");

        job = job.withStep("transcode", s -> s.failed("corrupt-media: truncated"));
        assertThat(job.error()).as("the first failure stays the job's reason").startsWith("step probe failed");
    }

    @Test
    void aCancelledJobsQueuedStepsAreCancelled() {
        Job job = job(JobStep.queued("op-001"), JobStep.queued("op-002"))
                .withStep("op-001", s -> s.running().succeeded(List.of())).cancelled();

        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.step("op-001").status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.step("op-002").status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.step("op-002").note()).isEqualTo("not run: the job was cancelled");
    }

    @Test
    void aStepStoredBeforeWeightsAndNotesReadsAsWeightOne() throws Exception {
        JobStep stored = new ObjectMapper().readValue(
                "{\"name\":\"probe\",\"status\":\"SUCCEEDED\",\"attempts\":1,\"progress\":100,\"outputs\":[]}",
                JobStep.class);

        assertThat(stored.share()).isEqualTo(1);
        assertThat(stored.note()).isNull();
        assertThat(new ObjectMapper().writeValueAsString(stored)).doesNotContain("weight").doesNotContain("note");
    }

    private static Job job(JobStep... steps) {
        return new Job("j-1", "a-1", "video", JobStatus.QUEUED, 0, List.of(), List.of(steps), null, null, null, null,
                0);
    }
}
