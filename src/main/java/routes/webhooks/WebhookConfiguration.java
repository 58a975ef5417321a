package routes.webhooks;

import java.io.IOException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import routes.config.LocalSecrets;

/** The webhook that tells a job's caller it ended, and which callback URLs may be called. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    CallbackPolicy callbackPolicy(CaravanProperties properties) {
        return new CallbackPolicy(properties.webhooks().allowPrivateAddresses());
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(CaravanProperties properties, CallbackPolicy callbacks, Clock clock)
            throws IOException {
        return new WebhookSender(new WebhookSigner(secret(properties)), callbacks, properties.webhooks().timeout(),
                clock);
    }

    /** The configured secret, or one made once and kept beside the data (never in a committed file). */
    static String secret(CaravanProperties properties) throws IOException {
        String configured = properties.webhooks().secret();
        return configured != null ? configured : LocalSecrets.getOrCreate(properties.dataDir(), "webhook-secret");
    }
}
