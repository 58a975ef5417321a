package caravan.testserver;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch for tests: {@code main(home)} starts a node on 127.0.0.1 with its data under
 * {@code home}, writes its HTTP port to {@code home/http.port} once it answers, and runs until its standard input
 * closes (the test closed it, or the test's JVM is gone).
 */
public final class OpenSearchTestServer {

    private OpenSearchTestServer() {
    }

    /** A node with the plugins given, as the distribution loads them from its modules folder. */
    private static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int httpPort = freePort();
        Settings settings = Settings.builder()
                .put("cluster.name", "caravan-test")
                .put("node.name", "node-1")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", freePort())
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "node-1");
        Node node = new PluginNode(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class)).start();
        Path tmp = home.resolve("http.port.tmp");
        Files.writeString(tmp, Integer.toString(httpPort), StandardCharsets.US_ASCII);
        Files.move(tmp, home.resolve("http.port"), StandardCopyOption.ATOMIC_MOVE);
        while (System.in.read() >= 0) {
            // the parent closes our standard input to stop us
        }
        node.close();
        node.awaitClose(30, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
