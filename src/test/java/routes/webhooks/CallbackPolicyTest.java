package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Webhooks go to public addresses only, unless private ones are allowed. */
class CallbackPolicyTest {

    private final CallbackPolicy publicOnly = new CallbackPolicy(false);

    @Test
    void localAndPrivateAddressesAreRefused() {
        for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://192.168.0.9/h",
            "http://172.16.5.5/h", "http://169.254.169.254/latest/meta-data", "http://[::1]/h", "http://[fd00::1]/h",
            "http://0.0.0.0/h"}) {
            assertThat(publicOnly.refusal(URI.create(url))).as(url).contains("local or private");
        }
    }

    @Test
    void publicAddressesPassAndOtherSchemesDoNot() {
        assertThat(publicOnly.refusal(URI.create("https://93.184.216.34/hook"))).isNull();
        assertThat(publicOnly.refusal(URI.create("file:///etc/passwd"))).contains("http(s)");
        assertThat(publicOnly.refusal(URI.create("gopher://93.184.216.34/"))).contains("http(s)");
    }

    @Test
    void privateAddressesPassWhenAllowed() {
        assertThat(new CallbackPolicy(true).refusal(URI.create("http://127.0.0.1:9/hook"))).isNull();
    }
}
