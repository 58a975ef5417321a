package routes.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation of rendered manifests against the Kubernetes API schema of their kind, strictly (an unknown field is an
 * error, as with {@code kubectl apply --validate=strict}).
 *
 * <p>The schemas come from the Kubernetes 1.34 API types of the official Java client, {@code io.kubernetes:client-java-api}
 * 25.0.0, which is generated from the Kubernetes OpenAPI spec: each model class keeps the spec's property names (its
 * {@code @SerializedName}s), its required properties ({@code openapiRequiredFields}) and its property types. They are
 * turned into one JSON schema (2020-12) per kind, every object closed to properties the spec does not name, and checked
 * with the networknt validator. Numbers the spec types as int-or-string and quantities take either form, as the API
 * server does; null values are dropped before validation, as the API server drops them.
 *
 * <p>The custom resources the chart renders (KEDA's ScaledObject and TriggerAuthentication, prometheus-operator's
 * ServiceMonitor) have no schema here: no package served to this build carries their CRDs at the versions the chart
 * targets, so they keep the structural checks of {@link Manifests} only.
 */
final class KubernetesSchemas {

    /** The model class of each core (apiVersion/kind) the chart renders or may render. */
    static final Map<String, Class<?>> CORE_TYPES = Map.of(
            "apps/v1/Deployment", V1Deployment.class,
            "v1/Service", V1Service.class,
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class);

    /** Custom resources: checked structurally ({@link Manifests}), not against a schema. */
    static final Set<String> CUSTOM_TYPES = Set.of("keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication", "monitoring.coreos.com/v1/ServiceMonitor");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private KubernetesSchemas() {
    }

    /**
     * The schema errors of each manifest of a core kind, as {@code "Kind name: $.path: message"}; a manifest of a kind
     * that is neither core nor a known custom resource is an error too. Empty when every manifest validates.
     */
    static List<String> problems(List<Map<String, Object>> manifests) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> manifest : manifests) {
            problems.addAll(problems(manifest));
        }
        return problems;
    }

    static List<String> problems(Map<String, Object> manifest) {
        String type = type(manifest);
        String where = manifest.get("kind") + " " + Manifests.name(manifest);
        if (CUSTOM_TYPES.contains(type)) {
            return List.of();
        }
        if (!CORE_TYPES.containsKey(type)) {
            return List.of(where + ": no Kubernetes schema for " + type);
        }
        JsonSchema schema = SCHEMAS.computeIfAbsent(type, KubernetesSchemas::schemaOf);
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage message : schema.validate(withoutNulls(JSON.valueToTree(manifest)))) {
            errors.add(where + ": " + message.getMessage());
        }
        return List.copyOf(errors);
    }

    /** True when the manifest is of a kind validated against a Kubernetes schema. */
    static boolean hasSchema(Map<String, Object> manifest) {
        return CORE_TYPES.containsKey(type(manifest));
    }

    private static String type(Map<String, Object> manifest) {
        return manifest.get("apiVersion") + "/" + manifest.get("kind");
    }

    /** The JSON schema of a kind: its model class with every class it reaches under $defs. */
    static JsonSchema schemaOf(String type) {
        Class<?> model = CORE_TYPES.get(type);
        String apiVersion = type.substring(0, type.lastIndexOf('/'));
        String kind = type.substring(type.lastIndexOf('/') + 1);
        ObjectNode defs = NODES.objectNode();
        define(model, defs);

        ObjectNode root = NODES.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", defs);
        root.putArray("allOf").addObject().put("$ref", "#/$defs/" + model.getSimpleName());
        ObjectNode properties = root.putObject("properties");
        properties.putObject("apiVersion").put("const", apiVersion);
        properties.putObject("kind").put("const", kind);
        root.putArray("required").add("apiVersion").add("kind").add("metadata");

        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root, config);
    }

    /** Adds the schema of this model class, and of every model class its properties reach, to defs. */
    private static void define(Class<?> model, ObjectNode defs) {
        if (defs.has(model.getSimpleName())) {
            return;
        }
        ObjectNode schema = defs.putObject(model.getSimpleName());
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (Field field : model.getDeclaredFields()) {
            SerializedName name = field.getAnnotation(SerializedName.class);
            if (name != null && !Modifier.isStatic(field.getModifiers())) {
                properties.set(name.value(), schemaOfType(field.getGenericType(), defs));
            }
        }
        ArrayNode required = NODES.arrayNode();
        requiredFields(model).stream().sorted().forEach(required::add);
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
    }

    private static JsonNode schemaOfType(Type type, ObjectNode defs) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schemaOfType(arguments[0], defs));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = NODES.objectNode().put("type", "object");
                map.set("additionalProperties", schemaOfType(arguments[1], defs));
                return map;
            }
            throw new IllegalStateException("no schema for " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class || cls == OffsetDateTime.class || cls == byte[].class) {
            return NODES.objectNode().put("type", "string");
        }
        if (cls == Integer.class || cls == Long.class || cls == int.class || cls == long.class) {
            return NODES.objectNode().put("type", "integer");
        }
        if (cls == Double.class || cls == Float.class || cls == BigDecimal.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (cls == Boolean.class || cls == boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (cls == IntOrString.class) {
            return types("integer", "string");
        }
        if (cls == Quantity.class) {
            return types("string", "number");
        }
        if (cls == Object.class) {
            return NODES.objectNode();
        }
        if (cls.isEnum()) {
            ObjectNode schema = NODES.objectNode().put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : cls.getEnumConstants()) {
                values.add(constant.toString());
            }
            return schema;
        }
        if (cls.getPackageName().equals(V1Deployment.class.getPackageName())) {
            define(cls, defs);
            return NODES.objectNode().put("$ref", "#/$defs/" + cls.getSimpleName());
        }
        throw new IllegalStateException("no schema for " + cls.getName());
    }

    private static ObjectNode types(String... types) {
        ObjectNode schema = NODES.objectNode();
        ArrayNode array = schema.putArray("type");
        for (String type : types) {
            array.add(type);
        }
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            Field field = model.getField("openapiRequiredFields");
            Object value = field.get(null);
            return value == null ? Set.of() : (Set<String>) value;
        } catch (NoSuchFieldException e) {
            return Set.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The manifest without its null values, which the API server treats as absent. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
            fields.forEach((key, value) -> {
                if (!value.isNull()) {
                    copy.set(key, withoutNulls(value));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> copy.add(withoutNulls(item)));
            return copy;
        }
        return node;
    }
}
