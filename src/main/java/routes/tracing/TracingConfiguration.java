package routes.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OpenTelemetry for Camel's tracer (camel-opentelemetry2): a span per route and endpoint, and the W3C trace
 * context carried in the {@code traceparent} header, which the SNS and SQS hops carry as a message attribute, so
 * one job's trace runs from the API through the topic to each worker. Spans go to an OTLP collector when
 * {@code caravan.tracing.otlp-endpoint} is set (for example http://otel-collector:4318), nowhere otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry(ObjectProvider<SpanExporter> exporters,
            @Value("${caravan.tracing.otlp-endpoint:}") String otlpEndpoint,
            @Value("${spring.application.name:caravan}") String service) {
        SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))));
        exporters.orderedStream().forEach(exporter -> tracing.addSpanProcessor(SimpleSpanProcessor.create(exporter)));
        if (!otlpEndpoint.isBlank()) {
            tracing.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                    .setEndpoint(otlpEndpoint.replaceAll("/+$", "") + "/v1/traces").build()).build());
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracing.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @Bean
    Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("caravan");
    }

    @Bean
    ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }
}
