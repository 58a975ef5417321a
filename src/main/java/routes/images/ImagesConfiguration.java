package routes.images;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import routes.assets.Asset;
import routes.assets.AssetService;
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
        List<String> thumbor = properties.images().thumborSecurityKeys();
        List<String> imgproxyKeys = properties.images().imgproxyKeys();
        List<Map.Entry<String, String>> imgproxy = new java.util.ArrayList<>();
        for (int i = 0; imgproxyKeys != null && i < imgproxyKeys.size(); i++) {
            imgproxy.add(Map.entry(imgproxyKeys.get(i), properties.images().imgproxySalts().get(i)));
        }
        return new UrlSigner(keys, thumbor == null ? List.of() : thumbor, imgproxy, properties.images().allowUnsafe(),
                clock);
    }

    @Bean
    RemoteOriginals remoteOriginals(S3Client s3, CaravanProperties properties, ImageLimits limits, Clock clock) {
        CaravanProperties.Images images = properties.images();
        RemoteOriginals remote = new RemoteOriginals(s3, properties.storage().bucket(),
                images.remoteOrigins() == null ? List.of() : images.remoteOrigins(), images.remoteTimeout(),
                images.remoteTtl(), limits.maxBytes(), images.remoteAllowPrivateAddresses(), clock);
        if (remote.enabled()) {
            org.slf4j.LoggerFactory.getLogger(RemoteOriginals.class).info("images named by URL are fetched from {}"
                    + " (caravan.images.remote-origins)", remote.origins());
        }
        return remote;
    }

    @Bean
    ImageDelivery imageDelivery(S3Client s3, CaravanProperties properties, ImageLimits limits, MeterRegistry meters,
            RemoteOriginals remote) {
        CaravanProperties.Images images = properties.images();
        if (images.autoAvif() && !ImageFormat.AVIF.canWrite()) {
            org.slf4j.LoggerFactory.getLogger(ImageDelivery.class).warn("caravan.images.auto-avif is on but this"
                    + " server cannot write AVIF (heif-enc, Debian package libheif-examples, is not installed):"
                    + " no rendition is made AVIF");
        }
        return new ImageDelivery(s3, properties.storage().bucket(), limits, images.cacheMaxAge(),
                new HotCache(images.sourceTtl(), images.memoryCache().toBytes(), 512 * 1024), meters, images.autoWebp(),
                images.autoAvif())
                .withFallback(images.fallbackKey() == null || images.fallbackKey().isBlank() ? null
                        : new ImageDelivery.Fallback(images.fallbackKey().strip(), images.fallbackStatus(),
                                images.fallbackTtl()))
                .withRemote(remote);
    }

    @Bean
    ImageRequests imageRequests(ImageDelivery delivery, ImageOptionsParser parser, UrlSigner signer,
            ImageLimits limits, CaravanProperties properties) {
        return new ImageRequests(delivery, parser, signer, limits, properties.images().presetsOnly());
    }

    /** Signed image URLs of a person's own images, for the API (the console's options builder). */
    @Bean
    ImageUrls imageUrls(AssetService assets, ImageOptionsParser parser, UrlSigner signer,
            CaravanProperties properties) {
        return new ImageUrls(assets, parser, signer, properties.images().presetsOnly());
    }

    /**
     * Hits already in memory are answered ahead of Spring MVC and the image routes ({@link ImageHitFilter}), while
     * those routes are started; everything else reaches the routes.
     */
    @Bean
    FilterRegistrationBean<ImageHitFilter> imageHitFilter(ImageRequests requests, ImageDelivery delivery,
            CamelContext camel) {
        ImageHitFilter filter = new ImageHitFilter(requests, delivery,
                routeId -> camel.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started);
        FilterRegistrationBean<ImageHitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/img/*", "/thumbor/*", "/imgproxy/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    ImageHeaderFilter imageHeaderFilter() {
        return new ImageHeaderFilter();
    }

    @Bean
    ImageSteps imageSteps(ImageOptionsParser parser, ImageLimits limits) {
        return new ImageSteps(parser, limits);
    }

    /** Replacing or deleting an original removes its on-demand renditions too, and what is remembered of it. */
    @Bean
    AssetService.DerivativeLocator imageRenditions(ImageDelivery delivery) {
        return new AssetService.DerivativeLocator() {
            @Override
            public List<String> prefixesFor(Asset asset) {
                return asset.originalKey() == null ? List.of() : List.of(RenditionKeys.prefixFor(asset.originalKey()));
            }

            @Override
            public void originalChanged(Asset asset) {
                if (asset.originalKey() != null) {
                    delivery.forget(asset.originalKey());
                }
            }
        };
    }
}
