package routes.store;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A document kept in a DynamoDB item under optimistic locking. */
public interface Versioned<T extends Versioned<T>> {

    String id();

    long version();

    /** This document as written at {@code now} with {@code version}. */
    T stamped(Instant now, long version);

    /** Top-level attributes beside the JSON document, for indexes and filters. */
    default Map<String, AttributeValue> indexAttributes() {
        return Map.of();
    }
}
