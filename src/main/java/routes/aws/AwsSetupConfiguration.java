package routes.aws;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import java.util.List;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Provisions the AWS resources during start-up, before the Camel routes start. */
@Configuration(proxyBeanMethods = false)
public class AwsSetupConfiguration {

    @Bean
    AwsProvisioner awsProvisioner(CaravanProperties properties, AwsConnection connection, S3Client s3, SqsClient sqs,
            SnsClient sns, DynamoDbClient dynamoDb, List<TableSchema> tables) {
        return new AwsProvisioner(properties, connection, s3, sqs, sns, dynamoDb, tables);
    }

    /**
     * Checks the configured endpoints answer, then provisions when {@code caravan.aws.provision} is true (the
     * default; optional against AWS).
     */
    @Bean
    InitializingBean awsProvisioning(CaravanProperties properties, AwsProvisioner provisioner) {
        return () -> {
            provisioner.checkReachable();
            if (properties.aws().provision()) {
                provisioner.provision();
            }
        };
    }
}
