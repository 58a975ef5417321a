package routes.embedded.identity;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import routes.config.CaravanProperties;
import routes.config.EmbeddedStackCondition;
import routes.config.LocalSecrets;

/**
 * The embedded OpenID Connect provider (Spring Authorization Server): the issuer of sign-in on a laptop, in CI and in
 * tests, in the app itself and on its HTTP port. It runs with the embedded stack only, unless
 * {@code caravan.identity.enabled} is false, and production builds leave it out with the rest of
 * {@code routes.embedded}.
 *
 * <p>Its security filter chain comes first ({@code @Order(1)}) and matches its own endpoints only: {@code /oauth2/**},
 * {@code /.well-known/**}, {@code /userinfo}, {@code /connect/**}, {@code /login}, {@code /logout}. Every other
 * request goes on to the app's own chain. People sign in with a form ({@link LoginPage}, {@link Users}, limited by
 * {@link SignInLimits}); the clients are {@code caravan-cli} (public, authorization code with PKCE, refresh tokens:
 * {@link PublicClientRefresh}), {@code caravan-console} (public, authorization code with PKCE) and
 * {@code caravan-service} (client credentials, its secret in {@code {data-dir}/secrets/identity-service-secret}).
 * Access tokens are JWTs signed with the key of {@link SigningKeys}, carrying what {@link AccessTokenClaims} adds.
 * Nobody is asked for consent: the clients are Caravan's own.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStackCondition.class)
@ConditionalOnProperty(prefix = "caravan.identity", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class IdentityProviderConfiguration {

    public static final String CLI_CLIENT = "caravan-cli";
    public static final String CLI_REDIRECT_URI = "http://127.0.0.1/callback";
    public static final String CONSOLE_CLIENT = "caravan-console";
    public static final String SERVICE_CLIENT = "caravan-service";
    /** {@code {data-dir}/secrets/} + this: the service client's secret */
    public static final String SERVICE_SECRET = "identity-service-secret";
    public static final String SCOPE_READ = "read";
    public static final String SCOPE_WRITE = "write";

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderConfiguration.class);
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    /** The signing key, as a bean so that nothing else makes one of its own. */
    @Bean
    JWKSource<SecurityContext> identityProviderKeys(CaravanProperties caravan) throws IOException {
        return new ImmutableJWKSet<>(SigningKeys.loadOrCreate(caravan.dataDir()));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties identity, Environment environment) {
        int port = environment.getProperty("server.port", Integer.class, 8080);
        URI issuer = identity.issuer(port);
        if (issuer.getPort() == 0) {
            LOG.warn("the embedded identity provider's issuer is {}, which no client can reach: set server.port or "
                    + "caravan.identity.issuer", issuer);
        }
        return AuthorizationServerSettings.builder().issuer(issuer.toString()).build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain identityProviderSecurityFilterChain(HttpSecurity http, CaravanProperties caravan,
            IdentityProperties identity, Environment environment, AuthorizationServerSettings settings,
            JWKSource<SecurityContext> keys) throws Exception {
        Path dataDir = caravan.dataDir();
        if (Users.init(dataDir)) {
            LOG.info("the embedded identity provider's admin password is in {}",
                    Users.adminPasswordFile(dataDir).toAbsolutePath());
        }
        Users users = new Users(dataDir);
        int port = environment.getProperty("server.port", Integer.class, 8080);
        RegisteredClientRepository clients = clients(identity, port, LocalSecrets.getOrCreate(dataDir, SERVICE_SECRET));
        String audience = environment.getProperty("caravan.security.audience", "caravan");

        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(PASSWORDS);
        SignInLimits limits = new SignInLimits(passwords, name -> users.roles(name).isPresent(),
                identity.signInLimits());

        http.securityMatcher(endpoints())
                .with(OAuth2AuthorizationServerConfigurer.authorizationServer(), server -> server
                        .registeredClientRepository(clients)
                        .authorizationServerSettings(settings)
                        .tokenGenerator(tokens(keys, new AccessTokenClaims(audience, users)))
                        .clientAuthentication(client -> client
                                .authenticationConverter(new PublicClientRefresh.Converter())
                                .authenticationProvider(new PublicClientRefresh.Provider(clients))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    // client secrets are hashed here, whatever PasswordEncoder bean the app has
                                    if (provider instanceof ClientSecretAuthenticationProvider secrets) {
                                        secrets.setPasswordEncoder(PASSWORDS);
                                    }
                                })))
                        .oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .formLogin(form -> form.loginPage(LoginPage.PATH).permitAll())
                .addFilterBefore(new LoginPage(), UsernamePasswordAuthenticationFilter.class)
                .authenticationProvider(limits)
                // a browser (or curl) sent to the authorization endpoint signs in first; the other endpoints answer
                // 401 to a request without a token
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(LoginPage.PATH),
                        path(settings.getAuthorizationEndpoint())))
                // the user info endpoint takes this provider's access tokens
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(OAuth2AuthorizationServerConfiguration.jwtDecoder(keys))));
        LOG.info("the embedded identity provider issues tokens as {} (users in {})", settings.getIssuer(),
                Users.file(dataDir).toAbsolutePath());
        return http.build();
    }

    /** The requests this chain takes: the provider's endpoints and the sign-in pages. */
    static RequestMatcher endpoints() {
        return new OrRequestMatcher(path("/oauth2/**"), path("/.well-known/**"), path("/userinfo"),
                path("/connect/**"), path(LoginPage.PATH), path("/logout"));
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RegisteredClientRepository clients(IdentityProperties identity, int port, String serviceSecret) {
        ClientSettings firstParty = ClientSettings.builder().requireProofKey(true)
                .requireAuthorizationConsent(false).build();
        TokenSettings userTokens = TokenSettings.builder().accessTokenTimeToLive(identity.accessTokenTtl())
                .refreshTokenTimeToLive(identity.refreshTokenTtl()).reuseRefreshTokens(false).build();
        RegisteredClient cli = RegisteredClient.withId(CLI_CLIENT).clientId(CLI_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(CLI_REDIRECT_URI)
                .scope(OidcScopes.OPENID).scope(SCOPE_READ).scope(SCOPE_WRITE)
                .clientSettings(firstParty).tokenSettings(userTokens).build();
        RegisteredClient console = RegisteredClient.withId(CONSOLE_CLIENT).clientId(CONSOLE_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(identity.consoleRedirectUri(port).toString())
                // signing out of the console ends the provider's session too, then comes back to the console's page
                .postLogoutRedirectUri(identity.consoleRedirectUri(port).resolve("/").toString())
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(SCOPE_READ).scope(SCOPE_WRITE)
                .clientSettings(firstParty).tokenSettings(userTokens).build();
        RegisteredClient service = RegisteredClient.withId(SERVICE_CLIENT).clientId(SERVICE_CLIENT)
                .clientSecret(PASSWORDS.encode(serviceSecret))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(SCOPE_READ).scope(SCOPE_WRITE)
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(identity.accessTokenTtl()).build())
                .build();
        return new InMemoryRegisteredClientRepository(cli, console, service);
    }

    /** Access and ID tokens as JWTs signed with the provider's key; refresh tokens for clients registered for them. */
    private static OAuth2TokenGenerator<?> tokens(JWKSource<SecurityContext> keys, AccessTokenClaims claims) {
        JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(keys));
        jwts.setJwtCustomizer(claims);
        return new DelegatingOAuth2TokenGenerator(jwts, new PublicClientRefresh.TokenGenerator());
    }
}
