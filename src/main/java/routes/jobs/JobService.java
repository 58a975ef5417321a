package routes.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.AssetStatus;
import routes.problems.Refusal;
import routes.webhooks.CallbackPolicy;

/** The job resource: create (idempotent), read, list with a cursor, cancel. */
public class JobService {

    public static final int MAX_OPERATIONS = 100;
    public static final int MAX_PAGE = 100;

    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    /** JSON with object keys in order: the same request always gives the same bytes. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final JobStore jobs;
    private final AssetService assets;
    private final CallbackPolicy callbacks;

    public JobService(JobStore jobs, AssetService assets, CallbackPolicy callbacks) {
        this.jobs = jobs;
        this.assets = assets;
        this.callbacks = callbacks;
    }

    /** The body of {@code POST /jobs}. */
    public record JobRequest(String assetId, List<Map<String, Object>> operations, String callbackUrl) {
    }

    /** What {@code POST /jobs} made: {@code fresh} is false when an earlier request with the same key made it. */
    public record Created(Job job, boolean fresh) {
    }

    /** {@code POST /jobs}: a job of the caller's on one of its assets (another's is as unknown as a missing one). */
    public Created create(JobRequest request, String idempotencyKey, Caller caller) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {assetId, operations[], callbackUrl?} is required");
        }
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw Refusal.invalid("bad-idempotency-key",
                    "Idempotency-Key must be 1-128 letters, digits or . _ : -");
        }
        if (request.assetId() == null || request.assetId().isBlank()) {
            throw Refusal.invalid("missing-asset", "assetId is required");
        }
        Asset asset = assets.lookUp(request.assetId()).filter(a -> caller.mayUse(a.owner()))
                .orElseThrow(() -> new Refusal(Refusal.Kind.UNPROCESSABLE, "unknown-asset", "Unknown asset",
                        "asset " + request.assetId() + " does not exist"));
        if (asset.status() != AssetStatus.READY) {
            throw Refusal.conflict("asset-not-ready", "asset " + asset.id() + " has not been uploaded yet");
        }
        List<Map<String, Object>> operations = request.operations();
        if (operations == null || operations.isEmpty()) {
            throw Refusal.invalid("missing-operations", "operations must list at least one operation");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw Refusal.invalid("too-many-operations",
                    operations.size() + " operations; a job takes at most " + MAX_OPERATIONS);
        }
        List<JobStep> steps = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) == null) {
                throw Refusal.invalid("bad-operation", "operations[" + i + "] is null");
            }
            steps.add(JobStep.queued(Job.operationStep(i)));
        }
        String callback = validCallback(request.callbackUrl());
        Job job = Job.queued(UUID.randomUUID().toString(), asset.id(), caller.subject(), asset.mediaKind(), steps,
                operations, callback);
        Job stored = jobs.create(job, idempotencyKey, fingerprint(asset.id(), operations, callback));
        boolean fresh = stored.id().equals(job.id());
        if (fresh) {
            LOG.info("job {}: created for asset {} with {} operations", stored.id(), asset.id(), operations.size());
        }
        return new Created(stored, fresh);
    }

    /** What makes two job requests the same request: the asset, the operations (in order) and the callback. */
    public static String fingerprint(String assetId, List<Map<String, Object>> operations, String callback) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(new Object[] {assetId, operations, callback});
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a job request could not be fingerprinted", e);
        }
    }

    /**
     * The job, when the caller may see it: another's answers as a missing one does (404). Its steps' outputs carry
     * presigned GET URLs (a rough cut, a batch's files), so a client fetches them as it fetches an asset's renditions.
     */
    public Job get(String id, Caller caller) {
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw Refusal.notFound("job", String.valueOf(id));
        }
        Job job = jobs.find(id).filter(j -> caller.mayUse(j.owner()))
                .orElseThrow(() -> Refusal.notFound("job", id));
        return job.withOutputs(r -> r.withUrl(assets.presignGet(r.key())));
    }

    /**
     * {@code GET /jobs}: a page of the caller's jobs (everyone's for an admin), newest first, optionally only one
     * asset's (which the caller must be able to see) or those of a status.
     */
    public JobStore.Page list(String status, String assetId, Integer limit, String cursor, Caller caller) {
        JobStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
                if (wanted == JobStatus.SKIPPED) {
                    throw new IllegalArgumentException("a step state, not a job's");
                }
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("bad-filter", "status must be one of QUEUED, RUNNING, SUCCEEDED, FAILED,"
                        + " CANCELLED, not " + status);
            }
        }
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (assetId != null && !assetId.isBlank()) {
            assets.find(assetId, caller);
            return jobs.list(wanted, assetId, null, size, cursor);
        }
        return jobs.list(wanted, null, caller.listingOwner(), size, cursor);
    }

    /** {@code DELETE /jobs/{id}}: a job not yet finished ends CANCELLED; a finished one is left as it is (409). */
    public Job cancel(String id, Caller caller) {
        get(id, caller);
        AtomicBoolean cancelledNow = new AtomicBoolean();
        Job after = jobs.update(id, job -> {
            cancelledNow.set(!job.status().terminal());
            return cancelledNow.get() ? job.cancelled() : job;
        });
        if (!cancelledNow.get()) {
            throw Refusal.conflict("job-finished", "job " + id + " already ended " + after.status());
        }
        LOG.info("job {}: cancelled", id);
        return after;
    }

    private String validCallback(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        if (url.length() > 2048) {
            throw Refusal.invalid("bad-callback-url", "callbackUrl is longer than 2048 characters");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("bad-callback-url", "callbackUrl is not a URL");
        }
        String refusal = callbacks.refusal(uri);
        if (refusal != null) {
            throw Refusal.invalid("bad-callback-url", refusal);
        }
        return uri.toString();
    }
}
