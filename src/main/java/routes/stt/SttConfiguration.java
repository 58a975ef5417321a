package routes.stt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.config.StartupCheckException;
import software.amazon.awssdk.services.s3.S3Client;

/** Speech-to-text: the beans the stt-request route and the stt step call, and the transcript endpoint's. */
@Configuration(proxyBeanMethods = false)
public class SttConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SttConfiguration.class);

    @Bean
    SpeechRequests speechRequests(CaravanProperties properties) {
        CaravanProperties.Stt stt = properties.stt();
        return new SpeechRequests(stt.model(), stt.language(), stt.apiKey(), stt.responseFormat());
    }

    @Bean
    SpeechPieces speechPieces(CaravanProperties properties) {
        return new SpeechPieces(properties.stt().pieceLength());
    }

    /** Of a call's headers, only {@code Authorization} goes to the speech-to-text server. */
    @Bean
    HeaderFilterStrategy sttHeaders() {
        DefaultHeaderFilterStrategy strategy = new DefaultHeaderFilterStrategy();
        strategy.setLowerCase(true);
        strategy.setFilterOnMatch(false);
        strategy.setOutFilter(Set.of("authorization"));
        return strategy;
    }

    @Bean
    SpeechAnswers speechAnswers(CaravanProperties properties) {
        return new SpeechAnswers(properties.stt().language());
    }

    @Bean
    SpeechSteps speechSteps() {
        return new SpeechSteps();
    }

    @Bean
    Transcripts transcripts(S3Client s3, CaravanProperties properties, AssetService assets, ObjectMapper json) {
        return new Transcripts(s3, properties.storage().bucket(), assets, json);
    }

    /**
     * {@code caravan.stt.endpoint} is a base URL (the route adds {@code /v1/audio/transcriptions}); unset, with no
     * embedded stack to serve one, transcriptions fail, which is said once at start (after the embedded stack, if
     * any, has set it).
     */
    @Bean
    SmartInitializingSingleton sttEndpointCheck(Environment environment) {
        return () -> {
            String endpoint = environment.getProperty("caravan.stt.endpoint");
            if (endpoint == null || endpoint.isBlank()) {
                LOG.warn("caravan.stt.endpoint is not set and no embedded speech-to-text server runs: transcript"
                        + " steps will fail until it is set");
            } else if (endpoint.replaceAll("/+$", "").matches(".*/v1(/audio/transcriptions)?")) {
                throw new StartupCheckException("caravan.stt.endpoint", "is " + endpoint + "; give the server's"
                        + " base URL without /v1 (e.g. https://api.openai.com): the route adds"
                        + " /v1/audio/transcriptions", null);
            }
        };
    }
}
