package routes.embedded.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The settings of the embedded OpenID Connect provider ({@code caravan.identity}), which runs with the embedded stack
 * only. application.yaml documents each.
 */
@Validated
@ConfigurationProperties("caravan.identity")
public record IdentityProperties(
        /* false leaves the provider out even on the embedded stack (sign-in then needs an issuer of one's own) */
        @DefaultValue("true") boolean enabled,
        /* The issuer tokens, discovery and JWKS name; unset: http://localhost:{server.port}. Never from a request. */
        URI issuer,
        /* Where the web console's sign-in comes back; unset: http://localhost:{server.port}/console/callback. */
        URI consoleRedirectUri,
        @NotNull @DefaultValue("15m") Duration accessTokenTtl,
        /* how long the command-line client's refresh token lasts (each use hands out a new one) */
        @NotNull @DefaultValue("8h") Duration refreshTokenTtl,
        @Valid @NotNull @DefaultValue SignInLimitSettings signInLimits) {

    /** Failed sign-ins allowed per account and per client address within {@code window}, before refusal. */
    public record SignInLimitSettings(
            @Min(1) @DefaultValue("5") int accountFailures,
            @Min(1) @DefaultValue("20") int addressFailures,
            @NotNull @DefaultValue("15m") Duration window) {
    }

    /** The issuer: the setting, or {@code http://localhost:PORT}. */
    public URI issuer(int serverPort) {
        return issuer != null ? issuer : URI.create("http://localhost:" + serverPort);
    }

    /** The console's redirect URI: the setting, or {@code http://localhost:PORT/console/callback}. */
    public URI consoleRedirectUri(int serverPort) {
        return consoleRedirectUri != null ? consoleRedirectUri
                : URI.create("http://localhost:" + serverPort + "/console/callback");
    }
}
