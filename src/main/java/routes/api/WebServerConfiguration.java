package routes.api;

import java.time.Clock;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import routes.config.CaravanProperties;
import routes.tus.TusUploads;
import routes.work.WorkFolders;

/**
 * The web server answers what it refuses itself as problem+json ({@link ProblemErrorReportValve}); API request
 * bodies are read within their limits before the routes see them ({@link RequestBodies}), but for resumable (tus)
 * uploads, whose bytes {@link TusEndpoint} streams to S3.
 */
@Configuration(proxyBeanMethods = false)
public class WebServerConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /**
     * The REST routes run on the request's own thread, as any servlet does: Tomcat's pool (200 threads by default)
     * bounds them, not Spring's task executor (8 threads, an unbounded queue) that the platform-http starter would
     * hand each request to, costing two thread switches per request and queueing every request behind eight slow
     * ones. The handler still answers a completed future, which Spring MVC ends with an async dispatch.
     */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine platformHttpEngine(Environment environment) {
        return new SpringBootPlatformHttpEngine(environment.getProperty("server.port", Integer.class, 8080),
                Runnable::run);
    }

    /** Before the security filters (-100), so what any later filter or the routes answer bare is a problem. */
    static final int ERRORS_AS_PROBLEMS_ORDER = -200;

    @Bean
    FilterRegistrationBean<ErrorsAsProblems> errorsAsProblems() {
        var registration = new FilterRegistrationBean<>(new ErrorsAsProblems());
        registration.addUrlPatterns("/api/*", "/p/*");
        registration.setOrder(ERRORS_AS_PROBLEMS_ORDER);
        return registration;
    }

    /** After the security filters (-100): a caller who is refused never has a body read. */
    static final int REQUEST_BODIES_ORDER = -50;

    @Bean
    FilterRegistrationBean<RequestBodies> requestBodies(CaravanProperties properties, Clock clock,
            WorkFolders work) {
        var limits = properties.limits();
        var registration = new FilterRegistrationBean<>(new RequestBodies(new RequestBodies.Limits(
                limits.directUpload().toBytes(), limits.jsonBody().toBytes(), limits.bodyTimeout()), clock, work));
        registration.addUrlPatterns("/api/*", "/p/*");
        registration.setOrder(REQUEST_BODIES_ORDER);
        return registration;
    }

    /**
     * After the security filters (-100), so the caller is known and a refused one never has a byte read; before the
     * request bodies filter, which would read a PATCH body whole.
     */
    static final int TUS_ORDER = -60;

    /** The route an upload whose bytes all arrived is handed to, with its upload key as the body. */
    static final String RESUMABLE_UPLOADED = "direct:resumable-uploaded";

    @Bean
    FilterRegistrationBean<TusEndpoint> tusEndpoint(TusUploads uploads, ProducerTemplate producer) {
        var registration = new FilterRegistrationBean<>(new TusEndpoint(uploads,
                upload -> producer.sendBody(RESUMABLE_UPLOADED, upload.key())));
        registration.addUrlPatterns(TusEndpoint.PATH, TusEndpoint.PATH + "/*");
        registration.setOrder(TUS_ORDER);
        return registration;
    }
}
