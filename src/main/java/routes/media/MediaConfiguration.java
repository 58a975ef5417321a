package routes.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.config.EmbeddedStackCondition;
import routes.events.EventPublisher;
import routes.jobs.JobProgress;
import routes.jobs.JobStore;
import routes.stt.CircuitBreaker;
import routes.stt.OpenAiSttClient;
import routes.stt.SpeechToText;
import routes.stt.SttException;
import software.amazon.awssdk.services.s3.S3Client;

/** The video and audio beans, from the {@code caravan.media} settings. */
@Configuration(proxyBeanMethods = false)
public class MediaConfiguration {

    @Bean
    FfmpegSafety ffmpegSafety(CaravanProperties properties) {
        CaravanProperties.Media media = properties.media();
        return new FfmpegSafety(new MediaLimits(media.maxDuration(), media.maxWidth(), media.maxHeight(),
                media.maxBytes().toBytes(), media.timeout()));
    }

    @Bean
    Transcripts transcripts(S3Client s3, CaravanProperties properties, AssetService assets, ObjectMapper json) {
        return new Transcripts(s3, properties.storage().bucket(), assets, json);
    }

    /** The STT server from settings, when the embedded stack does not provide one. */
    @Bean
    @Conditional(EmbeddedStackCondition.Inactive.class)
    SttEndpoint configuredSttEndpoint(CaravanProperties properties) {
        return new SttEndpoint(properties.stt().endpoint());
    }

    @Bean
    SpeechToText speechToText(SttEndpoint endpoint, CaravanProperties properties) {
        CaravanProperties.Stt stt = properties.stt();
        if (endpoint.uri() == null) {
            return (wav, language) -> {
                throw SttException.permanent("no speech-to-text server is configured (caravan.stt.endpoint)", null);
            };
        }
        return new OpenAiSttClient(endpoint.uri(), stt.model(), stt.apiKey(), stt.connectTimeout(),
                stt.requestTimeout(), stt.maxAttempts(), Duration.ofSeconds(1), new CircuitBreaker(5, Duration.ofSeconds(30)));
    }

    @Bean
    MediaPipeline mediaPipeline(S3Client s3, CaravanProperties properties, AssetService assets, JobStore jobs,
            JobProgress progress, EventPublisher events, FfmpegSafety safety, ObjectMapper json,
            SpeechToText speechToText) {
        CaravanProperties.Media media = properties.media();
        Ladder ladder = media.ladder() == null || media.ladder().isEmpty() ? Ladder.defaults() : new Ladder(media.ladder());
        return new MediaPipeline(s3, properties.storage().bucket(), assets, jobs, progress, events, safety, ladder,
                media.thumbnails(), media.hls(), properties.messaging().maxReceiveCount(), json, speechToText,
                properties.stt().language());
    }
}
