package routes.webhooks;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for requests the server makes on a caller's behalf (webhooks, remote images): connections only to
 * the addresses {@link CallbackPolicy} passes, resolved once per connection ({@link PublicAddressResolver}); one
 * time limit for connecting, waiting for a connection and every read; no redirects followed (the caller decides
 * whether a Location is allowed), no retries (retries are the routes'), no cookies, compression or auth caching.
 */
public final class PublicHttpClients {

    private PublicHttpClients() {
    }

    public static CloseableHttpClient create(CallbackPolicy policy, Duration timeout, String userAgent) {
        Timeout limit = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PublicAddressResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit)
                                .setSocketTimeout(limit)
                                .build())
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(limit)
                        .setResponseTimeout(limit)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(userAgent)
                .build();
    }
}
