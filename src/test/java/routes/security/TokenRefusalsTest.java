package routes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Tokens the API refuses, each made as an attacker or a misconfigured client would make it: signed by another key,
 * expired, for another audience, from another issuer, tampered with after signing. Each is a 401 problem+json with an
 * {@code invalid_token} challenge; a real token of the same user works beside them.
 */
class TokenRefusalsTest extends CaravanTestSupport {

    @LocalServerPort
    int port;

    @Test
    void forgedExpiredForeignAndTamperedTokensAreRefused() throws Exception {
        RSAKey issuerKey = (RSAKey) JWKSet.parse(Files.readString(dataDir().resolve("secrets/identity-jwk.json"),
                StandardCharsets.UTF_8)).getKeys().get(0);
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate();
        String issuer = "http://localhost:" + port;
        Instant now = Instant.now();

        String real = token("erin");
        assertThat(new Http(port, real).get("/api/v1/jobs").statusCode()).isEqualTo(200);

        refused(sign(otherKey, claims(issuer, "caravan", now)), "another key, same key id");
        refused(sign(issuerKey, claims(issuer, "caravan", now.minusSeconds(3600))), "expired an hour ago");
        refused(sign(issuerKey, claims(issuer, "someone-else", now)), "another audience");
        refused(sign(issuerKey, claims("https://issuer.example.com", "caravan", now)), "another issuer");
        String[] parts = real.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"erin\"", "\"admin\"");
        refused(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2], "tampered with");
        refused("not.a.token", "not a JWT");

        // the same claims, signed by the issuer's key, are accepted: the refusals above are the faults, not the claims
        assertThat(new Http(port, sign(issuerKey, claims(issuer, "caravan", now))).get("/api/v1/jobs").statusCode())
                .isEqualTo(200);
    }

    private void refused(String token, String what) {
        HttpResponse<String> answer = new Http(port, token).get("/api/v1/jobs");
        assertProblem(answer, 401, "unauthorized");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what)
                .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    private static JWTClaimsSet claims(String issuer, String audience, Instant issued) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject("erin").audience(List.of(audience))
                .issueTime(Date.from(issued)).notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(issued.plusSeconds(900))).claim("roles", List.of("user"))
                .claim("scope", "read write").build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
