package routes.stt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import routes.assets.ObjectKeys;
import routes.assets.Rendition;
import routes.jobs.StepInput;
import routes.jobs.StepResult;
import routes.jobs.StoredFile;

/** The speech-to-text step's output: the transcript stt-request made, as JSON beside the asset. */
public class SpeechSteps {

    /** The transcript of the step's speech audio, as a file and a {@code transcript} rendition. */
    public StepResult transcribed(StepInput input, Transcript transcript) throws IOException {
        Path file = Files.writeString(input.workDir().resolve("transcript.json"), TranscriptFormats.json(transcript));
        String key = ObjectKeys.transcript(input.asset().id());
        return StepResult.renditions(List.of(new StoredFile(file, key, "application/json")),
                List.of(Rendition.of("transcript", key, "application/json")
                        .transcript(transcript.words().size(), transcript.language())));
    }
}
