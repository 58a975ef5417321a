package routes.webhooks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one signed webhook with a timeout. A 2xx answer is delivered; 408, 429 and 5xx (and network faults) are
 * worth retrying and throw {@link IOException}; any other answer is the receiver's final word and is logged, as is a
 * callback the {@link CallbackPolicy} refuses. Redirects are not followed. Connections go only to addresses the policy
 * checked as they were resolved for that connection ({@link PublicAddressResolver}).
 */
public class WebhookSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient http;
    private final WebhookSigner signer;
    private final Clock clock;
    private final CallbackPolicy policy;

    public WebhookSender(WebhookSigner signer, CallbackPolicy policy, Duration timeout, Clock clock) {
        this.policy = policy;
        this.signer = signer;
        this.clock = clock;
        // a failed delivery is tried again by the route, with backoff
        this.http = PublicHttpClients.create(policy, timeout, "caravan-webhooks");
    }

    public void deliver(String url, String jobId, String body) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            LOG.warn("job {}: webhook not sent: callbackUrl is not a URL", jobId);
            return;
        }
        String malformed = policy.formRefusal(uri);
        if (malformed != null) {
            LOG.warn("job {}: webhook not sent: {}", jobId, malformed);
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(uri);
        post.setHeader("X-Caravan-Event", "job.finished");
        post.setHeader("X-Caravan-Job", jobId);
        post.setHeader("X-Caravan-Timestamp", Long.toString(timestamp));
        post.setHeader("X-Caravan-Signature", signer.sign(timestamp, body));
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON));
        int status;
        try {
            status = http.execute(post, response -> response.getCode());
        } catch (RefusedAddressException e) {
            LOG.warn("job {}: webhook not sent: {}", jobId, e.getMessage());
            return;
        }
        if (status >= 200 && status < 300) {
            LOG.info("job {}: webhook delivered to {} ({})", jobId, url, status);
        } else if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("webhook " + url + " answered " + status + "; will retry");
        } else {
            LOG.warn("job {}: webhook {} refused with {}; not retried", jobId, url, status);
        }
    }

    /** Closes the client and its connections (when the bean is destroyed). */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
