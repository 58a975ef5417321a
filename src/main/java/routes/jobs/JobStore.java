package routes.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Jobs in DynamoDB. Each write is conditional on the version it read (optimistic locking), so two workers updating
 * one job never lose each other's step; items expire through the table's TTL.
 */
public class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /** The global secondary index that lists jobs newest first. */
    public static final String LISTING_INDEX = "listing-by-created";
    public static final String LISTING_KEY = "listing";
    public static final String LISTING_VALUE = "job";
    /** The global secondary index that lists one asset's jobs newest first. */
    public static final String ASSET_INDEX = "asset-by-created";
    public static final String ASSET_KEY = "assetId";
    /** The global secondary index that lists one owner's jobs newest first. */
    public static final String OWNER_INDEX = "owner-by-created";
    public static final String OWNER_KEY = "owner";

    private final VersionedTable<Job> jobs;

    public JobStore(VersionedTable<Job> jobs) {
        this.jobs = jobs;
    }

    /** The jobs table: items expire, and indexes list jobs newest first: all of them, one asset's, one owner's. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, true, List.of(new TableSchema.Index(LISTING_INDEX, LISTING_KEY, "createdAt"),
                new TableSchema.Index(ASSET_INDEX, ASSET_KEY, "createdAt"),
                new TableSchema.Index(OWNER_INDEX, OWNER_KEY, "createdAt")));
    }

    /** The attributes of a job's item that the indexes and the status filter read. */
    public static Map<String, String> attributes(Job job) {
        Map<String, String> attributes = new HashMap<>(Map.of(LISTING_KEY, LISTING_VALUE,
                "createdAt", job.createdAt().toString(), "status", job.status().name(), ASSET_KEY, job.assetId()));
        if (job.owner() != null) {
            attributes.put(OWNER_KEY, job.owner());
        }
        return attributes;
    }

    /** Stores a new job that no client key names (a pipeline's job). */
    public Job create(Job job) {
        return jobs.insert(job);
    }

    /** How long a key's first request may take before a retry with the key may take its place. */
    static final Duration CLAIM_PATIENCE = Duration.ofMinutes(1);

    /**
     * Stores a new job; an {@code idempotencyKey} its owner already used returns the job it created instead (keys
     * are the owner's own: another owner's same key is another key), as the IETF Idempotency-Key draft says: the key
     * used with another request ({@code fingerprint} differs) is refused with 422, and while its first request is
     * still being processed with 409. A first request that died between its claim and its job (older than
     * {@link #CLAIM_PATIENCE}) leaves the key to the next.
     */
    public Job create(Job job, String idempotencyKey, String fingerprint) {
        if (idempotencyKey != null) {
            String claimed = "idempotency#" + (job.owner() == null ? "" : job.owner() + "#") + idempotencyKey;
            Map<String, AttributeValue> claim = new HashMap<>();
            claim.put("id", AttributeValue.fromS(claimed));
            claim.put("jobId", AttributeValue.fromS(job.id()));
            claim.put("fingerprint", AttributeValue.fromS(fingerprint));
            claim.put("claimedAt", AttributeValue.fromS(jobs.clock().instant().toString()));
            claim.put(VersionedTable.TTL_ATTRIBUTE, jobs.expiry());
            try {
                jobs.client().putItem(r -> r.tableName(jobs.table()).item(claim)
                        .conditionExpression("attribute_not_exists(id)"));
            } catch (ConditionalCheckFailedException used) {
                Map<String, AttributeValue> existing = jobs.client().getItem(r -> r.tableName(jobs.table())
                        .consistentRead(true).key(VersionedTable.key(claimed))).item();
                AttributeValue usedFor = existing.get("fingerprint");
                if (usedFor != null && !usedFor.s().equals(fingerprint)) {
                    throw new Refusal(Refusal.Kind.UNPROCESSABLE, "idempotency-key-reused", null, "Idempotency-Key "
                            + idempotencyKey + " was used with another request; a key names one request");
                }
                String existingJob = existing.get("jobId").s();
                Optional<Job> made = find(existingJob);
                if (made.isPresent()) {
                    return made.get();
                }
                AttributeValue claimedAt = existing.get("claimedAt");
                boolean stale = claimedAt == null || Instant.parse(claimedAt.s()).plus(CLAIM_PATIENCE)
                        .isBefore(jobs.clock().instant());
                if (!stale) {
                    throw Refusal.conflict("idempotency-key-in-use", "a request with Idempotency-Key " + idempotencyKey
                            + " is still being processed; ask again in a moment");
                }
                try {
                    jobs.client().putItem(r -> r.tableName(jobs.table()).item(claim)
                            .conditionExpression("jobId = :gone")
                            .expressionAttributeValues(Map.of(":gone", AttributeValue.fromS(existingJob))));
                } catch (ConditionalCheckFailedException taken) {
                    throw Refusal.conflict("idempotency-key-in-use", "a request with Idempotency-Key "
                            + idempotencyKey + " is being processed; ask again in a moment");
                }
                LOG.info("idempotency key {}: its first request made no job; this one takes the key", idempotencyKey);
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
     * One page of jobs, newest first: one asset's (from its own index), one owner's (from theirs) or everyone's,
     * optionally only those of a status. A query reads only what it lists, however many other jobs there are.
     */
    public Page list(JobStatus status, String assetId, String owner, int limit, String cursor) {
        String filter = status == null ? null : "status";
        String value = status == null ? null : status.name();
        routes.store.Page<Job> page;
        try {
            if (assetId != null) {
                page = jobs.page(ASSET_INDEX, ASSET_KEY, assetId, filter, value, limit, cursor);
            } else if (owner != null) {
                page = jobs.page(OWNER_INDEX, OWNER_KEY, owner, filter, value, limit, cursor);
            } else {
                page = jobs.page(LISTING_INDEX, LISTING_KEY, LISTING_VALUE, filter, value, limit, cursor);
            }
        } catch (IllegalArgumentException badCursor) {
            throw Refusal.invalid("bad-cursor", badCursor.getMessage());
        }
        return new Page(page.items(), page.nextCursor());
    }

    /** A page of a listing; {@code nextCursor} is null on the last page. */
    public record Page(List<Job> items,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true,
                    description = "The cursor of the next page; null on the last page.") String nextCursor) {
    }
}
