package routes.embedded;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import routes.aws.AwsConnection;
import routes.config.CaravanProperties;
import routes.config.EmbeddedStackCondition;
import routes.media.SttEndpoint;

/** Starts the embedded stack before any AWS client is made, and hands its endpoints to them. */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStackCondition.class)
public class EmbeddedStackConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedStack embeddedStack(CaravanProperties properties) {
        return EmbeddedStack.start(properties);
    }

    @Bean
    AwsConnection awsConnection(EmbeddedStack stack) {
        return stack.connection();
    }

    @Bean
    SttEndpoint sttEndpoint(EmbeddedStack stack) {
        return new SttEndpoint(stack.sttEndpoint());
    }
}
