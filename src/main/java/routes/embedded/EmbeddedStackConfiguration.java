package routes.embedded;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import routes.aws.AwsConnection;
import routes.config.CaravanProperties;
import routes.config.EmbeddedStackCondition;

/**
 * Starts the embedded stack before any AWS client is made, and hands its endpoints to them; the speech-to-text
 * server's goes into the settings ({@code caravan.stt.endpoint}), which the stt-request route reads.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStackCondition.class)
public class EmbeddedStackConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedStack embeddedStack(CaravanProperties properties, ConfigurableEnvironment environment) {
        EmbeddedStack stack = EmbeddedStack.start(properties);
        if (properties.stt().endpoint() == null) {
            environment.getPropertySources().addFirst(new MapPropertySource("caravan-embedded-stack",
                    Map.of("caravan.stt.endpoint", stack.sttEndpoint().toString())));
        }
        return stack;
    }

    @Bean
    AwsConnection awsConnection(EmbeddedStack stack) {
        return stack.connection();
    }
}
