package routes.webhooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import routes.jobs.JobProgress;
import routes.jobs.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job progress and the webhook that tells a job's caller it ended. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfiguration.class);

    @Bean
    WebhookSender webhookSender(CaravanProperties properties, Clock clock) throws IOException {
        return new WebhookSender(new WebhookSigner(secret(properties)), properties.webhooks().timeout(), clock);
    }

    /** The configured secret, or one made once and kept beside the data (never in a committed file). */
    static String secret(CaravanProperties properties) throws IOException {
        if (properties.webhooks().secret() != null) {
            return properties.webhooks().secret();
        }
        Path file = properties.dataDir().resolve("webhook-secret");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, HexFormat.of().formatHex(random));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            LOG.info("webhooks are signed with a secret made for this data folder: {}", file.toAbsolutePath());
        }
        return Files.readString(file).trim();
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
