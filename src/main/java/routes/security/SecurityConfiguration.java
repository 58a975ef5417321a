package routes.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.OncePerRequestFilter;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Who may call what. Public by design: on-demand images (the URL's signature is the capability), health, the
 * Prometheus scrape and the API's description. The operator endpoints and the rest of the actuator need an admin.
 * Everything else under /api/v1 needs a JWT access token of the configured issuer (checked against its discovery
 * document and keys, its audience, its time and the required scopes) or an API key; what a caller reads and changes
 * there is its own (the services check the owner). Refusals are problem+json ({@link ProblemAnswers}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    /** How long an API key that was looked up is trusted before it is looked up again. */
    static final Duration KEY_LOOKUP_TTL = Duration.ofSeconds(5);
    /** How long an access token that was checked is remembered (never past its expiry), and how many at most. */
    static final Duration CHECKED_TOKEN_TTL = Duration.ofMinutes(5);
    static final long CHECKED_TOKENS = 10_000;

    /**
     * No observation (metric, span) per security filter, authentication and authorization: the HTTP server's
     * observation already times every request and carries its trace, and one per filter costs more than it tells.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall (no path that means something else once normalised, no control character in
     * a header), its header check written as a loop ({@link HeaderText}); what it refuses is a 400 problem.
     */
    @Bean
    HttpFirewall firewall() {
        StrictHttpFirewall strict = strictFirewall();
        // the image routes name remote images by URL (Thumbor's /300x200/http://host/img.png, imgproxy's
        // plain/http://...): there, and only there, a '//' passes; everything else about those paths stays strict
        StrictHttpFirewall images = strictFirewall();
        images.setAllowUrlEncodedDoubleSlash(true);
        return new HttpFirewall() {
            @Override
            public org.springframework.security.web.firewall.FirewalledRequest getFirewalledRequest(
                    jakarta.servlet.http.HttpServletRequest request) {
                String uri = request.getRequestURI();
                boolean image = uri != null && (uri.startsWith("/thumbor/") || uri.startsWith("/imgproxy/")
                        || uri.startsWith("/img/"));
                return (image ? images : strict).getFirewalledRequest(request);
            }

            @Override
            public jakarta.servlet.http.HttpServletResponse getFirewalledResponse(
                    jakarta.servlet.http.HttpServletResponse response) {
                return strict.getFirewalledResponse(response);
            }
        };
    }

    private static StrictHttpFirewall strictFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHttpMethods(ProblemAnswers.ALLOWED_METHODS);
        firewall.setAllowedHeaderNames(HeaderText::allowed);
        firewall.setAllowedHeaderValues(HeaderText::allowed);
        return firewall;
    }

    @Bean
    ProblemAnswers problemAnswers(ObjectMapper json) {
        return new ProblemAnswers(json);
    }

    /**
     * The on-demand images: no credentials (a signed URL is the capability) and none of the headers an API answer
     * gets, so a rendition's own Cache-Control reaches CDNs and browsers as the image routes set it.
     */
    @Bean
    @Order(5)
    SecurityFilterChain images(HttpSecurity http) throws Exception {
        return http.securityMatcher("/img/**", "/thumbor/**", "/imgproxy/**")
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    /**
     * The pages and files of pitch links: no credentials (the link's token is the capability, checked by the routes),
     * no session; the usual security headers stay.
     */
    @Bean
    @Order(6)
    SecurityFilterChain pitchPages(HttpSecurity http) throws Exception {
        return http.securityMatcher("/p/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    /**
     * The web console's files (its page at {@code /}, its scripts and styles, the vendored browser libraries): public,
     * since everything they show comes from the API with the signed-in user's token. Scripts only from this origin.
     */
    @Bean
    @Order(7)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        return http.securityMatcher(routes.console.ConsolePages.PATHS)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        routes.console.ConsolePages.CONTENT_SECURITY_POLICY)))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(10)
    SecurityFilterChain api(HttpSecurity http, CaravanProperties properties, JwtDecoder jwtDecoder, ApiKeys keys,
            ProblemAnswers problems) throws Exception {
        CaravanProperties.Security security = properties.security();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAfter(new CallerFilter(security.adminRole(), security.enabled()), AuthorizationFilter.class);
        if (!security.enabled()) {
            LOG.warn("caravan.security.enabled is false: every request is an admin's, unchecked");
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        if (!security.corsOrigins().isEmpty()) {
            http.cors(cors -> cors.configurationSource(corsOf(security.corsOrigins())));
        }
        String admin = security.adminRole();
        http.authorizeHttpRequests(requests -> requests
                        // the API's routes answer on an async dispatch of the request authorized already
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/error", "/actuator/health", "/actuator/health/**",
                                "/actuator/prometheus", "/api/v1/openapi.json", "/api/v1/console").permitAll()
                        .requestMatchers("/api/v1/ops/**", "/actuator/**").hasRole(admin)
                        .requestMatchers("/api/v1/**").access(apiAccess(security.requiredScopes()))
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .bearerTokenResolver(new BearerTokens())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(converter(security))))
                .addFilterBefore(new ApiKeyFilter(keys, admin, problems), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /**
     * CORS for the API, for browsers on {@code origins}: bearer tokens or API keys, no cookies; the tus protocol's
     * request headers allowed and its answer headers exposed, so a tus client (Uppy, tus-js-client) on another site
     * uploads to {@code /api/v1/tus}. A preflight is answered before authentication.
     */
    static org.springframework.web.cors.CorsConfigurationSource corsOf(List<String> origins) {
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Api-Key", "Idempotency-Key", "If-Match",
                "If-None-Match", "Range", "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata",
                "Upload-Defer-Length", "Upload-Concat", "X-HTTP-Method-Override", "X-Requested-With"));
        cors.setExposedHeaders(List.of("Location", "ETag", "Retry-After", "Content-Disposition", "Tus-Resumable",
                "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Upload-Offset", "Upload-Length", "Upload-Expires",
                "Upload-Metadata", routes.api.TusEndpoint.ASSET_HEADER));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        org.springframework.web.cors.UrlBasedCorsConfigurationSource source =
                new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/v1/**", cors);
        return source;
    }

    /**
     * Tokens of the issuer, found from its discovery document the first time one is checked (so an issuer served by
     * this app, the embedded one, answers by then); its keys are cached and fetched again for a key id not seen. A
     * token checked once is remembered ({@link CheckedTokens}) for up to {@link #CHECKED_TOKEN_TTL}.
     */
    @Bean
    JwtDecoder jwtDecoder(CaravanProperties properties, Environment environment, RestTemplateBuilder rest,
            Clock clock) {
        CaravanProperties.Security security = properties.security();
        Supplier<JwtDecoder> decoder = () -> {
            String issuer = security.issuerUri() != null ? security.issuerUri().toString()
                    : environment.getProperty("caravan.identity.issuer");
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalStateException("no token issuer is set (caravan.security.issuer-uri)");
            }
            NimbusJwtDecoder nimbus = NimbusJwtDecoder.withIssuerLocation(issuer)
                    .restOperations(rest.connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10))
                            .build())
                    .build();
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(
                    new JwtTimestampValidator(security.clockSkew()), new JwtIssuerValidator(issuer)));
            if (security.audience() != null && !security.audience().isBlank()) {
                validators.add(new JwtClaimValidator<List<String>>("aud",
                        audience -> audience != null && audience.contains(security.audience())));
            }
            nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            LOG.info("access tokens are checked against issuer {}", issuer);
            return nimbus;
        };
        return new CheckedTokens(new SupplierJwtDecoder(decoder), security.clockSkew(), CHECKED_TOKEN_TTL,
                CHECKED_TOKENS, clock);
    }

    @Bean
    ApiKeys apiKeys(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock) {
        return new ApiKeys(new VersionedTable<>(dynamoDb, properties.tables().apiKeys(), ApiKey.class, null, json,
                clock, ApiKeys::attributes), clock, KEY_LOOKUP_TTL);
    }

    /** The API keys table, for provisioning. */
    @Bean
    TableSchema apiKeysTable(CaravanProperties properties) {
        return ApiKeys.schema(properties.tables().apiKeys());
    }

    @Bean
    Callers callers() {
        return new Callers();
    }

    private static JwtAuthenticationConverter converter(CaravanProperties.Security security) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new TokenRoles(security.rolesClaim()));
        return converter;
    }

    /**
     * The API: a token with the required scopes; or an API key with the scope for the method (read: GET and HEAD;
     * write or admin: any).
     */
    private static AuthorizationManager<RequestAuthorizationContext> apiAccess(List<String> requiredScopes) {
        return (authentication, context) -> {
            Authentication caller = authentication.get();
            if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
                return new AuthorizationDecision(false);
            }
            Set<String> granted = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .collect(Collectors.toSet());
            if (caller instanceof ApiKeys.KeyAuthentication) {
                String method = context.getRequest().getMethod();
                boolean reading = method.equals("GET") || method.equals("HEAD");
                return new AuthorizationDecision(granted.contains("SCOPE_write") || granted.contains("SCOPE_admin")
                        || (reading && granted.contains("SCOPE_read")));
            }
            return new AuthorizationDecision(requiredScopes.stream().allMatch(s -> granted.contains("SCOPE_" + s)));
        };
    }

    /** Signs a request in with the API key it carries (X-Api-Key, or Authorization: Bearer cvk_...). */
    private static final class ApiKeyFilter extends OncePerRequestFilter {

        private final ApiKeys keys;
        private final String adminRole;
        private final ProblemAnswers problems;
        private final RequestAttributeSecurityContextRepository requestContexts =
                new RequestAttributeSecurityContextRepository();

        ApiKeyFilter(ApiKeys keys, String adminRole, ProblemAnswers problems) {
            this.keys = keys;
            this.adminRole = adminRole;
            this.problems = problems;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String presented = request.getHeader(ApiKeys.HEADER);
            String authorization = request.getHeader("Authorization");
            if (presented == null && authorization != null && authorization.startsWith("Bearer " + ApiKeys.PREFIX)) {
                presented = authorization.substring("Bearer ".length());
            }
            if (presented != null) {
                try {
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(keys.authenticate(presented, adminRole));
                    SecurityContextHolder.setContext(context);
                    // kept with the request, as a token's is, for its async dispatch
                    requestContexts.saveContext(context, request, response);
                } catch (BadCredentialsException refused) {
                    SecurityContextHolder.clearContext();
                    problems.commence(request, response, refused);
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}
