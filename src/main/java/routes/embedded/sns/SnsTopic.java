package routes.embedded.sns;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A topic and the attributes set on it (only those given by clients; defaults are added when read). */
record SnsTopic(String arn, String name, Map<String, String> attributes) {

    SnsTopic {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes == null ? Map.of() : attributes));
    }

    /** FIFO topics are the ones whose name ends in {@code .fifo}. */
    boolean fifo() {
        return name.endsWith(".fifo");
    }

    boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
    }

    SnsTopic withAttribute(String attributeName, String value) {
        Map<String, String> changed = new TreeMap<>(attributes);
        changed.put(attributeName, value);
        return new SnsTopic(arn, name, changed);
    }
}
