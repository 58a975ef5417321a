package routes.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * One image, several roles ({@code caravan.role}): {@code api} serves HTTP, {@code worker} consumes queues,
 * {@code all} (the default) does both. A worker can be narrowed to some queues ({@code caravan.worker.queues},
 * comma-separated) with one concurrency for them ({@code caravan.worker.concurrency}). This turns them into the
 * switches the routes read: {@code caravan.routes.api} and {@code caravan.routes.queue.<queue>} (their
 * {@code autoStartup}) and {@code caravan.worker.concurrency.<queue>}, for the pipeline's queues
 * ({@code caravan.pipeline.steps}) and the others ({@code caravan.messaging.queues}).
 */
public class RoleSettings implements EnvironmentPostProcessor {

    public static final List<String> ROLES = List.of("all", "api", "worker");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        String role = binder.bind("caravan.role", String.class).orElse("all").trim().toLowerCase(Locale.ROOT);
        if (!ROLES.contains(role)) {
            throw new StartupCheckException("caravan.role", "is '" + role + "'; it must be one of " + ROLES, null);
        }
        List<String> only = binder.bind("caravan.worker.queues", String.class)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        Integer concurrency = binder.bind("caravan.worker.concurrency", Integer.class).orElse(null);
        List<String> queues = new ArrayList<>();
        binder.bind("caravan.pipeline.steps", Bindable.mapOf(String.class, CaravanProperties.PipelineStep.class))
                .orElse(Map.of()).forEach((step, spec) -> queues.add(spec.queueOf(step)));
        binder.bind("caravan.messaging.queues", Bindable.listOf(Map.class)).orElse(List.of())
                .forEach(q -> queues.add(String.valueOf(q.get("name"))));

        Map<String, Object> switches = new HashMap<>();
        boolean api = !role.equals("worker");
        boolean worker = !role.equals("api");
        switches.put("caravan.routes.api", Boolean.toString(api));
        for (String queue : queues) {
            switches.put("caravan.routes.queue." + queue, Boolean.toString(worker && (only.isEmpty() || only.contains(queue))));
            if (concurrency != null && !environment.containsProperty("caravan.worker.concurrency." + queue)) {
                switches.put("caravan.worker.concurrency." + queue, concurrency.toString());
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource("caravan-role", switches));
    }
}
