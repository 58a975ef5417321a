package routes.store;

import java.time.Instant;

/** A document kept in a DynamoDB item under optimistic locking. */
public interface Versioned<T extends Versioned<T>> {

    String id();

    long version();

    /** This document as written at {@code now} with {@code version}. */
    T stamped(Instant now, long version);
}
