package routes.media;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;

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
    MediaSteps mediaSteps(FfmpegSafety safety, CaravanProperties properties) {
        CaravanProperties.Media media = properties.media();
        return new MediaSteps(safety, ladder(media.ladder()), media.thumbnails(), media.hls());
    }

    @Bean
    RoughCutRenderer roughCutRenderer(FfmpegSafety safety, software.amazon.awssdk.services.s3.S3Client s3,
            CaravanProperties properties) {
        return new RoughCutRenderer(safety, s3, properties.storage().bucket());
    }

    /** The ladder from the settings; none set: {@link Ladder#defaults()}. */
    static Ladder ladder(List<CaravanProperties.Rung> rungs) {
        if (rungs == null || rungs.isEmpty()) {
            return Ladder.defaults();
        }
        return new Ladder(rungs.stream().map(r -> new Rung(r.name(), r.height(), r.videoBitrateKbps(),
                r.maxrateKbps(), r.bufsizeKbps(), r.audioBitrateKbps(), r.crf())).toList());
    }
}
