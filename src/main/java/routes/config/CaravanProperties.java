package routes.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every Caravan setting, under the {@code caravan} prefix. Defaults live here; application.yaml documents them.
 */
@Validated
@ConfigurationProperties("caravan")
public record CaravanProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @Valid @NotNull @DefaultValue Aws aws,
        @Valid @NotNull @DefaultValue Embedded embedded,
        @Valid @NotNull @DefaultValue Storage storage,
        @Valid @NotNull @DefaultValue Messaging messaging,
        @Valid @NotNull @DefaultValue Tables tables,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Webhooks webhooks,
        @Valid @NotNull @DefaultValue Images images,
        @Valid @NotNull @DefaultValue Media media,
        @Valid @NotNull @DefaultValue Stt stt,
        @Valid @NotNull @DefaultValue Pipeline pipeline,
        @Valid @NotNull @DefaultValue Security security,
        @Valid @NotNull @DefaultValue Library library) {

    /**
     * The media library: its embedded search index and the usage data lake. Times in milliseconds where a route's
     * options read them.
     */
    public record Library(
            /* The search engine of the library index: lucene (embedded, one API process owns it) or opensearch. */
            @NotNull @Pattern(regexp = "lucene|opensearch", message = "is lucene or opensearch")
            @DefaultValue("lucene") String engine,
            /* Where the embedded search index (Apache Lucene) lives; unset: {data-dir}/library-index. */
            Path indexDir,
            /* The OpenSearch cluster of the library index, when the engine is opensearch. */
            @Valid @NotNull @DefaultValue OpenSearch opensearch,
            /* Usage events written to one Parquet file at most. */
            @Min(1) @Max(100000) @DefaultValue("5000") int usageBatchSize,
            /* How long usage events wait for their batch to fill before it is written anyway. */
            @Min(100) @Max(600000) @DefaultValue("30000") long usageFlushMs,
            /* Where the usage lake's files go in the bucket (Hive-style dt=YYYY-MM-DD folders below it). */
            @NotBlank @DefaultValue("lake/usage") String usagePrefix) {

        public Path indexDir(Path dataDir) {
            return indexDir != null ? indexDir : dataDir.resolve("library-index");
        }

        /** Whether the library index is on OpenSearch rather than embedded. */
        public boolean onOpenSearch() {
            return "opensearch".equals(engine);
        }

        /**
         * The OpenSearch cluster (2.x, self-hosted or AWS OpenSearch Service) of the library index. Credentials come
         * from the environment: CARAVAN_LIBRARY_OPENSEARCH_USER and _PASSWORD for basic auth, or aws-region to sign
         * requests with the default AWS credentials (IAM); neither for an open cluster.
         */
        public record OpenSearch(
                /* The cluster's URL, http(s)://host[:port][/prefix]. */
                URI endpoint,
                /* The index name, an alias over the index it is built into (name-0, then name-<millis> per reindex). */
                @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_.-]*", message = "is lower-case letters, digits, _ . -")
                @DefaultValue("caravan-library") String index,
                /* Basic auth user (from the environment); with password. */
                String user,
                /* Basic auth password (from the environment). */
                String password,
                /* Sign requests with AWS SigV4 for this region (AWS OpenSearch Service with IAM), instead of a user. */
                String awsRegion) {
        }
    }

    /** The default event that starts a pipeline step. */
    public static final String ASSET_UPLOADED = "asset.uploaded";

    /**
     * Speech-to-text over the OpenAI-compatible HTTP API (OpenAI, whisper.cpp server, speaches, LocalAI...), called by
     * the stt-request route. Times are in milliseconds because the route's endpoint options read them.
     */
    public record Stt(
            /* The server's base URL (https://api.openai.com); unset, the embedded server (embedded stack only). */
            URI endpoint,
            @NotBlank @DefaultValue("whisper-1") String model,
            /* From the environment (CARAVAN_STT_API_KEY) when the server needs one. */
            String apiKey,
            @NotBlank @DefaultValue("en") String language,
            /* verbose_json (word and segment times), or diarized_json for a model that labels speakers. */
            @NotBlank @Pattern(regexp = "verbose_json|diarized_json")
            @DefaultValue("verbose_json") String responseFormat,
            /* The longest audio sent in one call: longer is cut at quiet moments into pieces this long at most. */
            @NotNull @DefaultValue("5m") java.time.Duration pieceLength,
            /* Calls of one transcription made again after the first failed (a call and its retries in all). */
            @Min(0) @Max(10) @DefaultValue("2") int retries,
            @Min(0) @DefaultValue("1000") long retryDelayMs,
            @Min(1) @DefaultValue("5000") long connectTimeoutMs,
            /* Longest one transcription request may take. */
            @Min(1) @DefaultValue("900000") long requestTimeoutMs,
            /* The circuit breaker: calls counted before it may open, calls it looks back on, how long it stays open. */
            @Min(1) @DefaultValue("3") int circuitMinimumCalls,
            @Min(1) @DefaultValue("10") int circuitWindow,
            @Min(1) @DefaultValue("30") int circuitOpenSeconds) {
    }

    /**
     * The job an upload starts: its steps by name, in order. Each step has a queue fed by the topic (with a filter
     * policy made from {@code event} and {@code media}) and a route made from the job-step template in routes.yaml.
     */
    public record Pipeline(Map<String, @Valid PipelineStep> steps) {

        public Pipeline {
            steps = steps == null ? Map.of() : steps;
        }

        /** The steps a job on media of this kind has, in order. */
        public List<String> stepsFor(String mediaKind) {
            return steps.entrySet().stream().filter(e -> e.getValue().media().contains(mediaKind))
                    .map(Map.Entry::getKey).toList();
        }

        /** The queue of each step, subscribed to the topic with a filter policy on its event and media kinds. */
        public List<QueueSpec> queues() {
            return steps.entrySet().stream().map(e -> new QueueSpec(e.getValue().queueOf(e.getKey()), true,
                    e.getValue().filterPolicy(), true)).toList();
        }
    }

    /** One step of the pipeline job ({@code caravan.pipeline.steps.<name>}). */
    public record PipelineStep(
            /* Its queue; unset, caravan-<step>. */
            @Pattern(regexp = "[A-Za-z0-9_-]{1,75}", message = "must be 1-75 letters, digits, '-' or '_'") String queue,
            /* The media kinds whose jobs have this step: image, video, audio. */
            @NotEmpty List<@Pattern(regexp = "image|video|audio", message = "must be image, video or audio") String> media,
            /* The event that starts it: asset.uploaded, or an event another step's route publishes. */
            @NotBlank @DefaultValue(ASSET_UPLOADED) String event,
            /* The step whose event starts it: when that step is skipped, so is this one. */
            String after,
            /* Its share of the job's progress against the other steps. */
            @Min(1) @Max(1000) @DefaultValue("1") int weight) {

        public String queueOf(String step) {
            return queue == null || queue.isBlank() ? "caravan-" + step : queue;
        }

        /** The SNS filter policy of its queue: its event, on media of its kinds. */
        public String filterPolicy() {
            return "{\"eventType\":[\"" + event + "\"],\"mediaKind\":[" + String.join(",",
                    media.stream().map(m -> "\"" + m + "\"").toList()) + "]}";
        }
    }

    /** Queues that are not pipeline steps and the pipeline's, together. */
    public List<QueueSpec> queues() {
        List<QueueSpec> all = new java.util.ArrayList<>(pipeline.queues());
        all.addAll(messaging.queues());
        return all;
    }

    /** A queue, pipeline step or not, by its name. */
    public java.util.Optional<QueueSpec> queue(String name) {
        return queues().stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /**
     * Sign-in: the API takes JWT access tokens of an OIDC issuer (validated by its discovery document and keys) or
     * API keys; images and presigned URLs stay public (their signature is the capability).
     */
    public record Security(
            /* Off, every request is an admin's: for benchmarks and trusted networks only. */
            @DefaultValue("true") boolean enabled,
            /* The issuer tokens come from; unset, the embedded identity provider's (caravan.identity.issuer). */
            URI issuerUri,
            /* The audience a token must name (aud); empty, not checked. */
            @DefaultValue("caravan") String audience,
            /* The claim holding a token's roles, a dotted path into the claims (realm_access.roles, cognito:groups). */
            @NotBlank @DefaultValue("roles") String rolesClaim,
            /* The role that makes an admin: sees everything, may use the operator endpoints. */
            @NotBlank @DefaultValue("admin") String adminRole,
            /* Scopes every token must have to call the API. */
            List<String> requiredScopes,
            /* How far token times may be off the server's clock. */
            @NotNull @DefaultValue("60s") Duration clockSkew,
            /*
             * Origins of web apps on other sites that call the API from a browser (an Uppy page uploading with tus):
             * CORS for /api/v1/**, the tus headers exposed. Empty: none (the console is on the API's own origin).
             */
            List<String> corsOrigins) {

        public Security {
            requiredScopes = requiredScopes == null ? List.of() : List.copyOf(requiredScopes);
            corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        }
    }

    /** One rung of the transcode ladder, as set in {@code caravan.media.ladder}. */
    public record Rung(String name, int height, int videoBitrateKbps, int maxrateKbps, int bufsizeKbps,
            int audioBitrateKbps, Integer crf) {
    }

    /** Video and audio work. */
    public record Media(
            /* The ladder; empty: 1080p, 720p, 480p H.264 + AAC. Rungs taller than the source are skipped. */
            List<Rung> ladder,
            @Min(0) @Max(100) @DefaultValue("5") int thumbnails,
            @NotNull @DefaultValue("4h") Duration maxDuration,
            @Min(16) @DefaultValue("7680") int maxWidth,
            @Min(16) @DefaultValue("4320") int maxHeight,
            @NotNull @DefaultValue("20GB") DataSize maxBytes,
            /* Longest one ffmpeg run may take before it is stopped. */
            @NotNull @DefaultValue("2h") Duration timeout,
            /* Also package the ladder as HLS (segments and a master playlist) under derived/{id}/hls/. */
            @DefaultValue("false") boolean hls) {
    }

    /** On-demand and batch image work. */
    public record Images(
            /*
             * Keys that sign image URLs (HMAC-SHA256), newest first: URLs are signed with the first and accepted with
             * any, so a key can be rotated. From the environment (CARAVAN_IMAGES_SIGNING_KEYS_0...). Unset, one is
             * made once and kept in {data-dir}/secrets/image-url-key.
             */
            List<@Size(min = 16, message = "must be at least 16 characters") String> signingKeys,
            /* Accept "unsafe" (unsigned) URLs. Off by default: anyone could make the server resize anything. */
            @DefaultValue("false") boolean allowUnsafe,
            /* Named presets: name -> options (w:320,h:200,fit:fill). */
            Map<String, String> presets,
            /* Only presets may be asked for (preset:NAME); other options are refused. */
            @DefaultValue("false") boolean presetsOnly,
            @NotNull @DefaultValue("50MB") DataSize maxSourceBytes,
            @Min(1) @DefaultValue("50000000") long maxSourcePixels,
            @Min(1) @Max(16384) @DefaultValue("8192") int maxOutputWidth,
            @Min(1) @Max(16384) @DefaultValue("8192") int maxOutputHeight,
            @Min(1) @DefaultValue("100") int maxFrames,
            /* Cache-Control max-age of served renditions. */
            @NotNull @DefaultValue("1d") Duration cacheMaxAge,
            /*
             * How long the hit path trusts its last look at an original. An original replaced behind the API's back
             * (straight in S3) is noticed after at most this long; through the API, at once. 0: look every time.
             */
            @NotNull @DefaultValue("2s") Duration sourceTtl,
            /* Memory for the most recently served small renditions (each up to 512 KB). 0: none. */
            @NotNull @DefaultValue("64MB") DataSize memoryCache,
            /*
             * Thumbor's SECURITY_KEY (any length), newest first: /thumbor also takes URLs signed as Thumbor signs them
             * (HMAC-SHA1, URL-safe base64 with padding), so libthumbor and its ports work unchanged. From the
             * environment (CARAVAN_IMAGES_THUMBOR_SECURITY_KEYS_0...). Unset: only Caravan's signatures.
             */
            List<@NotBlank String> thumborSecurityKeys,
            /*
             * imgproxy's IMGPROXY_KEYS and IMGPROXY_SALTS (hex, in pairs, newest first): /imgproxy takes URLs signed
             * as imgproxy signs them, HMAC-SHA256 of salt + path. From the environment (CARAVAN_IMAGES_IMGPROXY_KEYS_0,
             * CARAVAN_IMAGES_IMGPROXY_SALTS_0...). Unset: Caravan's signing keys, with no salt.
             */
            List<@Pattern(regexp = "([0-9a-fA-F]{2})+") String> imgproxyKeys,
            List<@Pattern(regexp = "([0-9a-fA-F]{2})*") String> imgproxySalts,
            /*
             * Renditions of JPEG and PNG originals that ask for no format are WebP for clients whose Accept takes
             * image/webp (answers then say Vary: Accept; GIFs, which may be animated, keep their format).
             */
            @DefaultValue("false") boolean autoWebp,
            /*
             * The same for AVIF, ahead of WebP, for clients whose Accept takes image/avif (needs heif-enc, Debian
             * libheif-examples; without it the setting has no effect and a warning says so at start).
             */
            @DefaultValue("false") boolean autoAvif,
            /*
             * An original ({assetId}/{file}) rendered in place of a missing one, as imgproxy's and Serverless Image
             * Handler's fallback image: with fallback-status (default 404, so caches and clients still know) and
             * Cache-Control max-age fallback-ttl. Unset: a missing original is a 404 problem.
             */
            String fallbackKey,
            @Min(200) @Max(599) @DefaultValue("404") int fallbackStatus,
            @NotNull @DefaultValue("60s") Duration fallbackTtl,
            /*
             * Origins images may be fetched from when a URL names them (Thumbor's http://host/img.png or host/img.png
             * keys, imgproxy's plain/ and base64 URL sources), each an http(s) URL with an optional path prefix, e.g.
             * https://images.example.com/photos/. Empty: a URL is refused. Fetched copies are kept in the storage
             * under originals/remote/.
             */
            List<String> remoteOrigins,
            /* One limit for a fetch from an origin: connecting, waiting and the whole body. */
            @NotNull @DefaultValue("10s") Duration remoteTimeout,
            /* How long a fetched copy is served before it is fetched again (kept when the origin then fails). */
            @NotNull @DefaultValue("1d") Duration remoteTtl,
            /*
             * Fetch from origins whose names resolve to private, loopback or other special-purpose addresses (off:
             * public unicast addresses only, as webhooks).
             */
            @DefaultValue("false") boolean remoteAllowPrivateAddresses) {

        public Images {
            if ((imgproxyKeys == null ? 0 : imgproxyKeys.size()) != (imgproxySalts == null ? 0 : imgproxySalts.size())) {
                throw new IllegalArgumentException("caravan.images.imgproxy-keys and imgproxy-salts go in pairs: "
                        + "give as many salts as keys");
            }
        }
    }


    /** Webhooks that tell a job's caller it ended, signed with HMAC-SHA256. */
    public record Webhooks(
            /*
             * The signing secret (at least 16 characters), from the environment: CARAVAN_WEBHOOKS_SECRET. Unset, one
             * is made once and kept in {data-dir}/secrets/webhook-secret.
             */
            @Size(min = 16, message = "must be at least 16 characters") String secret,
            @NotNull @DefaultValue("10s") Duration timeout,
            /* Let callbacks reach loopback, private and other special-purpose addresses (off: public unicast only). */
            @DefaultValue("false") boolean allowPrivateAddresses) {
    }

    /** Bucket and object storage. */
    public record Storage(
            @NotBlank(message = "must name the S3 bucket that holds media") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "must be a valid S3 bucket name") String bucket) {
    }

    /** Where the AWS APIs are served and how the clients talk to them. */
    public record Aws(
            @NotBlank @DefaultValue("us-east-1") String region,
            /* One endpoint for every service (a gateway or an all-in-one emulator); per-service endpoints win. */
            URI endpoint,
            URI s3Endpoint,
            URI sqsEndpoint,
            URI snsEndpoint,
            URI dynamodbEndpoint,
            /* S3 path-style addressing; needed by most S3-compatible servers. */
            @DefaultValue("true") boolean pathStyle,
            /* Create the bucket, topic, queues, subscriptions and tables when they are missing. */
            @DefaultValue("true") boolean provision,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            @NotNull @DefaultValue("30s") Duration callTimeout) {

        public URI endpointFor(String service) {
            URI specific = switch (service) {
                case "s3" -> s3Endpoint;
                case "sqs" -> sqsEndpoint;
                case "sns" -> snsEndpoint;
                case "dynamodb" -> dynamodbEndpoint;
                default -> throw new IllegalArgumentException("unknown service " + service);
            };
            return specific != null ? specific : endpoint;
        }

        /** The setting that holds the endpoint of a service, for messages that name it. */
        public String settingFor(String service) {
            URI specific = switch (service) {
                case "s3" -> s3Endpoint;
                case "sqs" -> sqsEndpoint;
                case "sns" -> snsEndpoint;
                case "dynamodb" -> dynamodbEndpoint;
                default -> null;
            };
            return specific != null ? "caravan.aws." + service + "-endpoint" : "caravan.aws.endpoint";
        }

        public boolean anyEndpointConfigured() {
            return endpoint != null || s3Endpoint != null || sqsEndpoint != null || snsEndpoint != null
                    || dynamodbEndpoint != null;
        }
    }

    /** The embedded AWS-compatible stack: S3Proxy, ElasticMQ, DynamoDB Local and an SNS endpoint, on loopback. */
    public record Embedded(
            /* Starts only when this is true and no AWS endpoint is configured. */
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("127.0.0.1") String host,
            /* 0 picks a free port. */
            @Min(0) @Max(65535) @DefaultValue("4567") int s3Port,
            @Min(0) @Max(65535) @DefaultValue("9324") int sqsPort,
            @Min(0) @Max(65535) @DefaultValue("9911") int snsPort,
            @Min(0) @Max(65535) @DefaultValue("8000") int dynamodbPort,
            /* The embedded speech-to-text server (an engine behind the OpenAI-compatible API). */
            @Min(0) @Max(65535) @DefaultValue("9920") int sttPort,
            @Min(1) @DefaultValue("2") int sttConcurrency,
            /* Its engine: moonshine (Moonshine tiny with Silero VAD, on ONNX Runtime) or pocketsphinx. */
            @NotBlank @Pattern(regexp = "moonshine|pocketsphinx", message = "must be moonshine or pocketsphinx")
            @DefaultValue("moonshine") String sttEngine,
            /* The longest audio the server takes; longer is refused with the reason. */
            @DefaultValue("4h") java.time.Duration sttMaxAudio,
            /* Where the speech models are; unset: CARAVAN_MODELS_DIR, else ~/.cache/caravan/models (bin/caravan's). */
            Path modelsDir) {

        public Path modelsDirOrDefault() {
            if (modelsDir != null && !modelsDir.toString().isEmpty()) {
                return modelsDir;
            }
            String fromEnvironment = System.getenv("CARAVAN_MODELS_DIR");
            return fromEnvironment != null && !fromEnvironment.isBlank() ? Path.of(fromEnvironment)
                    : Path.of(System.getProperty("user.home"), ".cache", "caravan", "models");
        }
    }

    /** The SNS topic that carries events and the SQS queues fed from it. */
    public record Messaging(
            @NotBlank(message = "must name the SNS topic that carries events") String topic,
            /*
             * Receives of a message the routes work on: on the last, a step that still fails ends FAILED and its
             * message is parked on the queue's dead-letter queue.
             */
            @Min(1) @Max(1000) @DefaultValue("5") int maxReceiveCount,
            /*
             * Receives more that the queue's own redrive policy allows: those of workers that stopped while they
             * held the message (killed, out of memory), so a live worker still sees it, ends its step FAILED and
             * parks it. SQS moves a message to the dead-letter queue after maxReceiveCount + spareReceives.
             */
            @Min(1) @Max(1000) @DefaultValue("5") int spareReceives,
            @NotBlank @DefaultValue("-dlq") String dlqSuffix,
            /*
             * How long a received message stays invisible to other consumers; a worker extends it while it works
             * (a heartbeat), so a killed worker's message comes back this long after its last heartbeat. Seconds,
             * because the queues and the routes' consumers both read it.
             */
            @Min(1) @Max(43200) @DefaultValue("60") int visibilityTimeoutSeconds,
            /* How long a consumer's receive waits for a message (SQS long polling). */
            @Min(0) @Max(20) @DefaultValue("20") int waitTimeSeconds,
            /* The queues that are not pipeline steps (those come from caravan.pipeline.steps). */
            @Valid List<QueueSpec> queues) {

        public Messaging {
            queues = queues == null ? List.of() : queues;
        }

        public String dlqName(QueueSpec queue) {
            return queue.name() + dlqSuffix;
        }
    }

    /**
     * One SQS queue. {@code subscribe} puts it on the topic; {@code filterPolicy} (SNS filter policy JSON on message
     * attributes) keeps out what it does not handle.
     */
    public record QueueSpec(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,75}", message = "must be 1-75 letters, digits, '-' or '_'") String name,
            @DefaultValue("true") boolean subscribe,
            String filterPolicy,
            @DefaultValue("true") boolean rawDelivery) {
    }

    /** DynamoDB tables. */
    public record Tables(
            @NotBlank(message = "must name the DynamoDB table for jobs") String jobs,
            @NotBlank(message = "must name the DynamoDB table for assets") String assets,
            @NotBlank @DefaultValue("caravan-api-keys") String apiKeys,
            /* Projects, their members and what they hold (transcripts, labels, annotations, paper edits). */
            @NotBlank @DefaultValue("caravan-projects") String projects,
            /* The media library: tag edits and shares of items, playlists, pitch links. */
            @NotBlank @DefaultValue("caravan-library") String library,
            /* Resumable (tus) uploads in progress: each one's multipart upload, parts and offset. */
            @NotBlank @DefaultValue("caravan-uploads") String uploads) {
    }

    /** Limits on inputs. */
    public record Limits(
            @NotNull @DefaultValue("6MB") DataSize directUpload,
            @NotNull @DefaultValue("5GB") DataSize upload,
            @NotNull @DefaultValue("15m") Duration presignExpiry,
            /* The largest body of any other API request (JSON). */
            @NotNull @DefaultValue("256KB") DataSize jsonBody,
            /* How long a request body may take to arrive, whole. */
            @NotNull @DefaultValue("2m") Duration bodyTimeout,
            /* How long a job stays readable after its last change (DynamoDB TTL). */
            @NotNull @DefaultValue("30d") Duration jobRetention,
            /* How long a resumable (tus) upload may take, from its creation (Upload-Expires). */
            @NotNull @DefaultValue("24h") Duration resumableExpiry) {
    }
}
