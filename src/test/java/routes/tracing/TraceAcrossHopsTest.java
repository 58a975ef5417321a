package routes.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.awt.Color;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/** One upload's trace runs from the API call through the topic and its queue to the worker route. */
class TraceAcrossHopsTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    InMemorySpanExporter spans;

    @Test
    void anUploadsTraceSpansApiTopicAndWorker() throws Exception {
        NotifyBuilder probed = new NotifyBuilder(camel).fromRoute("image-probe").whenCompleted(1).create();
        String assetId = Http.json(new Http(port, token()).post("/api/v1/assets?filename=t.jpg", "image/jpeg",
                TestImages.jpeg(64, 48, Color.CYAN))).get("id").asText();
        assertThat(probed.matches(3, TimeUnit.MINUTES)).isTrue();

        List<SpanData> finished = spans.getFinishedSpanItems();
        String all = finished.stream().map(s -> s.getName() + " " + s.getTraceId() + " " + s.getAttributes())
                .collect(Collectors.joining("\n"));
        SpanData api = finished.stream().filter(s -> s.getAttributes().toString().contains("/api/v1/assets"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no API span in\n" + all));
        List<SpanData> trace = finished.stream().filter(s -> s.getTraceId().equals(api.getTraceId())).toList();
        String names = trace.stream().map(s -> s.getName() + " " + s.getAttributes()).collect(Collectors.joining("\n"));
        assertThat(names).as(names).contains("aws2-sns").contains("caravan-image-probe");
    }
}
