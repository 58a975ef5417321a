package routes.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one signed webhook with a timeout. A 2xx answer is delivered; 408, 429 and 5xx (and network faults) are
 * worth retrying and throw {@link IOException}; any other answer is the receiver's final word and is logged.
 */
public class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final HttpClient http;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final CallbackPolicy policy;

    public WebhookSender(WebhookSigner signer, CallbackPolicy policy, Duration timeout, Clock clock) {
        this.policy = policy;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
    }

    public void deliver(String url, String jobId, String body) throws IOException, InterruptedException {
        String refusal = policy.refusal(URI.create(url));
        if (refusal != null) {
            LOG.warn("job {}: webhook not sent: {}", jobId, refusal);
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "caravan-webhooks")
                .header("X-Caravan-Event", "job.finished")
                .header("X-Caravan-Job", jobId)
                .header("X-Caravan-Timestamp", Long.toString(timestamp))
                .header("X-Caravan-Signature", signer.sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
            LOG.info("job {}: webhook delivered to {} ({})", jobId, url, status);
        } else if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("webhook " + url + " answered " + status + "; will retry");
        } else {
            LOG.warn("job {}: webhook {} refused with {}; not retried", jobId, url, status);
        }
    }
}
