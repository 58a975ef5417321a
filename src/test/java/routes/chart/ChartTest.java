package routes.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static routes.chart.Manifests.container;
import static routes.chart.Manifests.env;
import static routes.chart.Manifests.list;
import static routes.chart.Manifests.map;
import static routes.chart.Manifests.mount;
import static routes.chart.Manifests.name;
import static routes.chart.Manifests.podAnnotations;
import static routes.chart.Manifests.selector;
import static routes.chart.Manifests.volume;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart (helm/caravan), linted and rendered in process, with its default values, a production-like values
 * file (src/test/resources/chart/production-values.yaml), the demo and bad values. Every rendered manifest is also
 * checked structurally ({@link Manifests}) and, for the core kinds, against the Kubernetes API schema of its kind
 * ({@link KubernetesSchemas}).
 */
class ChartTest {

    /** The worker queues the chart deploys by default, one worker Deployment each. */
    static final Set<String> DEFAULT_QUEUES = Set.of("caravan-image-probe", "caravan-probe", "caravan-transcode",
            "caravan-thumbnails", "caravan-cover", "caravan-audio", "caravan-stt", "caravan-image-tasks",
            "caravan-render-tasks", "caravan-webhooks", "caravan-usage");

    @TempDir
    Path work;

    // ---- lint and schema

    @Test
    void lintPassesStrictWithDefaultValues() {
        assertLintPasses(Chart.lint());
    }

    @Test
    void lintPassesStrictWithProductionValues() {
        assertLintPasses(Chart.lint(work, Chart.readYaml(Chart.PRODUCTION_VALUES)));
    }

    @Test
    void lintPassesStrictInDemoMode() {
        assertLintPasses(Chart.lint(work, Map.of("demo", true, "demoPersistence", Map.of("enabled", true))));
    }

    @Test
    void lintFailsWhenTheSchemaRejectsTheValues() {
        LintResult result = Chart.lint(work, Map.of("api", Map.of("replicaCount", "many")));
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicaCount");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "replicaCount: many",                                  // unknown top-level key
        "api: {replicaCount: many}",                           // wrong type
        "api: {replicas: 3}",                                  // unknown nested key
        "image: {pullPolicy: Sometimes}",                      // not in the enum
        "keda: {authentication: accessKeys}",                  // not in the enum
        "workers: {caravan-extra: {enabled: true}}",           // a worker without its required settings
        "workers: {caravan-probe: {targetQueueLength: 0}}",    // below the minimum
        "extraRoutes: {routes.yaml: '- route: {}'}",           // would replace the chart's own routes
        "extraRoutes: {notes.txt: '- route: {}'}",             // not a .yaml file, so Camel would not load it
        "config: {bucket: Not_A_Bucket}",                      // not an S3 bucket name
        "service: {type: ExternalName}",                       // not in the enum
        "keda: {queueUrlPrefix: 'sqs/queues'}",                // not a URL prefix
        "config: {libraryEngine: elastic}",                    // not a library engine
    })
    void templateFailsOnValuesTheSchemaRejects(String yaml) {
        Path bad = Chart.values(work, yaml);
        assertThatThrownBy(() -> Chart.render(bad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema");
    }

    // ---- default values

    @Test
    void defaultValuesRenderAnApiAndAWorkerPerQueueWithActuatorProbes() {
        Chart.Rendered rendered = Chart.render();
        assertValid(rendered);

        List<Map<String, Object>> api = rendered.deploymentsWithRole("api");
        List<Map<String, Object>> workers = rendered.deploymentsWithRole("worker");
        assertThat(api).hasSize(1);
        assertThat(workers).hasSize(DEFAULT_QUEUES.size());
        assertThat(rendered.ofKind("Deployment")).hasSize(1 + DEFAULT_QUEUES.size());
        assertThat(workers).extracting(w -> env(w).get("CARAVAN_WORKER_QUEUES"))
                .containsExactlyInAnyOrderElementsOf(DEFAULT_QUEUES);
        assertThat(map(api.get(0), "spec").get("replicas")).isEqualTo(2);
        workers.forEach(w -> assertThat(map(w, "spec").get("replicas")).isEqualTo(1));
        // workers start without the C2 compiler (their work is native: ffmpeg, ONNX Runtime, image codecs)
        workers.forEach(w -> assertThat(env(w)).containsEntry("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1"));
        assertThat(env(api.get(0))).doesNotContainKey("JAVA_TOOL_OPTIONS");
        assertThat(Chart.render(Chart.values(work, "worker: {jvmOptions: \"\"}")).deploymentsWithRole("worker"))
                .allSatisfy(w -> assertThat(env(w)).doesNotContainKey("JAVA_TOOL_OPTIONS"));

        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            Map<String, Object> container = container(deployment);
            assertThat(map(container, "livenessProbe", "httpGet"))
                    .containsEntry("path", "/actuator/health/liveness").containsEntry("port", "http");
            assertThat(map(container, "readinessProbe", "httpGet"))
                    .containsEntry("path", "/actuator/health/readiness").containsEntry("port", "http");
            assertThat(list(container, "ports")).singleElement()
                    .satisfies(p -> assertThat(p).containsEntry("name", "http").containsEntry("containerPort", 8080));
            assertThat(container.get("resources")).isEqualTo(Map.of());
            assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(map(deployment, "spec", "template", "spec", "securityContext"))
                    .containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
            assertThat(volume(deployment, "tmp")).containsKey("emptyDir");
            assertThat(mount(deployment, "tmp")).containsEntry("mountPath", "/tmp");
            Map<String, String> env = env(deployment);
            assertThat(env).containsEntry("CARAVAN_EMBEDDED_ENABLED", "false")
                    .containsEntry("CARAVAN_AWS_REGION", "us-east-1")
                    .containsEntry("CARAVAN_STORAGE_BUCKET", "caravan-media")
                    .containsEntry("CARAVAN_MESSAGING_TOPIC", "caravan-events")
                    .containsEntry("CARAVAN_TABLES_JOBS", "caravan-jobs")
                    .containsEntry("CARAVAN_TABLES_ASSETS", "caravan-assets");
        }
        assertThat(rendered.ofKind("ScaledObject")).isEmpty();
        assertThat(rendered.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(rendered.ofKind("Ingress")).isEmpty();
        assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void noSelectorContainsTheChartLabelAndNoTwoDeploymentsSelectTheSamePods() {
        for (Chart.Rendered rendered : List.of(Chart.render(), Chart.render(Chart.PRODUCTION_VALUES),
                Chart.render(Chart.values(work, "demo: true")))) {
            for (Map<String, Object> manifest : rendered.manifests()) {
                assertThat(selector(manifest)).doesNotContainKey("helm.sh/chart");
                assertThat(map(manifest, "spec", "selector")).doesNotContainKey("helm.sh/chart");
            }
            for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
                assertThat(Manifests.podTemplatesSelectedBy(selector(deployment), rendered.manifests()))
                        .as("Deployments whose pods %s selects", name(deployment)).singleElement()
                        .isSameAs(deployment);
            }
        }
    }

    @Test
    void theServiceSelectsTheApiPodsOnly() {
        Chart.Rendered rendered = Chart.render();
        Map<String, Object> service = rendered.get("Service", "media-caravan");
        assertThat(map(service, "spec")).containsEntry("type", "ClusterIP");
        assertThat(list(map(service, "spec"), "ports")).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("port", 8080).containsEntry("targetPort", "http"));
        assertThat(Manifests.podTemplatesSelectedBy(map(service, "spec", "selector"), rendered.manifests()))
                .singleElement().isEqualTo(rendered.deploymentsWithRole("api").get(0));
    }

    @Test
    void rolesCanBeDisabled() {
        Chart.Rendered noApi = Chart.render(Chart.values(work, "api: {enabled: false}"));
        assertValid(noApi);
        assertThat(noApi.deploymentsWithRole("api")).isEmpty();
        assertThat(noApi.ofKind("Service")).isEmpty();
        assertThat(noApi.deploymentsWithRole("worker")).hasSize(DEFAULT_QUEUES.size());

        Chart.Rendered noWorkers = Chart.render(Chart.values(work, "worker: {enabled: false}\nkeda: {enabled: true}"));
        assertValid(noWorkers);
        assertThat(noWorkers.deploymentsWithRole("worker")).isEmpty();
        assertThat(noWorkers.ofKind("ScaledObject")).isEmpty();
        assertThat(noWorkers.deploymentsWithRole("api")).hasSize(1);

        Chart.Rendered lessWorkers = Chart.render(Chart.values(work, """
                workers:
                  caravan-stt: {enabled: false}
                  caravan-audio: null
                """));
        assertThat(lessWorkers.deploymentsWithRole("worker")).extracting(w -> env(w).get("CARAVAN_WORKER_QUEUES"))
                .containsExactlyInAnyOrder("caravan-image-probe", "caravan-probe", "caravan-transcode",
                        "caravan-thumbnails", "caravan-cover", "caravan-image-tasks", "caravan-render-tasks",
                        "caravan-webhooks", "caravan-usage");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyQueueAJobStepOrAWebhookIsTakenFromHasAWorkerByDefault() throws Exception {
        // the webhooks' queue and the usage lake's (library.yaml) are read by routes of their own
        List<String> consumed = new java.util.ArrayList<>(List.of("caravan-webhooks", "caravan-usage"));
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("src/main/resources/routes.yaml"))) {
            List<Map<String, Object>> entries = new org.yaml.snakeyaml.Yaml().load(in);
            for (Map<String, Object> entry : entries) {
                if (entry.get("templatedRoute") instanceof Map<?, ?> templated) {
                    for (Map<String, Object> parameter : (List<Map<String, Object>>) templated.get("parameters")) {
                        if ("queue".equals(parameter.get("name"))) {
                            consumed.add((String) parameter.get("value"));
                        }
                    }
                }
            }
        }
        assertThat(consumed).hasSizeGreaterThan(5);
        assertThat(enabledWorkers(Chart.DIR.resolve("values.yaml")).keySet()).containsAll(consumed);
    }

    // ---- routes

    @Test
    void theRoutesCopyInTheChartIsTheAppsRoutesFile() throws IOException {
        assertSameBytes(Files.readAllBytes(Chart.DIR.resolve("files/routes/routes.yaml")),
                Files.readAllBytes(Chart.ROUTES_SOURCE),
                "helm/caravan/files/routes/routes.yaml must be a copy of src/main/resources/routes.yaml;"
                        + " copy it again after changing the routes");
        assertSameBytes(Files.readAllBytes(Chart.DIR.resolve("files/routes/library.yaml")),
                Files.readAllBytes(Chart.ROUTES_SOURCE.resolveSibling("library.yaml")),
                "helm/caravan/files/routes/library.yaml must be a copy of src/main/resources/library.yaml");
    }

    @Test
    void theRoutesConfigMapHoldsRoutesYamlByteForByteAndEveryPodMountsIt() throws IOException {
        Chart.Rendered rendered = Chart.render();
        Map<String, Object> configMap = rendered.get("ConfigMap", "media-caravan-routes");
        Object routes = map(configMap, "data").get("routes.yaml");
        assertThat(routes).isInstanceOf(String.class);
        // the Camel placeholders ({{caravan.storage.bucket}} ...) must reach the pods unrendered
        assertSameBytes(((String) routes).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(Chart.ROUTES_SOURCE),
                "routes.yaml in the ConfigMap must be src/main/resources/routes.yaml as it is");
        assertThat((String) routes).contains("{{caravan.storage.bucket}}");
        try (Stream<Path> files = Files.list(Chart.DIR.resolve("files/routes"))) {
            assertThat(map(configMap, "data").keySet()).containsExactlyInAnyOrderElementsOf(
                    files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).toList());
        }

        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            assertThat(map(volume(deployment, "routes"), "configMap")).containsEntry("name", "media-caravan-routes");
            assertThat(mount(deployment, "routes")).containsEntry("mountPath", "/etc/caravan/routes")
                    .containsEntry("readOnly", true);
            assertThat(env(deployment))
                    .containsEntry("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:/etc/caravan/routes/*.yaml");
            assertThat((String) podAnnotations(deployment).get("checksum/routes")).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void theLibraryEngineAndItsOpenSearchClusterReachEveryPod() {
        for (Map<String, Object> deployment : Chart.render().ofKind("Deployment")) {
            assertThat(env(deployment)).containsEntry("CARAVAN_LIBRARY_ENGINE", "lucene")
                    .containsEntry("CARAVAN_LIBRARY_OPENSEARCH_INDEX", "caravan-library")
                    .doesNotContainKeys("CARAVAN_LIBRARY_OPENSEARCH_ENDPOINT", "CARAVAN_LIBRARY_OPENSEARCH_AWS_REGION");
        }
        Chart.Rendered onOpenSearch = Chart.render(Chart.values(work, """
                config:
                  libraryEngine: opensearch
                  libraryOpensearchEndpoint: https://search-caravan.eu-west-1.es.amazonaws.com
                  libraryOpensearchAwsRegion: eu-west-1
                """));
        for (Map<String, Object> deployment : onOpenSearch.ofKind("Deployment")) {
            assertThat(env(deployment)).containsEntry("CARAVAN_LIBRARY_ENGINE", "opensearch")
                    .containsEntry("CARAVAN_LIBRARY_OPENSEARCH_ENDPOINT",
                            "https://search-caravan.eu-west-1.es.amazonaws.com")
                    .containsEntry("CARAVAN_LIBRARY_OPENSEARCH_AWS_REGION", "eu-west-1");
        }
    }

    @Test
    void extraRoutesJoinTheConfigMapUnrenderedAndAChangeRollsThePods() {
        String extra = """
                - route:
                    id: operator-audit
                    from:
                      uri: "timer:audit?period={{caravan.audit.period:60000}}"
                      steps:
                        - log: "audit of ${header.CamelTimerCounter} in {{caravan.storage.bucket}}"
                """;
        Chart.Rendered base = Chart.render();
        Chart.Rendered withExtra = Chart.render(Chart.values(work, extraRoutes("audit.yaml", extra)));
        Chart.Rendered withExtraAgain = Chart.render(Chart.values(work, extraRoutes("audit.yaml", extra)));
        Chart.Rendered withExtraChanged = Chart.render(Chart.values(work,
                extraRoutes("audit.yaml", extra.replace("60000", "30000"))));
        assertValid(withExtra);

        Map<String, Object> data = map(withExtra.get("ConfigMap", "media-caravan-routes"), "data");
        assertThat(data).containsEntry("audit.yaml", extra).containsKey("routes.yaml");

        String baseChecksum = checksumOfAllPods(base);
        String extraChecksum = checksumOfAllPods(withExtra);
        assertThat(extraChecksum).isNotEqualTo(baseChecksum);
        assertThat(checksumOfAllPods(withExtraAgain)).isEqualTo(extraChecksum);
        assertThat(checksumOfAllPods(withExtraChanged)).isNotEqualTo(extraChecksum).isNotEqualTo(baseChecksum);
    }

    // ---- production-like values

    @Test
    void productionValuesRenderAScaledObjectPerEnabledWorkerQueue() {
        Chart.Rendered rendered = Chart.render(Chart.PRODUCTION_VALUES);
        assertValid(rendered);
        Map<String, Map<String, Object>> workers = enabledWorkers(Chart.PRODUCTION_VALUES);
        assertThat(workers.keySet()).contains("caravan-events-log").doesNotContain("caravan-stt");

        List<Map<String, Object>> scaledObjects = rendered.ofKind("ScaledObject");
        assertThat(scaledObjects).hasSize(workers.size());
        Map<String, Map<String, Object>> deploymentsByQueue = rendered.deploymentsWithRole("worker").stream()
                .collect(Collectors.toMap(d -> env(d).get("CARAVAN_WORKER_QUEUES"), d -> d));
        assertThat(deploymentsByQueue.keySet()).isEqualTo(workers.keySet());

        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> scaledObject : scaledObjects) {
            String target = (String) map(scaledObject, "spec", "scaleTargetRef").get("name");
            targets.add(target);
            Map<String, Object> deployment = rendered.get("Deployment", target);
            String queue = env(deployment).get("CARAVAN_WORKER_QUEUES");
            Map<String, Object> worker = workers.get(queue);
            assertThat(map(deployment, "spec")).as("KEDA owns the replicas of %s", target)
                    .doesNotContainKey("replicas");
            assertThat(env(deployment)).containsEntry("CARAVAN_ROLE", "worker")
                    .containsEntry("CARAVAN_WORKER_CONCURRENCY", String.valueOf(worker.get("concurrency")));

            Map<String, Object> trigger = list(map(scaledObject, "spec"), "triggers").get(0);
            assertThat(list(map(scaledObject, "spec"), "triggers")).hasSize(1);
            assertThat(trigger).containsEntry("type", "aws-sqs-queue");
            assertThat(map(trigger, "metadata"))
                    .containsEntry("queueURL", "https://sqs.eu-west-1.amazonaws.com/123456789012/" + queue)
                    .containsEntry("queueLength", String.valueOf(worker.get("targetQueueLength")))
                    .containsEntry("awsRegion", "eu-west-1")
                    .doesNotContainKey("identityOwner");
            assertThat(map(trigger, "authenticationRef")).containsEntry("name", "media-caravan-keda-aws");
            assertThat(map(scaledObject, "spec")).containsEntry("minReplicaCount", 0)
                    .containsEntry("maxReplicaCount", worker.getOrDefault("maxReplicas", 8));
        }
        assertThat(targets).hasSize(workers.size());
        assertThat(map(rendered.get("TriggerAuthentication", "media-caravan-keda-aws"), "spec", "podIdentity"))
                .containsEntry("provider", "aws").containsEntry("identityOwner", "workload");

        Map<String, Object> transcode = deploymentsByQueue.get("caravan-transcode");
        assertThat(map(container(transcode), "resources", "requests")).containsEntry("cpu", "3");
        assertThat(map(container(deploymentsByQueue.get("caravan-probe")), "resources", "requests"))
                .containsEntry("cpu", "1");
    }

    @Test
    void productionValuesRenderTheHpaPdbsIngressServiceMonitorAndIrsa() {
        Chart.Rendered rendered = Chart.render(Chart.PRODUCTION_VALUES);
        Map<String, Object> api = rendered.deploymentsWithRole("api").get(0);
        assertThat(map(api, "spec")).doesNotContainKey("replicas");

        Map<String, Object> hpa = rendered.get("HorizontalPodAutoscaler", "media-caravan-api");
        assertThat(hpa).containsEntry("apiVersion", "autoscaling/v2");
        assertThat(map(hpa, "spec", "scaleTargetRef")).containsEntry("name", name(api));
        assertThat(map(hpa, "spec")).containsEntry("minReplicas", 3).containsEntry("maxReplicas", 12);
        assertThat(map(list(map(hpa, "spec"), "metrics").get(0), "resource"))
                .containsEntry("name", "cpu")
                .containsEntry("target", Map.of("type", "Utilization", "averageUtilization", 65));

        // one PodDisruptionBudget for the API and one per worker Deployment
        assertThat(rendered.ofKind("PodDisruptionBudget")).hasSize(1 + rendered.deploymentsWithRole("worker").size());

        Map<String, Object> ingress = rendered.get("Ingress", "media-caravan");
        assertThat(map(ingress, "spec")).containsEntry("ingressClassName", "nginx");
        assertThat(list(map(ingress, "spec"), "rules").get(0)).containsEntry("host", "media.example.com");

        Map<String, Object> monitor = rendered.get("ServiceMonitor", "media-caravan");
        assertThat(map(monitor, "metadata", "labels")).containsEntry("release", "prometheus");
        assertThat(list(map(monitor, "spec"), "endpoints")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("path", "/actuator/prometheus"));
        Map<String, Object> metrics = rendered.get("Service", "media-caravan-metrics");
        assertThat(Manifests.podTemplatesSelectedBy(map(metrics, "spec", "selector"), rendered.manifests()))
                .hasSameSizeAs(rendered.ofKind("Deployment"));

        Map<String, Object> serviceAccount = rendered.get("ServiceAccount", "media-caravan");
        assertThat(map(serviceAccount, "metadata", "annotations"))
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/caravan-prod");

        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            assertThat(map(deployment, "spec", "template", "spec"))
                    .containsEntry("serviceAccountName", "media-caravan");
            // secrets by reference only
            assertThat(list(container(deployment), "envFrom"))
                    .contains(Map.of("secretRef", Map.of("name", "caravan-secrets")));
            assertThat(env(deployment)).doesNotContainKey("CARAVAN_WEBHOOKS_SECRET")
                    .containsEntry("CARAVAN_AWS_PROVISION", "false")
                    .containsEntry("CARAVAN_STORAGE_BUCKET", "acme-media-prod");
            assertThat(map(volume(deployment, "tmp"), "emptyDir")).containsEntry("sizeLimit", "20Gi");
        }
        assertThat(rendered.ofKind("Secret")).isEmpty();
    }

    @Test
    void kedaCanUseTheOperatorsOwnIdentity() {
        Chart.Rendered rendered = Chart.render(Chart.values(work, """
                keda:
                  enabled: true
                  authentication: operator
                  awsRegion: eu-central-1
                workers:
                  caravan-webhooks: {enabled: true, replicas: 1, concurrency: 2, targetQueueLength: 7, minReplicas: 1}
                """));
        assertValid(rendered);
        assertThat(rendered.ofKind("TriggerAuthentication")).isEmpty();
        assertThat(rendered.ofKind("ScaledObject")).hasSize(DEFAULT_QUEUES.size());
        for (Map<String, Object> scaledObject : rendered.ofKind("ScaledObject")) {
            Map<String, Object> trigger = list(map(scaledObject, "spec"), "triggers").get(0);
            assertThat(map(trigger, "metadata")).containsEntry("identityOwner", "operator")
                    .containsEntry("awsRegion", "eu-central-1");
            assertThat(trigger).doesNotContainKey("authenticationRef");
        }
        Map<String, Object> webhooks = rendered.get("ScaledObject", "media-caravan-worker-webhooks");
        assertThat(map(list(map(webhooks, "spec"), "triggers").get(0), "metadata"))
                .containsEntry("queueURL", "caravan-webhooks").containsEntry("queueLength", "7");
        assertThat(map(webhooks, "spec")).containsEntry("minReplicaCount", 1).containsEntry("maxReplicaCount", 10);
    }

    // ---- demo

    @Test
    void demoIsOnePodWithTheEmbeddedStackAndNoAutoscaling() {
        Chart.Rendered rendered = Chart.render(Chart.values(work, """
                demo: true
                keda: {enabled: true}
                api: {autoscaling: {enabled: true}, podDisruptionBudget: {enabled: true}}
                worker: {podDisruptionBudget: {enabled: true}}
                """));
        assertValid(rendered);
        assertThat(rendered.ofKind("Deployment")).singleElement().satisfies(demo -> {
            assertThat(map(demo, "spec")).containsEntry("replicas", 1);
            assertThat(map(demo, "spec", "strategy")).containsEntry("type", "Recreate");
            assertThat(env(demo)).containsEntry("CARAVAN_ROLE", "all")
                    .containsEntry("CARAVAN_EMBEDDED_ENABLED", "true")
                    .containsEntry("CARAVAN_DATA_DIR", "/data")
                    .doesNotContainKey("CARAVAN_WORKER_QUEUES");
            assertThat(volume(demo, "data")).containsKey("emptyDir");
            assertThat(mount(demo, "data")).containsEntry("mountPath", "/data");
            assertThat((String) container(demo).get("image")).endsWith(":0.1.0-embedded");
        });
        assertThat(rendered.ofKind("ScaledObject")).isEmpty();
        assertThat(rendered.ofKind("TriggerAuthentication")).isEmpty();
        assertThat(rendered.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(Manifests.podTemplatesSelectedBy(map(rendered.get("Service", "media-caravan"), "spec", "selector"),
                rendered.manifests())).hasSize(1);
    }

    @Test
    void demoCanKeepItsDataOnAClaim() {
        Chart.Rendered rendered = Chart.render(Chart.values(work, """
                demo: true
                demoPersistence: {enabled: true, size: 2Gi}
                """));
        assertValid(rendered);
        Map<String, Object> claim = rendered.get("PersistentVolumeClaim", "media-caravan-data");
        assertThat(map(claim, "spec", "resources", "requests")).containsEntry("storage", "2Gi");
        Map<String, Object> demo = rendered.ofKind("Deployment").get(0);
        assertThat(map(volume(demo, "data"), "persistentVolumeClaim")).containsEntry("claimName", "media-caravan-data");

        Chart.Rendered existing = Chart.render(Chart.values(work, """
                demo: true
                demoPersistence: {enabled: true, existingClaim: caravan-demo-data}
                """));
        assertThat(existing.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(map(volume(existing.ofKind("Deployment").get(0), "data"), "persistentVolumeClaim"))
                .containsEntry("claimName", "caravan-demo-data");
    }

    // ---- every rendered manifest, structurally and against the Kubernetes API schema of its kind

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{}",
        "demo: true",
        "demo: true\ndemoPersistence: {enabled: true}",
        "keda: {enabled: true}\napi: {autoscaling: {enabled: true}, podDisruptionBudget: {enabled: true}}",
        "serviceMonitor: {enabled: true}\ningress: {enabled: true, hosts: [{host: '', paths: [{path: /api, pathType: Prefix}]}]}",
        "fullnameOverride: a-rather-long-release-name-for-caravan-that-nears-the-limit\nworker: {podDisruptionBudget: {enabled: true}}",
    })
    void everyRenderedManifestIsValid(String yaml) {
        assertValid(Chart.render(Chart.values(work, yaml)));
    }

    @Test
    void everyManifestOfTheProductionValuesIsValid() {
        Chart.Rendered rendered = Chart.render(Chart.PRODUCTION_VALUES);
        assertValid(rendered);
        // every core kind the production values render went through a Kubernetes schema
        assertThat(rendered.manifests().stream().filter(KubernetesSchemas::hasSchema).map(m -> (String) m.get("kind")))
                .contains("Deployment", "Service", "ServiceAccount", "ConfigMap", "Ingress", "HorizontalPodAutoscaler",
                        "PodDisruptionBudget");
        assertThat(rendered.manifests()).allSatisfy(m -> assertThat(KubernetesSchemas.hasSchema(m)
                || KubernetesSchemas.CUSTOM_TYPES.contains(m.get("apiVersion") + "/" + m.get("kind"))).isTrue());
    }

    @Test
    void theSchemaRejectsAWrongTypeAnUnknownFieldAndAMissingRequiredField() {
        Map<String, Object> api = Chart.render().deploymentsWithRole("api").get(0);
        assertThat(KubernetesSchemas.problems(api)).isEmpty();

        Map<String, Object> twoReplicas = copy(api);
        map(twoReplicas, "spec").put("replicas", "two");
        assertThat(KubernetesSchemas.problems(twoReplicas)).singleElement().asString()
                .startsWith("Deployment media-caravan-api: ").contains("$.spec.replicas").contains("integer");

        Map<String, Object> unknownField = copy(api);
        container(unknownField).put("imagePullPolicyy", "Always");
        assertThat(KubernetesSchemas.problems(unknownField)).singleElement().asString()
                .startsWith("Deployment media-caravan-api: ").contains("$.spec.template.spec.containers[0]")
                .contains("imagePullPolicyy");

        Map<String, Object> noName = copy(api);
        container(noName).remove("name");
        assertThat(KubernetesSchemas.problems(noName)).singleElement().asString()
                .contains("$.spec.template.spec.containers[0]").contains("name");

        Map<String, Object> service = copy(Chart.render().get("Service", "media-caravan"));
        list(map(service, "spec"), "ports").get(0).put("port", "http");
        assertThat(KubernetesSchemas.problems(service)).singleElement().asString()
                .startsWith("Service media-caravan: ").contains("$.spec.ports[0].port");

        Map<String, Object> wrongVersion = copy(api);
        wrongVersion.put("apiVersion", "apps/v1beta1");
        assertThat(KubernetesSchemas.problems(wrongVersion)).singleElement().asString()
                .contains("no Kubernetes schema for apps/v1beta1/Deployment");
    }

    @Test
    void theSchemaTakesIntOrStringAndQuantitiesInEitherForm() {
        Chart.Rendered rendered = Chart.render(Chart.PRODUCTION_VALUES);
        Map<String, Object> pdb = copy(rendered.ofKind("PodDisruptionBudget").get(0));
        map(pdb, "spec").put("maxUnavailable", "50%");
        assertThat(KubernetesSchemas.problems(pdb)).isEmpty();
        map(pdb, "spec").put("maxUnavailable", 1);
        assertThat(KubernetesSchemas.problems(pdb)).isEmpty();
        map(pdb, "spec").put("maxUnavailable", true);
        assertThat(KubernetesSchemas.problems(pdb)).singleElement().asString().contains("$.spec.maxUnavailable");

        Map<String, Object> api = copy(rendered.deploymentsWithRole("api").get(0));
        map(container(api), "resources", "requests").put("cpu", 1);
        assertThat(KubernetesSchemas.problems(api)).isEmpty();
        map(container(api), "resources", "requests").put("cpu", List.of("1"));
        assertThat(KubernetesSchemas.problems(api)).singleElement().asString()
                .contains("$.spec.template.spec.containers[0].resources.requests.cpu");
    }

    // ---- helpers

    private static void assertLintPasses(LintResult result) {
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    /** Byte-for-byte equality, reported as a text diff when it fails. */
    private static void assertSameBytes(byte[] actual, byte[] expected, String description) {
        if (!Arrays.equals(actual, expected)) {
            assertThat(new String(actual, StandardCharsets.UTF_8)).as(description)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            throw new AssertionError(description + " (the bytes differ, the text does not)");
        }
    }

    /** Every manifest passes the structural checks and validates against the Kubernetes schema of its kind. */
    private static void assertValid(Chart.Rendered rendered) {
        assertThat(rendered.manifests()).isNotEmpty();
        assertThat(Manifests.problems(rendered.manifests())).isEmpty();
        assertThat(KubernetesSchemas.problems(rendered.manifests())).isEmpty();
    }

    /** A deep, mutable copy of a manifest. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> manifest) {
        return (Map<String, Object>) Chart.strictYaml().load(Chart.strictYaml().dump(manifest));
    }

    private static String extraRoutes(String file, String content) {
        String indented = content.lines().map(l -> "    " + l).collect(Collectors.joining("\n", "", "\n"));
        return "extraRoutes:\n  " + file + ": |\n" + indented;
    }

    /** The checksum/routes annotation, the same on every pod template. */
    private static String checksumOfAllPods(Chart.Rendered rendered) {
        Set<Object> checksums = rendered.ofKind("Deployment").stream()
                .map(d -> podAnnotations(d).get("checksum/routes")).collect(Collectors.toSet());
        assertThat(checksums).singleElement().isInstanceOf(String.class);
        return (String) checksums.iterator().next();
    }

    /** The enabled workers of the chart's values merged with this values file. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> enabledWorkers(Path valuesFile) {
        Map<String, Object> values = Chart.merge(Chart.readYaml(Chart.DIR.resolve("values.yaml")),
                Chart.readYaml(valuesFile));
        Map<String, Map<String, Object>> enabled = new TreeMap<>();
        ((Map<String, Map<String, Object>>) values.get("workers")).forEach((queue, worker) -> {
            if (Boolean.TRUE.equals(worker.get("enabled"))) {
                enabled.put(queue, worker);
            }
        });
        return enabled;
    }
}
