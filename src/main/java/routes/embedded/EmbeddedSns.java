package routes.embedded;

import java.net.URI;
import java.nio.file.Path;
import routes.embedded.sns.SnsServer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SNS: Caravan's own SNS-compatible endpoint, delivering to the embedded SQS queues as SNS does. */
final class EmbeddedSns implements EmbeddedService {

    private final SqsClient sqs;
    private final SnsServer server;

    EmbeddedSns(String host, int port, String region, String accountId, Path stateFile, URI sqsEndpoint,
            AwsCredentialsProvider credentials) {
        this.sqs = SqsClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.server = new SnsServer(host, port, region, accountId, stateFile, sqs);
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public void start() throws Exception {
        server.start();
    }

    @Override
    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void stop() {
        server.stop();
        sqs.close();
    }
}
