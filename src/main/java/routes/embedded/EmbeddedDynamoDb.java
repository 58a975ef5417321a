package routes.embedded;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** DynamoDB: DynamoDB Local on a file-backed shared database, telemetry off. */
final class EmbeddedDynamoDb implements EmbeddedService {

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    EmbeddedDynamoDb(String host, int port, Path dir) throws Exception {
        Files.createDirectories(dir);
        this.endpoint = URI.create("http://" + host + ":" + port);
        this.server = ServerRunner.createServerFromCommandLineArgs(new String[] {
            "-port", Integer.toString(port),
            "-dbPath", dir.toAbsolutePath().toString(),
            "-sharedDb",
            "-disableTelemetry"
        });
        bindTo(host);
    }

    /** DynamoDB Local listens on every interface; the embedded stack keeps to the configured (loopback) host. */
    private void bindTo(String host) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(server);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setHost(host);
            }
        }
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public void start() throws Exception {
        server.start();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }
}
