package routes.api;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the whole app shares: the clock. The beans behind each capability are made by its own package. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
