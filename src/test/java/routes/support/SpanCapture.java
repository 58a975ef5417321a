package routes.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Every span the app under test finishes, kept in memory for tests to read. */
@TestConfiguration(proxyBeanMethods = false)
public class SpanCapture {

    @Bean
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
