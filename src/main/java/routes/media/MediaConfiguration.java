package routes.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.events.EventPublisher;
import routes.jobs.JobProgress;
import routes.jobs.JobStore;
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
    MediaPipeline mediaPipeline(S3Client s3, CaravanProperties properties, AssetService assets, JobStore jobs,
            JobProgress progress, EventPublisher events, FfmpegSafety safety, ObjectMapper json) {
        CaravanProperties.Media media = properties.media();
        Ladder ladder = media.ladder() == null || media.ladder().isEmpty() ? Ladder.defaults() : new Ladder(media.ladder());
        return new MediaPipeline(s3, properties.storage().bucket(), assets, jobs, progress, events, safety, ladder,
                media.thumbnails(), properties.messaging().maxReceiveCount(), json);
    }
}
