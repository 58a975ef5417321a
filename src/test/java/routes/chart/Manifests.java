package routes.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Structural checks of rendered Kubernetes manifests, without a cluster or downloaded schemas: what every object needs
 * (apiVersion, kind, metadata.name, valid names and labels), the required fields of each kind the chart renders, and
 * the references between them (selectors, scale targets, volumes, Services, ConfigMaps, claims).
 */
final class Manifests {

    /** The (apiVersion, kind) pairs the chart may render. */
    static final Set<String> KNOWN_TYPES = Set.of(
            "v1/ConfigMap", "v1/Service", "v1/ServiceAccount", "v1/PersistentVolumeClaim",
            "apps/v1/Deployment", "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
            "networking.k8s.io/v1/Ingress", "keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication",
            "monitoring.coreos.com/v1/ServiceMonitor");

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Set<String> VOLUME_SOURCES = Set.of("emptyDir", "configMap", "secret", "persistentVolumeClaim",
            "projected", "downwardAPI");

    private Manifests() {
    }

    /** Every problem found in these manifests (one render), empty when there is none. */
    static List<String> problems(List<Map<String, Object>> manifests) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
        for (Map<String, Object> manifest : manifests) {
            String where = manifest.get("kind") + " " + name(manifest);
            Checker check = new Checker(where, problems);
            checkCommon(manifest, check);
            if (byKindAndName.put(manifest.get("kind") + "/" + name(manifest), manifest) != null) {
                check.fail("rendered twice");
            }
        }
        for (Map<String, Object> manifest : manifests) {
            Checker check = new Checker(manifest.get("kind") + " " + name(manifest), problems);
            switch (String.valueOf(manifest.get("kind"))) {
                case "Deployment" -> checkDeployment(manifest, byKindAndName, check);
                case "Service" -> checkService(manifest, manifests, check);
                case "ConfigMap" -> checkConfigMap(manifest, check);
                case "HorizontalPodAutoscaler" -> checkHpa(manifest, byKindAndName, check);
                case "PodDisruptionBudget" -> checkPdb(manifest, manifests, check);
                case "Ingress" -> checkIngress(manifest, byKindAndName, check);
                case "ScaledObject" -> checkScaledObject(manifest, byKindAndName, check);
                case "TriggerAuthentication" -> check.require(map(manifest, "spec", "podIdentity").get("provider"),
                        "spec.podIdentity.provider");
                case "ServiceMonitor" -> checkServiceMonitor(manifest, manifests, check);
                case "PersistentVolumeClaim" -> checkPvc(manifest, check);
                default -> {
                }
            }
        }
        return problems;
    }

    private static void checkCommon(Map<String, Object> manifest, Checker check) {
        Object apiVersion = manifest.get("apiVersion");
        Object kind = manifest.get("kind");
        check.isString(apiVersion, "apiVersion");
        check.isString(kind, "kind");
        check.that(KNOWN_TYPES.contains(apiVersion + "/" + kind), "unexpected type " + apiVersion + "/" + kind);
        Map<String, Object> metadata = map(manifest, "metadata");
        String name = name(manifest);
        check.that(name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches(),
                "metadata.name is not a DNS subdomain: " + name);
        if (Set.of("Service", "Deployment").contains(kind) && name != null) {
            check.that(name.length() <= 63 && DNS_LABEL.matcher(name).matches(),
                    "metadata.name is not a DNS label: " + name);
        }
        check.that(!metadata.containsKey("namespace") || metadata.get("namespace") instanceof String,
                "metadata.namespace is not a string");
        checkLabels(map(manifest, "metadata", "labels"), "metadata.labels", check);
        checkStringMap(map(manifest, "metadata", "annotations"), "metadata.annotations", check);
    }

    private static void checkDeployment(Map<String, Object> deployment, Map<String, Map<String, Object>> all,
            Checker check) {
        Map<String, Object> spec = map(deployment, "spec");
        check.that(!spec.containsKey("replicas") || spec.get("replicas") instanceof Integer,
                "spec.replicas is not an integer");
        Map<String, Object> selector = map(deployment, "spec", "selector", "matchLabels");
        check.that(!selector.isEmpty(), "spec.selector.matchLabels is empty");
        checkLabels(selector, "spec.selector.matchLabels", check);
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        checkLabels(podLabels, "spec.template.metadata.labels", check);
        check.that(podLabels.entrySet().containsAll(selector.entrySet()),
                "the pod labels do not match the selector " + selector);
        checkStringMap(map(deployment, "spec", "template", "metadata", "annotations"),
                "spec.template.metadata.annotations", check);
        Map<String, Object> podSpec = map(deployment, "spec", "template", "spec");
        List<Map<String, Object>> containers = list(podSpec, "containers");
        check.that(!containers.isEmpty(), "no containers");
        Set<String> volumes = new java.util.HashSet<>();
        for (Map<String, Object> volume : list(podSpec, "volumes")) {
            check.isString(volume.get("name"), "volume name");
            volumes.add(String.valueOf(volume.get("name")));
            long sources = volume.keySet().stream().filter(VOLUME_SOURCES::contains).count();
            check.that(sources == 1, "volume " + volume.get("name") + " needs exactly one source");
            Object configMap = volume.get("configMap");
            if (configMap instanceof Map<?, ?> ref) {
                check.that(all.containsKey("ConfigMap/" + ref.get("name")),
                        "volume " + volume.get("name") + " refers to a ConfigMap not rendered: " + ref.get("name"));
            }
            Object claim = volume.get("persistentVolumeClaim");
            if (claim instanceof Map<?, ?> ref) {
                check.isString(ref.get("claimName"), "persistentVolumeClaim.claimName");
            }
        }
        String serviceAccount = (String) podSpec.get("serviceAccountName");
        if (serviceAccount != null && !"default".equals(serviceAccount)) {
            check.that(all.containsKey("ServiceAccount/" + serviceAccount)
                    || !all.keySet().stream().anyMatch(k -> k.startsWith("ServiceAccount/")),
                    "serviceAccountName " + serviceAccount + " is not the rendered ServiceAccount");
        }
        for (Map<String, Object> container : containers) {
            check.isString(container.get("name"), "container name");
            check.isString(container.get("image"), "container image");
            Set<Object> portNames = new java.util.HashSet<>();
            for (Map<String, Object> port : list(container, "ports")) {
                Object number = port.get("containerPort");
                check.that(number instanceof Integer n && n > 0 && n < 65536, "containerPort " + number);
                if (port.get("name") != null) {
                    portNames.add(port.get("name"));
                }
            }
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> httpGet = map(container, probe, "httpGet");
                if (!httpGet.isEmpty()) {
                    Object port = httpGet.get("port");
                    check.that(port instanceof Integer || portNames.contains(port),
                            probe + " port " + port + " is not a container port");
                    check.that(String.valueOf(httpGet.get("path")).startsWith("/"), probe + " path");
                }
            }
            for (Map<String, Object> env : list(container, "env")) {
                check.isString(env.get("name"), "env name");
                boolean hasValue = env.containsKey("value");
                check.that(hasValue ^ env.containsKey("valueFrom"),
                        "env " + env.get("name") + " needs exactly one of value and valueFrom");
                check.that(!hasValue || env.get("value") instanceof String,
                        "env " + env.get("name") + " value is not a string: " + env.get("value"));
            }
            for (Map<String, Object> mount : list(container, "volumeMounts")) {
                check.that(volumes.contains(String.valueOf(mount.get("name"))),
                        "volumeMount " + mount.get("name") + " has no volume");
                check.that(String.valueOf(mount.get("mountPath")).startsWith("/"), "mountPath " + mount.get("mountPath"));
            }
            check.that(container.get("resources") == null || container.get("resources") instanceof Map,
                    "resources is not an object");
        }
    }

    private static void checkService(Map<String, Object> service, List<Map<String, Object>> all, Checker check) {
        check.that(Set.of("ClusterIP", "NodePort", "LoadBalancer").contains(map(service, "spec").get("type")),
                "spec.type");
        List<Map<String, Object>> ports = list(map(service, "spec"), "ports");
        check.that(!ports.isEmpty(), "no ports");
        for (Map<String, Object> port : ports) {
            check.that(port.get("port") instanceof Integer n && n > 0 && n < 65536, "port " + port.get("port"));
            check.require(port.get("targetPort"), "targetPort");
        }
        Map<String, Object> selector = map(service, "spec", "selector");
        check.that(!selector.isEmpty(), "spec.selector is empty");
        check.that(!podTemplatesSelectedBy(selector, all).isEmpty(), "the selector matches no pod: " + selector);
    }

    private static void checkConfigMap(Map<String, Object> configMap, Checker check) {
        Map<String, Object> data = map(configMap, "data");
        data.forEach((key, value) -> {
            check.that(CONFIG_KEY.matcher(key).matches(), "data key " + key);
            check.that(value instanceof String, "data." + key + " is not a string");
        });
    }

    private static void checkHpa(Map<String, Object> hpa, Map<String, Map<String, Object>> all, Checker check) {
        checkScaleTarget(map(hpa, "spec", "scaleTargetRef"), all, check);
        Object min = map(hpa, "spec").get("minReplicas");
        Object max = map(hpa, "spec").get("maxReplicas");
        check.that(max instanceof Integer, "spec.maxReplicas is not an integer");
        check.that(min == null || (min instanceof Integer lo && max instanceof Integer hi && lo >= 1 && lo <= hi),
                "spec.minReplicas " + min + " is not within 1.." + max);
        List<Map<String, Object>> metrics = list(map(hpa, "spec"), "metrics");
        check.that(!metrics.isEmpty(), "no metrics");
        for (Map<String, Object> metric : metrics) {
            check.isString(metric.get("type"), "metric type");
        }
    }

    private static void checkPdb(Map<String, Object> pdb, List<Map<String, Object>> all, Checker check) {
        Map<String, Object> spec = map(pdb, "spec");
        check.that(spec.containsKey("minAvailable") ^ spec.containsKey("maxUnavailable"),
                "needs exactly one of minAvailable and maxUnavailable");
        Map<String, Object> selector = map(pdb, "spec", "selector", "matchLabels");
        check.that(!selector.isEmpty(), "spec.selector.matchLabels is empty");
        check.that(podTemplatesSelectedBy(selector, all).size() == 1,
                "the selector should match the pods of exactly one Deployment: " + selector);
    }

    private static void checkIngress(Map<String, Object> ingress, Map<String, Map<String, Object>> all,
            Checker check) {
        List<Map<String, Object>> rules = list(map(ingress, "spec"), "rules");
        check.that(!rules.isEmpty(), "no rules");
        for (Map<String, Object> rule : rules) {
            List<Map<String, Object>> paths = list(map(rule, "http"), "paths");
            check.that(!paths.isEmpty(), "a rule without paths");
            for (Map<String, Object> path : paths) {
                check.that(String.valueOf(path.get("path")).startsWith("/"), "path " + path.get("path"));
                check.that(Set.of("Prefix", "Exact", "ImplementationSpecific").contains(path.get("pathType")),
                        "pathType " + path.get("pathType"));
                Map<String, Object> backend = map(path, "backend", "service");
                check.that(all.containsKey("Service/" + backend.get("name")),
                        "backend Service not rendered: " + backend.get("name"));
                Map<String, Object> port = map(backend, "port");
                check.that(port.containsKey("name") ^ port.containsKey("number"), "backend port needs name or number");
            }
        }
    }

    private static void checkScaledObject(Map<String, Object> scaledObject, Map<String, Map<String, Object>> all,
            Checker check) {
        checkScaleTarget(map(scaledObject, "spec", "scaleTargetRef"), all, check);
        Map<String, Object> spec = map(scaledObject, "spec");
        for (String field : List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
            check.that(!spec.containsKey(field) || spec.get(field) instanceof Integer, field + " is not an integer");
        }
        List<Map<String, Object>> triggers = list(spec, "triggers");
        check.that(!triggers.isEmpty(), "no triggers");
        for (Map<String, Object> trigger : triggers) {
            check.isString(trigger.get("type"), "trigger type");
            Map<String, Object> metadata = map(trigger, "metadata");
            check.that(!metadata.isEmpty(), "trigger without metadata");
            // KEDA's trigger metadata is map[string]string: a number must be quoted
            checkStringMap(metadata, "trigger metadata", check);
            Map<String, Object> auth = map(trigger, "authenticationRef");
            if (!auth.isEmpty()) {
                check.that(all.containsKey("TriggerAuthentication/" + auth.get("name")),
                        "authenticationRef to a TriggerAuthentication not rendered: " + auth.get("name"));
            }
        }
    }

    private static void checkServiceMonitor(Map<String, Object> monitor, List<Map<String, Object>> all,
            Checker check) {
        Map<String, Object> selector = map(monitor, "spec", "selector", "matchLabels");
        check.that(!selector.isEmpty(), "spec.selector.matchLabels is empty");
        List<Map<String, Object>> services = all.stream().filter(m -> "Service".equals(m.get("kind")))
                .filter(s -> map(s, "metadata", "labels").entrySet().containsAll(selector.entrySet())).toList();
        check.that(services.size() == 1, "the selector should match exactly one Service, matches " + services.size());
        List<Map<String, Object>> endpoints = list(map(monitor, "spec"), "endpoints");
        check.that(!endpoints.isEmpty(), "no endpoints");
        for (Map<String, Object> endpoint : endpoints) {
            check.that(endpoint.containsKey("port") || endpoint.containsKey("targetPort"), "endpoint without port");
            services.forEach(s -> check.that(list(map(s, "spec"), "ports").stream()
                    .anyMatch(p -> java.util.Objects.equals(endpoint.get("port"), p.get("name"))),
                    "endpoint port " + endpoint.get("port") + " is not a port of " + name(s)));
        }
    }

    private static void checkPvc(Map<String, Object> pvc, Checker check) {
        check.that(!list(map(pvc, "spec"), "accessModes").isEmpty(), "no accessModes");
        check.isString(map(pvc, "spec", "resources", "requests").get("storage"), "spec.resources.requests.storage");
    }

    private static void checkScaleTarget(Map<String, Object> target, Map<String, Map<String, Object>> all,
            Checker check) {
        check.that("apps/v1".equals(target.get("apiVersion")) && "Deployment".equals(target.get("kind")),
                "scaleTargetRef is not an apps/v1 Deployment");
        check.that(all.containsKey("Deployment/" + target.get("name")),
                "scaleTargetRef to a Deployment not rendered: " + target.get("name"));
    }

    private static void checkLabels(Map<String, Object> labels, String where, Checker check) {
        labels.forEach((key, value) -> {
            String name = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
            String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
            check.that(name.length() <= 63 && LABEL_NAME.matcher(name).matches()
                    && (prefix == null || DNS_SUBDOMAIN.matcher(prefix).matches()), where + " key " + key);
            check.that(value instanceof String s && s.length() <= 63 && LABEL_VALUE.matcher(s).matches(),
                    where + " value of " + key + ": " + value);
        });
    }

    private static void checkStringMap(Map<String, Object> map, String where, Checker check) {
        map.forEach((key, value) -> check.that(value instanceof String, where + "." + key + " is not a string: " + value));
    }

    /** The Deployments whose pod labels this selector matches. */
    static List<Map<String, Object>> podTemplatesSelectedBy(Map<String, Object> selector,
            List<Map<String, Object>> manifests) {
        return manifests.stream().filter(m -> "Deployment".equals(m.get("kind")))
                .filter(d -> map(d, "spec", "template", "metadata", "labels").entrySet()
                        .containsAll(selector.entrySet()))
                .toList();
    }

    static String name(Map<String, Object> manifest) {
        Object name = map(manifest, "metadata").get("name");
        return name instanceof String s ? s : null;
    }

    /** The nested map at this path, empty when absent. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> from, String... path) {
        Object current = from;
        for (String key : path) {
            if (!(current instanceof Map)) {
                return Map.of();
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current instanceof Map ? (Map<String, Object>) current : Map.of();
    }

    /** The list of maps under this key, empty when absent. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> from, String key) {
        Object value = from.get(key);
        return value instanceof List ? (List<Map<String, Object>>) value : List.of();
    }

    /** The pod spec's first (only) container. */
    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = list(map(deployment, "spec", "template", "spec"), "containers");
        if (containers.size() != 1) {
            throw new AssertionError(name(deployment) + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    /** The container's env as name -> value (valueFrom entries as null). */
    static Map<String, String> env(Map<String, Object> deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        list(container(deployment), "env").forEach(e -> env.put((String) e.get("name"), (String) e.get("value")));
        return env;
    }

    static Map<String, Object> podAnnotations(Map<String, Object> deployment) {
        return map(deployment, "spec", "template", "metadata", "annotations");
    }

    static Map<String, Object> selector(Map<String, Object> manifest) {
        return map(manifest, "spec", "selector", "matchLabels");
    }

    /** The pod volume of this name. */
    static Map<String, Object> volume(Map<String, Object> deployment, String name) {
        return list(map(deployment, "spec", "template", "spec"), "volumes").stream()
                .filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name(deployment) + " has no volume " + name));
    }

    /** The container's mount of this volume. */
    static Map<String, Object> mount(Map<String, Object> deployment, String volume) {
        return list(container(deployment), "volumeMounts").stream().filter(m -> volume.equals(m.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError(name(deployment) + " does not mount " + volume));
    }

    private record Checker(String where, List<String> problems) {

        void that(boolean condition, String problem) {
            if (!condition) {
                fail(problem);
            }
        }

        void fail(String problem) {
            problems.add(where + ": " + problem);
        }

        void isString(Object value, String what) {
            that(value instanceof String s && !s.isEmpty(), what + " is missing or not a string");
        }

        void require(Object value, String what) {
            that(value != null, what + " is missing");
        }
    }
}
