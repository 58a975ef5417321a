package routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gets access tokens from the embedded identity provider of a running app, over real HTTP, as its clients do:
 * <ul>
 * <li>{@link #token(URI, String, String)}: a person signs in through the command line's flow (client
 * {@code caravan-cli}, authorization code with PKCE S256): the authorization request, the login page and its CSRF
 * token, the form post, the redirect to {@code http://127.0.0.1/callback} whose {@code code} is read from its
 * {@code Location}, and the code exchanged with the verifier. Scopes {@code openid read write}.</li>
 * <li>{@link #adminToken(URI, Path)}: the same as {@code admin}, whose password is in the data folder.</li>
 * <li>{@link #serviceToken(URI, Path)}: client credentials of {@code caravan-service}, its secret read from the data
 * folder; scopes {@code read write}.</li>
 * </ul>
 * {@code base} is the app's root URL (e.g. {@code http://127.0.0.1:PORT}); the tokens' issuer is the provider's own
 * ({@code caravan.identity.issuer}) whatever address is used here. A refusal throws {@link Refused} with the reason.
 */
public final class SignIn {

    public static final String CLI_CLIENT = "caravan-cli";
    public static final String CLI_REDIRECT_URI = "http://127.0.0.1/callback";
    public static final String SERVICE_CLIENT = "caravan-service";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern ALERT = Pattern.compile("role=\"alert\">([^<]*)<");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What one sign-in hands out; {@code refreshToken} is null for a client without refresh tokens. */
    public record Tokens(String accessToken, String refreshToken, String idToken) {
    }

    /** The provider said no: a wrong password, a lock, a bad secret. The message is its reason. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private SignIn() {
    }

    /** Signs {@code user} in through the PKCE flow and returns the access token. */
    public static String token(URI base, String user, String password) {
        return tokens(base, user, password).accessToken();
    }

    /** Signs in as {@code admin}, with the password the app made in {@code {dataDir}/secrets/admin-password}. */
    public static String adminToken(URI base, Path dataDir) {
        return token(base, "admin", read(dataDir.resolve("secrets").resolve("admin-password")));
    }

    /** Signs {@code user} in through the PKCE flow and returns every token: access, refresh and ID. */
    public static Tokens tokens(URI base, String user, String password) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = random(48);
        String challenge = base64Url(sha256(verifier));
        String state = random(16);

        HttpResponse<String> authorize = send(browser, HttpRequest.newBuilder(base.resolve("/oauth2/authorize?"
                + form(Map.of("response_type", "code", "client_id", CLI_CLIENT, "redirect_uri", CLI_REDIRECT_URI,
                        "scope", "openid read write", "state", state, "code_challenge", challenge,
                        "code_challenge_method", "S256")))));
        expectRedirect(authorize, "/login");
        String csrf = csrf(send(browser, HttpRequest.newBuilder(base.resolve("/login"))));

        HttpResponse<String> login = send(browser, HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", password,
                        "_csrf", csrf)))));
        String next = expectRedirect(login, "");
        if (!URI.create(next).getPath().equals("/oauth2/authorize")) {
            HttpResponse<String> page = send(browser, HttpRequest.newBuilder(base.resolve("/login?error")));
            Matcher reason = ALERT.matcher(page.body());
            throw new Refused(reason.find() ? unescape(reason.group(1)) : "refused, sent to " + next);
        }

        URI callback = URI.create(expectRedirect(send(browser, HttpRequest.newBuilder(base.resolve(next))), ""));
        Map<String, String> query = query(callback);
        if (!callback.toString().startsWith(CLI_REDIRECT_URI + "?") || !state.equals(query.get("state"))
                || query.get("code") == null) {
            throw new Refused("no authorization code came back: " + callback);
        }
        JsonNode answer = tokenRequest(browser, base, null, Map.of("grant_type", "authorization_code",
                "client_id", CLI_CLIENT, "code", query.get("code"), "redirect_uri", CLI_REDIRECT_URI,
                "code_verifier", verifier));
        return new Tokens(answer.get("access_token").asText(), text(answer, "refresh_token"),
                text(answer, "id_token"));
    }

    /** A client-credentials token of {@code caravan-service}, its secret read from the data folder. */
    public static String serviceToken(URI base, Path dataDir) {
        return serviceToken(base, read(dataDir.resolve("secrets").resolve("identity-service-secret")));
    }

    /** A client-credentials token of {@code caravan-service} with this secret (HTTP Basic), scopes read and write. */
    public static String serviceToken(URI base, String secret) {
        String basic = Base64.getEncoder().encodeToString((SERVICE_CLIENT + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return tokenRequest(client, base, "Basic " + basic,
                Map.of("grant_type", "client_credentials", "scope", "read write")).get("access_token").asText();
    }

    private static JsonNode tokenRequest(HttpClient client, URI base, String authorization,
            Map<String, String> parameters) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer = send(client, request);
        if (answer.statusCode() != 200) {
            throw new Refused("the token endpoint answered " + answer.statusCode() + ": " + answer.body());
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expectRedirect(HttpResponse<String> response, String pathStart) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (response.statusCode() != 302 || location == null || !URI.create(location).getPath().startsWith(pathStart)) {
            throw new Refused("expected a redirect to " + pathStart + "..., got " + response.statusCode() + " "
                    + location + " for " + response.request().uri());
        }
        return location;
    }

    private static String csrf(HttpResponse<String> loginPage) {
        Matcher matcher = CSRF.matcher(loginPage.body());
        if (loginPage.statusCode() != 200 || !matcher.find()) {
            throw new Refused("no login form with a CSRF token: " + loginPage.statusCode());
        }
        return unescape(matcher.group(1));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.put(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return base64Url(random);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
