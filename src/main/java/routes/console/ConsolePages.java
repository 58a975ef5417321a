package routes.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import routes.config.CaravanProperties;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console is static files under {@code classpath:/static/} (its page, {@code /console/*.js} modules and
 * styles, the vendored browser libraries under {@code /vendor/}), served by Spring's resource handling on the API's
 * port. It has one page, {@code /}; its views are the page's fragment ({@code /#/assets/...}), so the only other
 * path that serves the page is where sign-in comes back ({@code /console/callback}, the redirect URI registered
 * with the identity provider for client {@code caravan-console}).
 */
@Configuration(proxyBeanMethods = false)
public class ConsolePages implements WebMvcConfigurer {

    /** The console's paths (the security chain that lets them through unauthenticated). */
    public static final String[] PATHS = {"/", "/index.html", "/console/**", "/vendor/**", "/favicon.ico"};

    /**
     * Scripts and styles from this origin only; images and media from anywhere (the storage's presigned URLs are on
     * its own host); fetches to this origin and to others (the identity provider's token endpoint, HLS segments on the
     * storage's host); no framing, no plugins.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; "
            + "connect-src 'self' http: https:; worker-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'";

    public static final String CALLBACK = "/console/callback";

    @Bean
    ConsoleSettings consoleSettings(CaravanProperties properties, Environment environment) {
        return new ConsoleSettings(properties, environment);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController(CALLBACK).setViewName("forward:/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // the console's own modules change with each release: always checked again (an ETag, a 304)
        registry.addResourceHandler("/console/**").addResourceLocations("classpath:/static/console/")
                .setCacheControl(CacheControl.noCache());
        // the vendored libraries are named by their package-lock.json versions: cached for a day
        registry.addResourceHandler("/vendor/**").addResourceLocations("classpath:/static/vendor/")
                .setCacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)));
    }
}
