package routes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import routes.CaravanApplication;

/** Bad settings stop the start with one line that names the setting. */
class StartupFailureTest {

    @Test
    void anUnreachableEndpointNamesItsSetting() {
        Throwable failure = start("--caravan.aws.endpoint=http://127.0.0.1:1", "--caravan.aws.connect-timeout=1s");

        StartupCheckException check = findCause(failure, StartupCheckException.class);
        assertThat(check).as("failure %s", failure).isNotNull();
        assertThat(check.setting()).isEqualTo("caravan.aws.endpoint");
        FailureAnalysis analysis = new StartupFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription())
                .startsWith("caravan.aws.endpoint: nothing answers for s3 at http://127.0.0.1:1 (Connection refused")
                .doesNotContain("\n");
    }

    @Test
    void aMissingBucketNameNamesItsSetting() {
        Throwable failure = start("--caravan.storage.bucket=", "--caravan.embedded.enabled=false",
                "--caravan.aws.endpoint=http://127.0.0.1:1");

        BindValidationException invalid = findCause(failure, BindValidationException.class);
        assertThat(invalid).as("failure %s", failure).isNotNull();
        assertThat(invalid.getValidationErrors().getAllErrors())
                .anySatisfy(error -> assertThat(error.toString()).contains("caravan.storage.bucket")
                        .contains("must name the S3 bucket"));
    }

    private static Throwable start(String... args) {
        SpringApplication app = new SpringApplication(CaravanApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--spring.main.banner-mode=off";
        all[args.length + 1] = "--logging.level.root=OFF";
        Throwable failure = catchThrowable(() -> app.run(all).close());
        assertThat(failure).as("the app must not start").isNotNull();
        return failure;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        Throwable current = failure;
        while (current != null) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            current = current.getCause();
        }
        return null;
    }
}
