package routes.console;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.env.Environment;
import routes.config.CaravanProperties;

/**
 * What the web console needs to sign a person in before it can call the API: the OIDC issuer (the one whose tokens
 * the API takes), the console's client id there (a public client, authorization code with PKCE, whose redirect URI is
 * {@code {origin}/console/callback}) and the scopes it asks for. Settings {@code caravan.console.client-id} and
 * {@code caravan.console.scopes} (space-separated: Cognito or Keycloak name scopes their own way). The claim of a
 * token's roles and the admin role are the API's ({@code caravan.security.roles-claim}, {@code admin-role}), so the
 * console shows the operators' pages to those the API lets in.
 */
public class ConsoleSettings {

    /** The console's sign-in settings, as {@code GET /api/v1/console} answers them. */
    public record Config(String issuer, String clientId, List<String> scopes, String callbackPath, String rolesClaim,
            String adminRole) {
    }

    private final Config config;

    public ConsoleSettings(CaravanProperties properties, Environment environment) {
        URI issuerUri = properties.security().issuerUri();
        String issuer = issuerUri != null ? issuerUri.toString() : environment.getProperty("caravan.identity.issuer");
        String clientId = environment.getProperty("caravan.console.client-id", "caravan-console");
        List<String> scopes = Arrays.stream(environment.getProperty("caravan.console.scopes", "openid profile read write")
                .trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        this.config = new Config(issuer == null || issuer.isBlank() ? null : issuer, clientId, scopes,
                ConsolePages.CALLBACK, properties.security().rolesClaim(), properties.security().adminRole());
    }

    /** The settings; {@code issuer} is null when no issuer is set (then nobody can sign in to the console). */
    public Config describe() {
        return config;
    }
}
