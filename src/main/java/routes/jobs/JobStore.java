package routes.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import routes.problems.Refusal;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Jobs in DynamoDB. Each write is conditional on the version it read (optimistic locking), so two workers updating
 * one job never lose each other's step; items expire through the table's TTL.
 */
public class JobStore {

    /** The global secondary index that lists jobs newest first. */
    public static final String LISTING_INDEX = "listing-by-created";
    public static final String LISTING_KEY = "listing";
    public static final String LISTING_VALUE = "job";
    /** The global secondary index that lists one asset's jobs newest first. */
    public static final String ASSET_INDEX = "asset-by-created";
    public static final String ASSET_KEY = "assetId";

    private final VersionedTable<Job> jobs;

    public JobStore(VersionedTable<Job> jobs) {
        this.jobs = jobs;
    }

    /** The jobs table: items expire, and two indexes list jobs newest first, all of them and one asset's. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, true, List.of(new TableSchema.Index(LISTING_INDEX, LISTING_KEY, "createdAt"),
                new TableSchema.Index(ASSET_INDEX, ASSET_KEY, "createdAt")));
    }

    /** The attributes of a job's item that the indexes and the status filter read. */
    public static Map<String, String> attributes(Job job) {
        return Map.of(LISTING_KEY, LISTING_VALUE, "createdAt", job.createdAt().toString(),
                "status", job.status().name(), ASSET_KEY, job.assetId());
    }

    /** Stores a new job; an {@code idempotencyKey} already used returns the job it created instead. */
    public Job create(Job job, String idempotencyKey) {
        if (idempotencyKey != null) {
            Map<String, AttributeValue> claim = new HashMap<>();
            claim.put("id", AttributeValue.fromS("idempotency#" + idempotencyKey));
            claim.put("jobId", AttributeValue.fromS(job.id()));
            claim.put(VersionedTable.TTL_ATTRIBUTE, jobs.expiry());
            try {
                jobs.client().putItem(r -> r.tableName(jobs.table()).item(claim)
                        .conditionExpression("attribute_not_exists(id)"));
            } catch (ConditionalCheckFailedException used) {
                String existing = jobs.client().getItem(r -> r.tableName(jobs.table()).consistentRead(true)
                        .key(VersionedTable.key("idempotency#" + idempotencyKey))).item().get("jobId").s();
                return find(existing).orElseThrow(() -> new IllegalStateException(
                        "idempotency key " + idempotencyKey + " names job " + existing + " which is gone"));
            }
        }
        return jobs.insert(job);
    }

    public Optional<Job> find(String id) {
        return jobs.find(id);
    }

    /** See {@link VersionedTable#update}. */
    public Job update(String id, UnaryOperator<Job> change) {
        return jobs.update(id, change);
    }

    /**
     * One page of jobs, newest first, optionally only those of a status and/or an asset. An asset's jobs come from
     * their own index, so listing them reads only them, however many other jobs there are.
     */
    public Page list(JobStatus status, String assetId, int limit, String cursor) {
        List<Job> found = new ArrayList<>();
        Map<String, AttributeValue> start = decodeCursor(cursor, assetId);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> filters = new ArrayList<>();
        String index;
        String keyCondition;
        if (assetId != null) {
            index = ASSET_INDEX;
            keyCondition = ASSET_KEY + " = :asset";
            values.put(":asset", AttributeValue.fromS(assetId));
        } else {
            index = LISTING_INDEX;
            keyCondition = LISTING_KEY + " = :listing";
            values.put(":listing", AttributeValue.fromS(LISTING_VALUE));
        }
        if (status != null) {
            names.put("#status", "status");
            values.put(":status", AttributeValue.fromS(status.name()));
            filters.add("#status = :status");
        }
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(jobs.table()).indexName(index)
                    .keyConditionExpression(keyCondition)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(limit - found.size());
            if (!names.isEmpty()) {
                request.expressionAttributeNames(names);
            }
            if (!filters.isEmpty()) {
                request.filterExpression(String.join(" AND ", filters));
            }
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse response = jobs.client().query(request.build());
            response.items().forEach(item -> found.add(jobs.read(item)));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (found.size() < limit && start != null);
        return new Page(found, start == null ? null : encodeCursor(start));
    }

    /** A page of a listing; {@code nextCursor} is null on the last page. */
    public record Page(List<Job> items,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true,
                    description = "The cursor of the next page; null on the last page.") String nextCursor) {
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        String text = key.get("id").s() + "\n" + key.get("createdAt").s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor, String assetId) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw Refusal.invalid("bad-cursor", "cursor is not one this API handed out");
        }
        return Map.of("id", AttributeValue.fromS(parts[0]), "createdAt", AttributeValue.fromS(parts[1]),
                assetId != null ? ASSET_KEY : LISTING_KEY, AttributeValue.fromS(assetId != null ? assetId : LISTING_VALUE));
    }
}
