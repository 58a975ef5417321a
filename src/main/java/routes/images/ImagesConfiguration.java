package routes.images;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import com.fasterxml.jackson.databind.ObjectMapper;
import routes.assets.AssetService;
import routes.jobs.JobProgress;
import routes.config.CaravanProperties;
import routes.config.LocalSecrets;
import software.amazon.awssdk.services.s3.S3Client;

/** The image beans, from the {@code caravan.images} settings. */
@Configuration(proxyBeanMethods = false)
public class ImagesConfiguration {

    @Bean
    ImageLimits imageLimits(CaravanProperties properties) {
        CaravanProperties.Images images = properties.images();
        return new ImageLimits(images.maxSourceBytes().toBytes(), images.maxSourcePixels(), images.maxOutputWidth(),
                images.maxOutputHeight(), images.maxFrames());
    }

    @Bean
    ImageOptionsParser imageOptionsParser(CaravanProperties properties, ImageLimits limits) {
        Map<String, String> presets = properties.images().presets() == null ? Map.of() : properties.images().presets();
        return new ImageOptionsParser(limits, ImagePresets.parse(presets, limits));
    }

    @Bean
    UrlSigner urlSigner(CaravanProperties properties, Clock clock) throws IOException {
        List<String> keys = properties.images().signingKeys();
        if (keys == null || keys.isEmpty()) {
            keys = List.of(LocalSecrets.getOrCreate(properties.dataDir(), "image-url-key"));
        }
        return new UrlSigner(keys, properties.images().allowUnsafe(), clock);
    }

    @Bean
    ImageDelivery imageDelivery(S3Client s3, CaravanProperties properties, ImageLimits limits) {
        return new ImageDelivery(s3, properties.storage().bucket(), limits, properties.images().cacheMaxAge());
    }

    @Bean
    ImageRequests imageRequests(ImageDelivery delivery, ImageOptionsParser parser, UrlSigner signer,
            ImageLimits limits, CaravanProperties properties) {
        return new ImageRequests(delivery, parser, signer, limits, properties.images().presetsOnly());
    }

    @Bean
    ImageHeaderFilter imageHeaderFilter() {
        return new ImageHeaderFilter();
    }

    @Bean
    ImageTaskWorker imageTaskWorker(S3Client s3, CaravanProperties properties, AssetService assets,
            JobProgress progress, ImageOptionsParser parser, ImageLimits limits, ObjectMapper json) {
        return new ImageTaskWorker(s3, properties.storage().bucket(), assets, progress, parser, limits,
                properties.messaging().maxReceiveCount(), json);
    }

    /** Deleting an asset removes its on-demand renditions too. */
    @Bean
    AssetService.DerivativeLocator imageRenditions() {
        return asset -> asset.originalKey() == null ? List.of() : List.of(RenditionKeys.prefixFor(asset.originalKey()));
    }
}
