package routes.embedded.sns;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A confirmed subscription of an SQS queue (the endpoint is the queue ARN) to a topic, with the
 * attributes set on it.
 */
record SnsSubscription(String arn, String topicArn, String protocol, String endpoint, Map<String, String> attributes) {

    SnsSubscription {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes == null ? Map.of() : attributes));
    }

    boolean rawMessageDelivery() {
        return "true".equalsIgnoreCase(attributes.get("RawMessageDelivery"));
    }

    /** The filter policy JSON, or null when every message is delivered. */
    String filterPolicy() {
        return attributes.get("FilterPolicy");
    }

    FilterPolicy.Scope filterPolicyScope() {
        return FilterPolicy.Scope.of(attributes.get("FilterPolicyScope"));
    }

    /** The queue name: the last segment of the queue ARN. */
    String queueName() {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    /** The same subscription with an attribute set, or removed when the value is null. */
    SnsSubscription withAttribute(String attributeName, String value) {
        Map<String, String> changed = new TreeMap<>(attributes);
        if (value == null) {
            changed.remove(attributeName);
        } else {
            changed.put(attributeName, value);
        }
        return new SnsSubscription(arn, topicArn, protocol, endpoint, changed);
    }
}
