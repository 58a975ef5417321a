package routes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Roles become the switches the routes read. */
class RoleSettingsTest {

    private MockEnvironment environment(String role, String queues, String concurrency) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("caravan.messaging.queues[0].name", "caravan-probe")
                .withProperty("caravan.messaging.queues[1].name", "caravan-stt");
        if (role != null) {
            environment.setProperty("caravan.role", role);
        }
        if (queues != null) {
            environment.setProperty("caravan.worker.queues", queues);
        }
        if (concurrency != null) {
            environment.setProperty("caravan.worker.concurrency", concurrency);
        }
        new RoleSettings().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void allRunsEverything() {
        MockEnvironment env = environment(null, null, null);
        assertThat(env.getProperty("caravan.routes.api")).isEqualTo("true");
        assertThat(env.getProperty("caravan.routes.queue.caravan-probe")).isEqualTo("true");
        assertThat(env.getProperty("caravan.routes.queue.caravan-stt")).isEqualTo("true");
    }

    @Test
    void anApiPodConsumesNoQueue() {
        MockEnvironment env = environment("api", null, null);
        assertThat(env.getProperty("caravan.routes.api")).isEqualTo("true");
        assertThat(env.getProperty("caravan.routes.queue.caravan-probe")).isEqualTo("false");
    }

    @Test
    void aWorkerForOneQueueConsumesOnlyThatOne() {
        MockEnvironment env = environment("worker", "caravan-stt", "3");
        assertThat(env.getProperty("caravan.routes.api")).isEqualTo("false");
        assertThat(env.getProperty("caravan.routes.queue.caravan-probe")).isEqualTo("false");
        assertThat(env.getProperty("caravan.routes.queue.caravan-stt")).isEqualTo("true");
        assertThat(env.getProperty("caravan.worker.concurrency.caravan-stt")).isEqualTo("3");
    }

    @Test
    void anUnknownRoleStopsTheStart() {
        assertThatThrownBy(() -> environment("everything", null, null)).isInstanceOf(StartupCheckException.class)
                .hasMessageStartingWith("caravan.role:");
    }
}
