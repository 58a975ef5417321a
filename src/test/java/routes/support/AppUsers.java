package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import routes.embedded.identity.Users;

/**
 * The people of an app under test: users made in its embedded identity provider (its data folder's users file) and
 * signed in through it as a client signs in (the authorization code flow with PKCE), their tokens kept for reuse.
 */
public final class AppUsers {

    private final Path dataDir;
    private final int port;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public AppUsers(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** An access token of user {@code name} (a user, not an admin), made the first time it is asked for. */
    public String token(String name) {
        return tokens.computeIfAbsent(name, user -> {
            try {
                return SignIn.token(base(), user, Users.add(dataDir, user, false));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** An access token of the admin the provider made at its first start. */
    public String adminToken() {
        return tokens.computeIfAbsent(Users.ADMIN, user -> SignIn.adminToken(base(), dataDir));
    }

    public URI base() {
        return URI.create("http://localhost:" + port);
    }

    /** A free loopback port, for an app whose issuer URL must be known before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
