package routes.embedded;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

/** SQS: ElasticMQ with its SQL (H2 file) message storage, so queues and queued messages survive a restart. */
final class EmbeddedSqs implements EmbeddedService {

    private final Config config;
    private final URI endpoint;
    private Function0<?> shutdown;

    EmbeddedSqs(String host, int port, Path dir, String region, String accountId) throws Exception {
        Files.createDirectories(dir);
        this.endpoint = URI.create("http://" + host + ":" + port);
        String h2 = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq").toString().replace('\\', '/');
        this.config = ConfigFactory.parseMap(Map.ofEntries(
                Map.entry("node-address.protocol", "http"),
                Map.entry("node-address.host", host),
                Map.entry("node-address.port", port),
                Map.entry("node-address.context-path", ""),
                Map.entry("rest-sqs.enabled", true),
                Map.entry("rest-sqs.bind-port", port),
                Map.entry("rest-sqs.bind-hostname", host),
                Map.entry("rest-sqs.sqs-limits", "strict"),
                Map.entry("generate-node-address", false),
                Map.entry("aws.region", region),
                Map.entry("aws.accountId", accountId),
                Map.entry("messages-storage.enabled", true),
                Map.entry("messages-storage.driver-class", "org.h2.Driver"),
                Map.entry("messages-storage.uri", h2),
                Map.entry("messages-storage.username", ""),
                Map.entry("messages-storage.password", ""),
                Map.entry("messages-storage.prune-data-on-init", false)))
                .withFallback(ConfigFactory.load(EmbeddedSqs.class.getClassLoader()));
    }

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    public void start() {
        shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void stop() {
        if (shutdown != null) {
            shutdown.apply();
        }
    }
}
