package routes.webhooks;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import routes.config.LocalSecrets;
import routes.jobs.JobProgress;
import routes.jobs.JobStore;

/** Job progress and the webhook that tells a job's caller it ended. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
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

    /** A job that ended with a callback URL goes to the job-finished route, which queues its webhook. */
    @Bean
    JobProgress jobProgress(JobStore jobs, ProducerTemplate producer) {
        return new JobProgress(jobs, job -> {
            if (job.callbackUrl() != null) {
                producer.sendBodyAndHeaders("direct:job-finished", job,
                        Map.of("jobId", job.id(), "callbackUrl", job.callbackUrl()));
            }
        });
    }
}
