package routes.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.aws.AwsConnection;
import routes.config.CaravanProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The embedded AWS-compatible stack: real servers for S3, SQS, DynamoDB and SNS on loopback, all data under one
 * folder. Caravan's routes talk to them exactly as they talk to AWS.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** The account id in the ARNs the embedded servers hand out. */
    public static final String ACCOUNT_ID = "000000000000";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final List<EmbeddedService> started = new ArrayList<>();
    private final AwsConnection connection;
    private final URI sttEndpoint;

    private EmbeddedStack(CaravanProperties properties) throws Exception {
        CaravanProperties.Embedded embedded = properties.embedded();
        Path dataDir = properties.dataDir();
        String host = embedded.host();
        String region = properties.aws().region();
        AwsBasicCredentials credentials = credentials(dataDir.resolve("embedded"));
        StaticCredentialsProvider provider = StaticCredentialsProvider.create(credentials);

        start(new EmbeddedS3(host, port(host, embedded.s3Port()), dataDir.resolve("s3"), credentials.accessKeyId(),
                credentials.secretAccessKey()));
        EmbeddedService sqs = start(new EmbeddedSqs(host, port(host, embedded.sqsPort()), dataDir.resolve("sqs"), region,
                ACCOUNT_ID));
        start(new EmbeddedDynamoDb(host, port(host, embedded.dynamodbPort()), dataDir.resolve("dynamodb")));
        start(new EmbeddedSns(host, port(host, embedded.snsPort()), region, ACCOUNT_ID,
                dataDir.resolve("sns").resolve("state.json"), sqs.endpoint(), provider));

        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (EmbeddedService service : started) {
            endpoints.put(service.name(), service.endpoint());
        }
        if (properties.stt().endpoint() == null) {
            this.sttEndpoint = start(new EmbeddedStt(host, port(host, embedded.sttPort()), dataDir.resolve("stt"),
                    embedded.sttConcurrency(), java.time.Duration.ofMillis(properties.stt().requestTimeoutMs()),
                    embedded.sttEngine(), embedded.modelsDirOrDefault(), embedded.sttMaxAudio())).endpoint();
        } else {
            this.sttEndpoint = properties.stt().endpoint();
        }
        this.connection = new AwsConnection(region, Map.copyOf(endpoints), provider, true, true);
        writeProfile(dataDir.resolve("embedded"), credentials, region, endpoints);
    }

    /** Starts every server; a failure stops the ones already started. */
    public static EmbeddedStack start(CaravanProperties properties) {
        try {
            return new EmbeddedStack(properties);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded AWS stack did not start: " + e.getMessage(), e);
        }
    }

    public AwsConnection connection() {
        return connection;
    }

    /** The speech-to-text server: the embedded one, or {@code caravan.stt.endpoint} when that is set. */
    public URI sttEndpoint() {
        return sttEndpoint;
    }

    private EmbeddedService start(EmbeddedService service) throws Exception {
        try {
            service.start();
        } catch (Exception e) {
            close();
            throw new EmbeddedStartException(service, e);
        }
        started.add(service);
        LOG.info("Embedded {} listening on {}", service.name(), service.endpoint());
        return service;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            EmbeddedService service = started.get(i);
            try {
                service.stop();
            } catch (Exception e) {
                LOG.warn("Embedded {} did not stop cleanly: {}", service.name(), e.toString());
            }
        }
        started.clear();
    }

    /** A port of 0 means any free one. */
    private static int port(String host, int configured) throws IOException {
        if (configured != 0) {
            return configured;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** Keys for the embedded S3, made once per data folder and kept beside the data (never committed). */
    private static AwsBasicCredentials credentials(Path dir) throws IOException {
        Path file = dir.resolve("keys.properties");
        Properties keys = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                keys.load(in);
            }
        } else {
            SecureRandom random = new SecureRandom();
            byte[] id = new byte[10];
            byte[] secret = new byte[20];
            random.nextBytes(id);
            random.nextBytes(secret);
            keys.setProperty("accessKeyId", "CARAVAN" + HexFormat.of().withUpperCase().formatHex(id));
            keys.setProperty("secretAccessKey", HexFormat.of().formatHex(secret));
            Files.createDirectories(dir);
            try (var out = Files.newOutputStream(file)) {
                keys.store(out, "keys of the embedded S3 server");
            }
            restrict(file);
        }
        return AwsBasicCredentials.create(keys.getProperty("accessKeyId"), keys.getProperty("secretAccessKey"));
    }

    /** An AWS CLI profile, so a person can look inside: AWS_CONFIG_FILE=data/embedded/aws-config aws s3 ls. */
    private static void writeProfile(Path dir, AwsBasicCredentials credentials, String region,
            Map<String, URI> endpoints) {
        StringBuilder text = new StringBuilder()
                .append("# The embedded AWS stack of this data folder, as an AWS CLI profile.\n")
                .append("[default]\n")
                .append("region = ").append(region).append('\n')
                .append("aws_access_key_id = ").append(credentials.accessKeyId()).append('\n')
                .append("aws_secret_access_key = ").append(credentials.secretAccessKey()).append('\n')
                .append("services = caravan-embedded\n\n")
                .append("[services caravan-embedded]\n");
        endpoints.forEach((service, uri) -> text.append(service).append(" =\n  endpoint_url = ").append(uri).append('\n'));
        try {
            Path file = dir.resolve("aws-config");
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
            restrict(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("could not restrict {}: {}", file, e.toString());
        }
    }

    /** Names the server that did not start. */
    static final class EmbeddedStartException extends IllegalStateException {
        EmbeddedStartException(EmbeddedService service, Exception cause) {
            super("embedded " + service.name() + " did not start on " + service.endpoint() + ": " + cause.getMessage(),
                    cause);
        }
    }
}
