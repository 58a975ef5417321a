package routes.aws;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where each AWS API is served and with which credentials. From settings when Caravan talks to AWS or another
 * compatible service, from the embedded stack otherwise. A service absent from {@code endpoints} uses the SDK's
 * default (the real AWS endpoint for the region).
 */
public record AwsConnection(String region, Map<String, URI> endpoints, AwsCredentialsProvider credentials,
        boolean pathStyle, boolean embedded) {

    public static final String S3 = "s3";
    public static final String SQS = "sqs";
    public static final String SNS = "sns";
    public static final String DYNAMODB = "dynamodb";

    public URI endpoint(String service) {
        return endpoints.get(service);
    }
}
