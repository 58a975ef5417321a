package routes.embedded.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import routes.support.ChildApp;
import routes.support.Http;
import routes.support.SignIn;

/**
 * The provider's key, users and secrets are kept in the data folder: a token handed out before a restart verifies
 * against the JWKS served after it, and the same passwords still sign in.
 */
class SigningKeyRestartTest {

    @Test
    void tokensFromBeforeARestartVerifyAfterIt() throws Exception {
        Path folder = IdentityApps.newFolder("identity-restart-");
        Path dataDir = folder.resolve("data");
        String adminToken;
        String serviceToken;
        String adminPassword;
        String ivyPassword;
        try (ChildApp first = IdentityApps.start(folder)) {
            adminPassword = Files.readString(Users.adminPasswordFile(dataDir)).trim();
            ivyPassword = Users.add(dataDir, "ivy", false);
            adminToken = SignIn.token(IdentityApps.base(first), "admin", adminPassword);
            serviceToken = SignIn.serviceToken(IdentityApps.base(first), dataDir);
            IdentityApps.verify(adminToken, IdentityApps.jwks(new Http(first.port())));
        }

        try (ChildApp second = IdentityApps.start(folder)) {
            JWKSet keys = IdentityApps.jwks(new Http(second.port()));
            assertThat(keys.getKeyByKeyId(SignedJWT.parse(adminToken).getHeader().getKeyID())).isNotNull();
            JWTClaimsSet admin = IdentityApps.verify(adminToken, keys);
            assertThat(admin.getSubject()).isEqualTo("admin");
            assertThat(IdentityApps.verify(serviceToken, keys).getSubject()).isEqualTo("caravan-service");

            // the users and the admin's password were kept, and not made again
            assertThat(Files.readString(Users.adminPasswordFile(dataDir)).trim()).isEqualTo(adminPassword);
            assertThat(IdentityApps.verify(SignIn.token(IdentityApps.base(second), "ivy", ivyPassword), keys)
                    .getSubject()).isEqualTo("ivy");
            assertThat(IdentityApps.log(folder)).doesNotContain("admin password is in");
        }
    }
}
