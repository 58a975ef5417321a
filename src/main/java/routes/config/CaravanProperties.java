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
        @Valid @NotNull @DefaultValue Ops ops,
        @Valid @NotNull @DefaultValue Images images,
        @Valid @NotNull @DefaultValue Media media,
        @Valid @NotNull @DefaultValue Stt stt) {

    /** Speech-to-text over the OpenAI-compatible HTTP API (OpenAI, whisper.cpp server, speaches, LocalAI...). */
    public record Stt(
            /* The server; unset, the embedded pocketsphinx server (embedded stack only). */
            URI endpoint,
            @NotBlank @DefaultValue("whisper-1") String model,
            /* From the environment (CARAVAN_STT_API_KEY) when the server needs one. */
            String apiKey,
            @NotBlank @DefaultValue("en") String language,
            @Min(1) @Max(10) @DefaultValue("4") int maxAttempts,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            /* Longest one transcription request may take. */
            @NotNull @DefaultValue("15m") Duration requestTimeout) {
    }

    /** Video and audio work. */
    public record Media(
            /* The ladder; empty: 1080p, 720p, 480p H.264 + AAC. Rungs taller than the source are skipped. */
            List<routes.media.Rendition> ladder,
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
            @NotNull @DefaultValue("64MB") DataSize memoryCache) {
    }

    /** The operator endpoints (/api/v1/ops). */
    public record Ops(
            /* Bearer token they require; from the environment (CARAVAN_OPS_TOKEN). Unset, they are open. */
            @Size(min = 16, message = "must be at least 16 characters") String token) {
    }

    /** Webhooks that tell a job's caller it ended, signed with HMAC-SHA256. */
    public record Webhooks(
            /*
             * The signing secret (at least 16 characters), from the environment: CARAVAN_WEBHOOKS_SECRET. Unset, one
             * is made once and kept in {data-dir}/secrets/webhook-secret.
             */
            @Size(min = 16, message = "must be at least 16 characters") String secret,
            @NotNull @DefaultValue("10s") Duration timeout,
            /* Let callbacks reach loopback and private addresses (off: public addresses only). */
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
            /* The embedded speech-to-text server (pocketsphinx behind the OpenAI-compatible API). */
            @Min(0) @Max(65535) @DefaultValue("9920") int sttPort,
            @Min(1) @DefaultValue("2") int sttConcurrency) {
    }

    /** The SNS topic that carries events and the SQS queues fed from it. */
    public record Messaging(
            @NotBlank(message = "must name the SNS topic that carries events") String topic,
            /* Receives before a message moves to its queue's dead-letter queue. */
            @Min(1) @Max(1000) @DefaultValue("5") int maxReceiveCount,
            @NotBlank @DefaultValue("-dlq") String dlqSuffix,
            @NotNull @DefaultValue("5m") Duration visibilityTimeout,
            @NotEmpty @Valid List<QueueSpec> queues) {

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
            @NotBlank(message = "must name the DynamoDB table for assets") String assets) {
    }

    /** Limits on inputs. */
    public record Limits(
            @NotNull @DefaultValue("6MB") DataSize directUpload,
            @NotNull @DefaultValue("5GB") DataSize upload,
            @NotNull @DefaultValue("15m") Duration presignExpiry,
            /* How long a job stays readable after its last change (DynamoDB TTL). */
            @NotNull @DefaultValue("30d") Duration jobRetention) {
    }
}
