package routes.aws;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.annotation.Conditional;
import routes.config.EmbeddedStackCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one set of AWS SDK clients. Camel's aws2 components pick them up from the registry (autowiring), so routes
 * name only buckets, queues, topics and tables, and the same routes run against AWS and the embedded stack.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    /** The connection from settings: used when the embedded stack does not provide one. */
    @Bean
    @Conditional(EmbeddedStackCondition.Inactive.class)
    AwsConnection awsConnection(CaravanProperties properties) {
        CaravanProperties.Aws aws = properties.aws();
        Map<String, URI> endpoints = new HashMap<>();
        for (String service : new String[] {AwsConnection.S3, AwsConnection.SQS, AwsConnection.SNS, AwsConnection.DYNAMODB}) {
            URI endpoint = aws.endpointFor(service);
            if (endpoint != null) {
                endpoints.put(service, endpoint);
            }
        }
        return new AwsConnection(aws.region(), Map.copyOf(endpoints), DefaultCredentialsProvider.builder().build(),
                aws.pathStyle(), false);
    }

    @Bean(destroyMethod = "close")
    SdkHttpClient awsHttpClient(CaravanProperties properties) {
        return ApacheHttpClient.builder()
                .connectionTimeout(properties.aws().connectTimeout())
                .socketTimeout(properties.aws().callTimeout())
                .maxConnections(64)
                .build();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(AwsConnection connection, SdkHttpClient http, CaravanProperties properties) {
        return configure(S3Client.builder(), connection, AwsConnection.S3, properties)
                .httpClient(http)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(connection.pathStyle()).build())
                .build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(AwsConnection connection) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(connection.region()))
                .credentialsProvider(connection.credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(connection.pathStyle()).build());
        URI endpoint = connection.endpoint(AwsConnection.S3);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsConnection connection, SdkHttpClient http, CaravanProperties properties) {
        return configure(SqsClient.builder(), connection, AwsConnection.SQS, properties).httpClient(http).build();
    }

    @Bean(destroyMethod = "close")
    SnsClient snsClient(AwsConnection connection, SdkHttpClient http, CaravanProperties properties) {
        return configure(SnsClient.builder(), connection, AwsConnection.SNS, properties).httpClient(http).build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsConnection connection, SdkHttpClient http, CaravanProperties properties) {
        return configure(DynamoDbClient.builder(), connection, AwsConnection.DYNAMODB, properties).httpClient(http).build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConnection connection, String service,
            CaravanProperties properties) {
        builder.region(Region.of(connection.region()))
                .credentialsProvider(connection.credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(properties.aws().callTimeout())
                        .apiCallAttemptTimeout(properties.aws().callTimeout())
                        .build());
        URI endpoint = connection.endpoint(service);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
