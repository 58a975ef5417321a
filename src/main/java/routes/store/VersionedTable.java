package routes.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Documents (JSON in a {@code doc} attribute) in a DynamoDB table keyed by {@code id}. Every write is conditional on
 * the version it read, so two writers never lose each other's change; {@code retention}, when set, fills the TTL.
 * Beside the document, each item carries the string attributes its store indexes or filters on.
 */
public class VersionedTable<T extends Versioned<T>> {

    /** The attribute DynamoDB's TTL reads on tables whose items expire. */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private static final int MAX_CONFLICT_RETRIES = 20;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Class<T> type;
    private final Duration retention;
    private final ObjectMapper json;
    private final Clock clock;
    private final Function<T, Map<String, String>> attributes;

    /**
     * @param attributes the top-level string attributes of a document's item (for indexes and filters), beside
     *     {@code id}, {@code version} and the document itself
     */
    public VersionedTable(DynamoDbClient dynamoDb, String table, Class<T> type, Duration retention, ObjectMapper json,
            Clock clock, Function<T, Map<String, String>> attributes) {
        this.attributes = attributes;
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.type = type;
        this.retention = retention;
        this.json = json;
        this.clock = clock;
    }

    public String table() {
        return table;
    }

    public DynamoDbClient client() {
        return dynamoDb;
    }

    public Clock clock() {
        return clock;
    }

    /** Stores a new document at version 1; fails if the id is taken. */
    public T insert(T document) {
        T stored = document.stamped(clock.instant(), 1);
        dynamoDb.putItem(r -> r.tableName(table).item(item(stored)).conditionExpression("attribute_not_exists(id)"));
        return stored;
    }

    public Optional<T> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true))
                .item();
        if (item == null || !item.containsKey("doc")) {
            return Optional.empty();
        }
        return Optional.of(read(item));
    }

    /**
     * Applies {@code change} to the stored document and writes it back if nobody wrote in between; otherwise reads
     * again and re-applies. The change must be a pure function of what it is given; returning the argument itself
     * writes nothing.
     */
    public T update(String id, UnaryOperator<T> change) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            T current = find(id).orElseThrow(() -> new IllegalArgumentException("no item " + id + " in " + table));
            T next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            T stamped = next.stamped(clock.instant(), current.version() + 1);
            try {
                dynamoDb.putItem(r -> r.tableName(table).item(item(stamped))
                        .conditionExpression("version = :seen")
                        .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(Long.toString(current.version())))));
                return stamped;
            } catch (ConditionalCheckFailedException lostRace) {
                // another writer got there first: apply the change to its version
            }
        }
        throw new IllegalStateException(id + " in " + table + " kept changing under " + MAX_CONFLICT_RETRIES + " writes");
    }

    /** Every document of the table, read a page at a time as the stream is consumed: for small tables only. */
    public Stream<T> scan() {
        return dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().stream()
                .filter(item -> item.containsKey("doc")).map(this::read);
    }

    public void delete(String id) {
        dynamoDb.deleteItem(r -> r.tableName(table).key(key(id)));
    }

    public T read(Map<String, AttributeValue> item) {
        try {
            return json.readValue(item.get("doc").s(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("item " + item.get("id") + " of " + table + " is not readable", e);
        }
    }

    /** The TTL attribute's value for an item written now, or null when items do not expire. */
    public AttributeValue expiry() {
        return retention == null ? null
                : AttributeValue.fromN(Long.toString(clock.instant().plus(retention).getEpochSecond()));
    }

    private Map<String, AttributeValue> item(T document) {
        Map<String, AttributeValue> item = new HashMap<>();
        attributes.apply(document).forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
        item.put("id", AttributeValue.fromS(document.id()));
        item.put("version", AttributeValue.fromN(Long.toString(document.version())));
        AttributeValue expiry = expiry();
        if (expiry != null) {
            item.put(TTL_ATTRIBUTE, expiry);
        }
        try {
            item.put("doc", AttributeValue.fromS(json.writeValueAsString(document)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(document.id() + " cannot be written as JSON", e);
        }
        return item;
    }

    /**
     * One page of documents from index {@code index} whose {@code partitionKey} is {@code partitionValue}, newest
     * first (the index's sort key is {@code createdAt}), optionally only those whose string attribute
     * {@code filterName} is {@code filterValue}; {@code cursor} is a previous page's {@code nextCursor}, from the same
     * query.
     *
     * @throws IllegalArgumentException when the cursor is not one such a page handed out
     */
    public Page<T> page(String index, String partitionKey, String partitionValue, String filterName,
            String filterValue, int limit, String cursor) {
        List<T> found = new ArrayList<>();
        Map<String, AttributeValue> start = Cursors.decode(cursor, partitionKey, partitionValue);
        Map<String, String> names = new HashMap<>(Map.of("#p", partitionKey));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", AttributeValue.fromS(partitionValue)));
        if (filterName != null) {
            names.put("#f", filterName);
            values.put(":f", AttributeValue.fromS(filterValue));
        }
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("#p = :p")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(limit - found.size());
            if (filterName != null) {
                request.filterExpression("#f = :f");
            }
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(request.build());
            response.items().forEach(item -> found.add(read(item)));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (found.size() < limit && start != null);
        return new Page<>(found, start == null ? null : Cursors.encode(start));
    }

    public static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }
}
