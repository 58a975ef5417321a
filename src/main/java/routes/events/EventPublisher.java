package routes.events;

import java.util.HashMap;
import java.util.Map;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** Publishes an event on the topic through the {@code event-publish} route. */
@Component
public class EventPublisher {

    public static final String ASSET_UPLOADED = "asset.uploaded";
    public static final String JOB_CREATED = "job.created";
    public static final String IMAGE_TASK = "image.task";

    private final ProducerTemplate producer;
    private final ContextPropagators propagators;

    public EventPublisher(ProducerTemplate producer, ContextPropagators propagators) {
        this.producer = producer;
        this.propagators = propagators;
    }

    /** {@code attributes} (eventType, assetId, jobId, mediaKind) become SNS message attributes. */
    public void publish(String eventType, Map<String, Object> event, Map<String, String> attributes) {
        Map<String, Object> headers = new HashMap<>(attributes);
        headers.put("eventType", eventType);
        // the event continues the trace of the work that raised it (an API call, a worker's step)
        propagators.getTextMapPropagator().inject(Context.current(), headers, (carrier, key, value) -> carrier.put(key, value));
        Map<String, Object> body = new HashMap<>(event);
        body.put("eventType", eventType);
        producer.sendBodyAndHeaders("direct:event-publish", body, headers);
    }
}
