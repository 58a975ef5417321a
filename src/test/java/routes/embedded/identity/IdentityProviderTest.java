package routes.embedded.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import routes.support.ChildApp;
import routes.support.Http;
import routes.support.SignIn;

/**
 * The embedded identity provider of an app started as an operator starts it (its own process, a fixed port, a data
 * folder of its own), seen from outside: the discovery document and the JWKS, tokens from the PKCE flow and from
 * client credentials verified with a library of their own, refusals, users added while it runs, and
 * {@code bin/caravan token}. Only the provider's endpoints are called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityProviderTest {

    Path folder;
    Path dataDir;
    ChildApp app;
    URI base;
    Http http;
    String issuer;
    /** every secret and token the tests saw, which the app's log must not hold */
    final List<String> secrets = new ArrayList<>();

    @BeforeAll
    void start() {
        folder = IdentityApps.newFolder("identity-");
        dataDir = folder.resolve("data");
        app = IdentityApps.start(folder);
        base = IdentityApps.base(app);
        http = new Http(app.port());
        issuer = "http://localhost:" + app.port();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void discoveryAndJwksNameTheConfiguredIssuer() throws Exception {
        JsonNode discovery = json(http.get("/.well-known/openid-configuration"));
        assertThat(discovery.get("issuer").asText()).isEqualTo(issuer);
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(issuer + "/oauth2/jwks");
        assertThat(discovery.get("authorization_endpoint").asText()).isEqualTo(issuer + "/oauth2/authorize");
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
        assertThat(discovery.get("userinfo_endpoint").asText()).isEqualTo(issuer + "/userinfo");
        assertThat(discovery.get("code_challenge_methods_supported")).extracting(JsonNode::asText)
                .containsExactly("S256");
        // the same document whatever address the request came to: the issuer is a setting, not the Host header
        assertThat(json(http.get(issuer + "/.well-known/openid-configuration")).get("issuer").asText())
                .isEqualTo(issuer);
        assertThat(json(http.get("/.well-known/oauth-authorization-server")).get("issuer").asText())
                .isEqualTo(issuer);

        JWKSet served = IdentityApps.jwks(http);
        assertThat(served.getKeys()).hasSize(1);
        JWK key = served.getKeys().get(0);
        assertThat(key).isInstanceOf(RSAKey.class);
        assertThat(key.isPrivate()).as("the JWKS holds the public half only").isFalse();
        assertThat(key.getKeyID()).isNotBlank();
        // the key kept in the data folder, owner-only
        Path kept = dataDir.resolve("secrets").resolve("identity-jwk.json");
        RSAKey keptKey = JWKSet.parse(Files.readString(kept)).getKeys().get(0).toRSAKey();
        assertThat(keptKey.isPrivate()).isTrue();
        assertThat(keptKey.toPublicJWK().toJSONObject()).isEqualTo(key.toJSONObject());
        for (String file : List.of("secrets/identity-jwk.json", "secrets/identity-service-secret",
                "secrets/admin-password", "identity/users.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void aPkceSignInGivesAnAccessTokenThatVerifiesAgainstTheJwks() throws Exception {
        SignIn.Tokens tokens = SignIn.tokens(base, "admin", adminPassword());
        secrets.addAll(List.of(tokens.accessToken(), tokens.refreshToken(), tokens.idToken()));

        SignedJWT jwt = SignedJWT.parse(tokens.accessToken());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        JWKSet keys = IdentityApps.jwks(http);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.getKeys().get(0).getKeyID());
        JWTClaimsSet claims = IdentityApps.verify(tokens.accessToken(), keys);
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getAudience()).containsExactly("caravan");
        assertThat(claims.getSubject()).isEqualTo("admin");
        assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("admin", "user");
        assertThat(Set.of(claims.getStringClaim("scope").split(" "))).containsExactlyInAnyOrder("openid", "read",
                "write");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                .as("access-token-ttl, 15 minutes").isEqualTo(TimeUnit.MINUTES.toMillis(15));
        assertThat(claims.getExpirationTime()).isInTheFuture();

        // the ID token is the client's
        JWTClaimsSet id = IdentityApps.verify(tokens.idToken(), keys);
        assertThat(id.getAudience()).containsExactly("caravan-cli");
        assertThat(id.getSubject()).isEqualTo("admin");
        // the user info endpoint takes the access token
        HttpResponse<String> userInfo = http.send(HttpRequest.newBuilder(http.uri("/userinfo"))
                .header("Authorization", "Bearer " + tokens.accessToken()));
        assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
        assertThat(userInfo.body()).contains("\"sub\":\"admin\"");
    }

    @Test
    void theCommandLineRefreshesItsTokenOnceWithEachRefreshToken() throws Exception {
        SignIn.Tokens tokens = SignIn.tokens(base, "admin", adminPassword());
        assertThat(tokens.refreshToken()).as("caravan-cli gets a refresh token").isNotBlank();
        secrets.addAll(List.of(tokens.accessToken(), tokens.refreshToken()));

        JsonNode refreshed = refresh(tokens.refreshToken(), 200);
        String access = refreshed.get("access_token").asText();
        secrets.addAll(List.of(access, refreshed.get("refresh_token").asText()));
        assertThat(access).isNotEqualTo(tokens.accessToken());
        JWTClaimsSet claims = IdentityApps.verify(access, IdentityApps.jwks(http));
        assertThat(claims.getSubject()).isEqualTo("admin");
        assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("admin", "user");
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(tokens.refreshToken());

        // a refresh token is good for one refresh: the next one is refused
        assertThat(refresh(tokens.refreshToken(), 400).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void theAuthorizationRequestNeedsAnS256Challenge() {
        String request = "/oauth2/authorize?response_type=code&client_id=caravan-cli&scope=openid%20read&state=s1"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback";
        String challenge = "&code_challenge=" + "a".repeat(43);
        for (String missing : List.of("", challenge + "&code_challenge_method=plain")) {
            HttpResponse<String> refused = http.get(request + missing);
            assertThat(refused.statusCode()).isEqualTo(302);
            assertThat(refused.headers().firstValue("Location").orElseThrow())
                    .startsWith("http://127.0.0.1/callback?error=invalid_request");
        }
        HttpResponse<String> accepted = http.get(request + challenge + "&code_challenge_method=S256");
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).isEqualTo(base + "/login");
    }

    @Test
    void clientCredentialsWorkWithTheStoredSecretOnly() throws Exception {
        String token = SignIn.serviceToken(base, dataDir);
        secrets.add(token);
        JWTClaimsSet claims = IdentityApps.verify(token, IdentityApps.jwks(http));
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getSubject()).isEqualTo("caravan-service");
        assertThat(claims.getAudience()).containsExactly("caravan");
        assertThat(claims.getStringListClaim("roles")).containsExactly("service");
        assertThat(Set.of(claims.getStringClaim("scope").split(" "))).containsExactlyInAnyOrder("read", "write");

        String secret = Files.readString(dataDir.resolve("secrets").resolve("identity-service-secret")).trim();
        secrets.add(secret);
        assertThatThrownBy(() -> SignIn.serviceToken(base, secret + "x")).isInstanceOf(SignIn.Refused.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_client");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        assertThatThrownBy(() -> SignIn.token(base, "admin", "not-the-password"))
                .isInstanceOf(SignIn.Refused.class).hasMessage("Wrong user name or password.");
        assertThatThrownBy(() -> SignIn.token(base, "nobody", "not-the-password"))
                .isInstanceOf(SignIn.Refused.class).hasMessage("Wrong user name or password.");
    }

    @Test
    void usersAddedWhileTheAppRunsSignInAtOnce() throws Exception {
        // the command-line tool, as its own process
        Process addUser = new ProcessBuilder(javaCommand(AddUser.class.getName(), "dana", "--data-dir",
                dataDir.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String danaPassword = new String(addUser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(addUser.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(addUser.exitValue()).isZero();
        assertThat(danaPassword).as("the password, alone on standard output").matches("[A-Za-z0-9_-]{27}");
        // and the Java call the tests use
        String ericPassword = Users.add(dataDir, "eric", true);
        secrets.addAll(List.of(danaPassword, ericPassword));

        JWTClaimsSet dana = IdentityApps.verify(SignIn.token(base, "dana", danaPassword), IdentityApps.jwks(http));
        assertThat(dana.getSubject()).isEqualTo("dana");
        assertThat(dana.getStringListClaim("roles")).containsExactly("user");
        JWTClaimsSet eric = IdentityApps.verify(SignIn.token(base, "eric", ericPassword), IdentityApps.jwks(http));
        assertThat(eric.getStringListClaim("roles")).containsExactlyInAnyOrder("admin", "user");

        assertThat(Files.readString(Users.file(dataDir))).contains("\"dana\"").contains("{bcrypt}")
                .doesNotContain(danaPassword);
        assertThatThrownBy(() -> Users.add(dataDir, "dana", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists");
    }

    @Test
    void binCaravanTokenPrintsATokenThatVerifies() throws Exception {
        ProcessBuilder command = new ProcessBuilder("bin/caravan", "token").redirectErrorStream(false);
        command.environment().put("CARAVAN_URL", "http://localhost:" + app.port());
        command.environment().put("CARAVAN_DATA_DIR", dataDir.toString());
        command.environment().remove("CARAVAN_PASSWORD");
        Process process = command.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out).as("one line: the token").matches("[A-Za-z0-9_.-]+\n");
        String token = out.trim();
        secrets.add(token);
        JWTClaimsSet claims = IdentityApps.verify(token, IdentityApps.jwks(http));
        assertThat(claims.getSubject()).isEqualTo("admin");
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getAudience()).containsExactly("caravan");

        ProcessBuilder refused = new ProcessBuilder("bin/caravan", "token", "admin");
        refused.environment().put("CARAVAN_URL", base.toString());
        refused.environment().put("CARAVAN_PASSWORD", "not-the-password");
        Process wrong = refused.start();
        String wrongErr = new String(wrong.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrong.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(wrong.exitValue()).isEqualTo(1);
        assertThat(wrongErr).contains("sign-in as admin refused: Wrong user name or password.");
    }

    @Test
    void theLogHoldsNoPasswordTokenOrSecret() throws Exception {
        String admin = adminPassword();
        SignIn.Tokens tokens = SignIn.tokens(base, "admin", admin);
        String service = SignIn.serviceToken(base, dataDir);
        // a password typed as the user name, five times: the lock of that name is logged without it
        String typo = "Passw0rd-typed-as-a-name";
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> SignIn.token(base, typo, "x")).isInstanceOf(SignIn.Refused.class);
        }
        List<String> all = new ArrayList<>(secrets);
        all.addAll(List.of(admin, tokens.accessToken(), tokens.refreshToken(), tokens.idToken(), service, typo,
                Files.readString(dataDir.resolve("secrets").resolve("identity-service-secret")).trim()));
        JWKSet keys = JWKSet.parse(Files.readString(dataDir.resolve("secrets").resolve("identity-jwk.json")));
        all.add(keys.getKeys().get(0).toRSAKey().getPrivateExponent().toString());

        String log = IdentityApps.log(folder);
        assertThat(log).contains("the embedded identity provider's admin password is in "
                + dataDir.resolve("secrets").resolve("admin-password"));
        assertThat(log).contains("sign-ins to the account (not a user) are refused");
        for (String secret : all) {
            assertThat(log).as("the log holds a secret").doesNotContain(secret);
        }
    }

    private JsonNode refresh(String refreshToken, int status) {
        HttpResponse<String> answer = http.post("/oauth2/token", "application/x-www-form-urlencoded",
                ("grant_type=refresh_token&client_id=caravan-cli&refresh_token=" + refreshToken)
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Http.json(answer);
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    private String adminPassword() throws Exception {
        return Files.readString(Users.adminPasswordFile(dataDir)).trim();
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
