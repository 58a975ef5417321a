package routes.embedded.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import routes.support.ChildApp;
import routes.support.Http;
import routes.support.SignIn;

/**
 * Failed sign-ins lock an account, then the client's address, in an app of its own (every request here comes from
 * 127.0.0.1, so once the address is locked nothing else could sign in from it): three failures per account, seven per
 * address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInLimitsTest {

    static final String WRONG = "Wrong user name or password.";

    Path dataDir;
    ChildApp app;
    URI base;

    @BeforeAll
    void start() {
        Path folder = IdentityApps.newFolder("identity-limits-");
        dataDir = folder.resolve("data");
        app = IdentityApps.start(folder, "--caravan.identity.sign-in-limits.account-failures=3",
                "--caravan.identity.sign-in-limits.address-failures=7");
        base = IdentityApps.base(app);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void failuresLockTheAccountThenTheAddressAndSuccessesDoNotCount() throws Exception {
        String ginaPassword = Users.add(dataDir, "gina", false);
        String hughPassword = Users.add(dataDir, "hugh", false);
        // successes do not count towards either limit
        for (int i = 0; i < 4; i++) {
            assertThat(SignIn.token(base, "hugh", hughPassword)).isNotBlank();
        }

        // gina: three failures, then refused even with her password, with a message that says why
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> SignIn.token(base, "gina", "guess")).hasMessage(WRONG);
        }
        assertThatThrownBy(() -> SignIn.token(base, "gina", ginaPassword)).isInstanceOf(SignIn.Refused.class)
                .hasMessage("This account is locked after 3 failed sign-ins; try again in 15 minutes.");

        // another account from the same address still signs in (3 address failures of 7)
        JWTClaimsSet hugh = IdentityApps.verify(SignIn.token(base, "hugh", hughPassword), IdentityApps.jwks(new Http(app.port())));
        assertThat(hugh.getSubject()).isEqualTo("hugh");

        // four more failures on names that are nobody's: the address reaches seven and is locked for everyone
        for (int i = 0; i < 4; i++) {
            String name = "nobody-" + i;
            assertThatThrownBy(() -> SignIn.token(base, name, "guess")).hasMessage(WRONG);
        }
        assertThatThrownBy(() -> SignIn.token(base, "hugh", hughPassword)).isInstanceOf(SignIn.Refused.class)
                .hasMessage("Too many failed sign-ins from your address (7); try again in 15 minutes.");
    }
}
