package routes.config;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The embedded stack runs when it is enabled ({@code caravan.embedded.enabled}, default true), no AWS endpoint is
 * configured, and the build carries it (production builds leave it out).
 */
public class EmbeddedStackCondition implements Condition {

    public static final String STACK_CLASS = "routes.embedded.EmbeddedStack";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return active(context.getEnvironment(), context.getClassLoader());
    }

    public static boolean active(Environment environment, ClassLoader classLoader) {
        Binder binder = Binder.get(environment);
        boolean enabled = binder.bind("caravan.embedded.enabled", Boolean.class).orElse(true);
        boolean endpointConfigured = false;
        for (String key : new String[] {"endpoint", "s3-endpoint", "sqs-endpoint", "sns-endpoint", "dynamodb-endpoint"}) {
            endpointConfigured |= binder.bind("caravan.aws." + key, String.class).map(v -> !v.isBlank()).orElse(false);
        }
        return enabled && !endpointConfigured && ClassUtils.isPresent(STACK_CLASS, classLoader);
    }

    /** The opposite: Caravan talks to endpoints from settings (or AWS itself). */
    public static class Inactive implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !active(context.getEnvironment(), context.getClassLoader());
        }
    }
}
