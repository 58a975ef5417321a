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

/**
 * Every route declared in routes.yaml and library.yaml, written out or made from the job-step template, loads, keeps its id and
 * starts; a broken routes.yaml fails the build here.
 */
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
    void routesOptIntoTheDeclaredErrorHandling() throws Exception {
        assertThat(camel.getRoute("stt-call").getConfigurationId()).isEqualTo("stt-retry");
        assertThat(camel.getRoute("job-webhook").getConfigurationId()).isEqualTo("webhook-retry");
        for (String id : List.of("image-on-demand", "image-thumbor")) {
            assertThat(camel.getRoute(id).getConfigurationId()).as(id).isEqualTo("api-errors");
        }
        // every worker is the same template, and so handles failures the same way
        List<String> steps = templatedRouteIds();
        assertThat(steps).contains("image-probe", "media-probe", "media-transcode", "media-thumbnails",
                "media-audio", "media-stt", "image-task");
        for (String id : steps) {
            assertThat(camel.getRoute(id).getProperties()).as(id).containsEntry("template", "true")
                    .containsEntry("description", camel.getRoute("media-probe").getDescription());
        }
    }

    private static List<String> declaredRouteIds() throws Exception {
        List<String> ids = new ArrayList<>(ids("route", "id"));
        ids.addAll(templatedRouteIds());
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        return ids;
    }

    private static List<String> templatedRouteIds() throws Exception {
        return ids("templatedRoute", "routeId");
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(String kind, String idKey) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String file : List.of("/routes.yaml", "/library.yaml")) {
            try (InputStream in = RoutesContextTest.class.getResourceAsStream(file)) {
                List<Map<String, Object>> entries = new Yaml().load(in);
                for (Map<String, Object> entry : entries) {
                    if (entry.get(kind) instanceof Map<?, ?> map) {
                        ids.add((String) ((Map<String, Object>) map).get(idKey));
                    }
                }
            }
        }
        return ids;
    }
}
