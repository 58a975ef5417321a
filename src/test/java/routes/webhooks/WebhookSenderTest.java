package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import routes.support.WebhookReceiver;

/**
 * The sender connects only to addresses checked as they were resolved for that connection: a name that resolved to
 * a public address when the job was made and resolves to loopback when the webhook is sent (DNS rebinding) gets
 * nothing. The receiver is on loopback; the names resolve through a resolver the test sets.
 */
class WebhookSenderTest {

    private static final WebhookSigner SIGNER = new WebhookSigner("a-test-secret-of-some-length");

    private final AtomicReference<InetAddress[]> answer = new AtomicReference<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final CallbackPolicy.NameResolver names = host -> {
        lookups.incrementAndGet();
        return answer.get();
    };
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** The receiver's URL with the name hooks.example in place of its address. */
    private String byName() {
        return receiver.url().replace("127.0.0.1", "hooks.example");
    }

    private static WebhookSender sender(CallbackPolicy policy) {
        return new WebhookSender(SIGNER, policy, Duration.ofSeconds(5), Clock.systemUTC());
    }

    @Test
    void aNameThatResolvesToLoopbackWhenTheWebhookIsSentGetsNothing() throws Exception {
        CallbackPolicy policy = new CallbackPolicy(false, names);
        answer.set(new InetAddress[] {InetAddress.getByName("93.184.216.34")});
        assertThat(policy.refusal(URI.create(byName()))).as("accepted when the job is made").isNull();

        answer.set(new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        lookups.set(0);
        try (WebhookSender sender = sender(policy)) {
            sender.deliver(byName(), "job-1", "{\"id\":\"job-1\"}");
        }
        assertThat(lookups).as("resolved once, when connecting").hasValue(1);
        assertThat(receiver.attempts()).as("requests the loopback receiver saw").isZero();
    }

    @Test
    void theResolverTheCheckUsesIsTheOneTheConnectionUses() throws Exception {
        // allowed, the same name reaches the loopback receiver: the address connected to is the one resolved
        answer.set(new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        try (WebhookSender sender = sender(new CallbackPolicy(true, names))) {
            sender.deliver(byName(), "job-2", "{\"id\":\"job-2\"}");
        }
        Map<String, String> delivery = receiver.next(5);
        assertThat(delivery).isNotNull();
        assertThat(delivery.get("body")).isEqualTo("{\"id\":\"job-2\"}");
        assertThat(delivery.get("signature"))
                .isEqualTo(SIGNER.sign(Long.parseLong(delivery.get("timestamp")), delivery.get("body")));
        assertThat(lookups).as("resolved once").hasValue(1);
    }

    @Test
    void anIpLiteralIsCheckedWhenTheWebhookIsSentAndNeverLookedUp() throws Exception {
        try (WebhookSender sender = sender(new CallbackPolicy(false, names))) {
            sender.deliver(receiver.url(), "job-3", "{}");
            sender.deliver(receiver.url().replace("127.0.0.1", "[::ffff:127.0.0.1]"), "job-3", "{}");
        }
        assertThat(receiver.attempts()).isZero();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aRefusalByTheResolverSaysWhatWasWrong() throws Exception {
        answer.set(new InetAddress[] {InetAddress.getByName("100.100.100.200")});
        PublicAddressResolver resolver = new PublicAddressResolver(new CallbackPolicy(false, names));
        assertThatThrownBy(() -> resolver.resolve("metadata.example"))
                .isInstanceOf(RefusedAddressException.class)
                .hasMessage("callbackUrl host metadata.example resolves to 100.100.100.200, a shared address space"
                        + " (RFC 6598) address; webhooks go to public addresses only"
                        + " (caravan.webhooks.allow-private-addresses)");
        answer.set(new InetAddress[] {InetAddress.getByName("1.1.1.1"), InetAddress.getByName("2606:4700:4700::1111")});
        assertThat(resolver.resolve("one.example")).containsExactly(answer.get());
    }

    @Test
    void aReceiverThatIsDownOrAnswers5xxIsTriedAgain() throws Exception {
        receiver.refuse(1);
        try (WebhookSender sender = sender(new CallbackPolicy(true))) {
            assertThatThrownBy(() -> sender.deliver(receiver.url(), "job-4", "{}"))
                    .isInstanceOf(IOException.class).hasMessageContaining("answered 503; will retry");
            sender.deliver(receiver.url(), "job-4", "{}");
            assertThat(receiver.next(5)).isNotNull();
            int closedPort;
            try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            assertThatThrownBy(() -> sender.deliver("http://127.0.0.1:" + closedPort + "/hook", "job-4", "{}"))
                    .isInstanceOf(IOException.class).isNotInstanceOf(RefusedAddressException.class);
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        HttpServer redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirector.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", receiver.url());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirector.start();
        try (WebhookSender sender = sender(new CallbackPolicy(true))) {
            sender.deliver("http://127.0.0.1:" + redirector.getAddress().getPort() + "/hook", "job-5", "{}");
        } finally {
            redirector.stop(0);
        }
        assertThat(receiver.attempts()).isZero();
    }
}
