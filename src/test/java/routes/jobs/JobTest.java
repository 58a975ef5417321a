package routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import routes.assets.Rendition;

/** A job's status and progress are derived from its steps. */
class JobTest {

    @Test
    void progressWeighsEachStepByItsShare() {
        Job job = job(JobStep.queued("probe", 1, null), JobStep.queued("transcode", 12, null), JobStep.queued("stt", 3, null))
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
        Job job = job(JobStep.queued("probe", 1, null), JobStep.queued("transcode", 12, null), JobStep.queued("audio", 1, null))
                .withStep("probe", s -> s.running().succeeded(List.of()))
                .withStep("transcode", s -> s.skipped("the media has no video stream"));
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.step("transcode").note()).isEqualTo("the media has no video stream");

        job = job.withStep("audio", s -> s.running().succeeded(List.of(Rendition.of("speech-audio", "derived/a-1/audio/speech.wav", "audio/wav"))));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.progress()).isEqualTo(100);
    }

    @Test
    void aSkippedStepSkipsTheStepsItStarts() {
        Job job = job(JobStep.queued("probe", 1, null), JobStep.queued("audio", 1, null),
                JobStep.queued("stt", 3, "audio"), JobStep.queued("index", 1, "stt"))
                .started("probe").succeeded("probe", List.of())
                .started("audio").skipped("audio", "the media has no audio stream");

        assertThat(job.step("stt").status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(job.step("stt").note()).isEqualTo("the media has no audio stream");
        assertThat(job.step("index").status()).as("and what that one starts").isEqualTo(JobStatus.SKIPPED);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aStepOfAnEndedJobDoesNotStart() {
        Job job = job(JobStep.queued("op-001"), JobStep.queued("op-002")).cancelled();

        assertThat(job.started("op-001")).isSameAs(job);
    }

    @Test
    void anOperationBelongsToItsStep() {
        Job job = Job.queued("j-2", "a-1", "alice", "image", List.of(JobStep.queued(Job.operationStep(0)),
                JobStep.queued(Job.operationStep(1))), List.of(java.util.Map.of("width", 10),
                java.util.Map.of("options", "w:20")), null);

        assertThat(job.operationOf("op-002")).containsEntry("options", "w:20");
        assertThat(job.operationOf("probe")).isEmpty();
    }

    @Test
    void aFailedStepEndsTheJobAndTheStepsNotStartedWillNot() {
        Job job = job(JobStep.queued("probe", 1, null), JobStep.queued("transcode", 12, null), JobStep.queued("audio", 1, null))
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
        return Job.queued("j-1", "a-1", "alice", "video", List.of(steps), List.of(), null);
    }
}
