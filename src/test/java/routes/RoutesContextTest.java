package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.yaml.snakeyaml.Yaml;
import routes.support.CaravanTestSupport;

/** Every route declared in routes.yaml loads, keeps its id and starts; a broken routes.yaml fails the build here. */
class RoutesContextTest extends CaravanTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void everyYamlRouteIsLoadedAndStarted() throws Exception {
        List<String> declared = declaredRouteIds();
        assertThat(declared).contains("event-publish", "event-log");
        for (String id : declared) {
            assertThat(camel.getRoute(id)).as("route %s", id).isNotNull();
            assertThat(camel.getRouteController().getRouteStatus(id)).as("status of %s", id)
                    .isEqualTo(ServiceStatus.Started);
        }
        assertThat(camel.getRoutes()).extracting(r -> r.getRouteId()).containsAll(declared);
    }

    @Test
    void routesOptIntoTheDeclaredRetryConfiguration() {
        assertThat(camel.getRoute("event-log").getConfigurationId()).isEqualTo("transient-retry");
    }

    @SuppressWarnings("unchecked")
    private static List<String> declaredRouteIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (InputStream in = RoutesContextTest.class.getResourceAsStream("/routes.yaml")) {
            List<Map<String, Object>> entries = new Yaml().load(in);
            for (Map<String, Object> entry : entries) {
                Object route = entry.get("route");
                if (route instanceof Map<?, ?> map) {
                    ids.add((String) ((Map<String, Object>) map).get("id"));
                }
            }
        }
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        return ids;
    }
}
