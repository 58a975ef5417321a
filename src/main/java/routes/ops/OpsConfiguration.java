package routes.ops;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import routes.config.CaravanProperties;
import routes.config.CaravanProperties.QueueSpec;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The operator's side: dead-letter queues, queue metrics and the time messages wait on their queues. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class OpsConfiguration {

    @Bean
    DeadLetters deadLetters(SqsClient sqs, CaravanProperties properties) {
        return new DeadLetters(sqs, properties);
    }

    @Bean
    QueueWaitTimes queueWaitTimes(MeterRegistry registry, Clock clock, CaravanProperties properties) {
        return new QueueWaitTimes(registry, clock,
                properties.queues().stream().map(QueueSpec::name).toList());
    }

    @Bean
    QueueMetrics queueMetrics(SqsClient sqs, CaravanProperties properties, MeterRegistry registry) {
        return new QueueMetrics(sqs, properties, registry);
    }
}
