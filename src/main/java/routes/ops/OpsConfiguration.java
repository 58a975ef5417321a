package routes.ops;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import routes.config.CaravanProperties;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The operator's side: dead-letter queues and queue metrics. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class OpsConfiguration {

    @Bean
    DeadLetters deadLetters(SqsClient sqs, CaravanProperties properties) {
        return new DeadLetters(sqs, properties);
    }

    @Bean
    QueueMetrics queueMetrics(SqsClient sqs, CaravanProperties properties, MeterRegistry registry) {
        return new QueueMetrics(sqs, properties, registry);
    }
}
