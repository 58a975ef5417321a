package routes.library.search;

import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The connections to an OpenSearch cluster the library index talks through: plain HTTP(S) with an optional basic-auth
 * user (self-hosted OpenSearch, or AWS OpenSearch Service with a master user), or requests signed with AWS SigV4 and
 * the default AWS credentials (AWS OpenSearch Service with IAM). Every call gives up after 5 s to connect and 30 s
 * to answer.
 */
public final class OpenSearchTransports {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private OpenSearchTransports() {
    }

    /** HTTP(S) to {@code endpoint} (scheme, host, port, optional path prefix); with basic auth when user is set. */
    public static OpenSearchTransport http(URI endpoint, String user, String password) {
        HttpHost host = new HttpHost(endpoint.getScheme(), endpoint.getHost(), port(endpoint));
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setConnectionConfigCallback(c -> c.setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setSocketTimeout(Timeout.of(RESPONSE_TIMEOUT)))
                .setRequestConfigCallback(r -> r.setConnectionRequestTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setResponseTimeout(Timeout.of(RESPONSE_TIMEOUT)));
        if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")) {
            builder.setPathPrefix(endpoint.getRawPath());
        }
        if (user != null && !user.isBlank()) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host),
                    new UsernamePasswordCredentials(user, password == null ? new char[0] : password.toCharArray()));
            builder.setHttpClientConfigCallback(client -> client.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    /**
     * HTTPS to the AWS OpenSearch Service domain at {@code endpoint}, each request signed (SigV4, service
     * {@code es}) for {@code region} with the default AWS credentials chain.
     */
    public static OpenSearchTransport aws(URI endpoint, String region) {
        ApacheHttpClient http = (ApacheHttpClient) ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT).socketTimeout(RESPONSE_TIMEOUT)
                .connectionAcquisitionTimeout(CONNECT_TIMEOUT).build();
        return new AwsSdk2Transport(http, endpoint.getHost(), "es", Region.of(region),
                AwsSdk2TransportOptions.builder().setMapper(new JacksonJsonpMapper())
                        .setCredentials(DefaultCredentialsProvider.builder().build()).build()) {
            @Override
            public void close() {
                super.close();
                http.close();
            }
        };
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() > 0) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }
}
