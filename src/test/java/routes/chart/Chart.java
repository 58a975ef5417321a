package routes.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart in helm/caravan, linted and rendered in process by helm-java (no helm binary, no cluster), and the
 * rendered manifests parsed with SnakeYAML.
 */
final class Chart {

    static final Path DIR = Paths.get("helm", "caravan").toAbsolutePath();
    static final Path ROUTES_SOURCE = Paths.get("src", "main", "resources", "routes.yaml").toAbsolutePath();
    static final Path PRODUCTION_VALUES = Paths.get("src", "test", "resources", "chart", "production-values.yaml")
            .toAbsolutePath();
    static final String RELEASE = "media";
    static final String NAMESPACE = "caravan";

    private Chart() {
    }

    /** helm template with these values files, in order. Throws IllegalStateException when Helm refuses. */
    static Rendered render(Path... valuesFiles) {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        return new Rendered(template.call());
    }

    /**
     * helm lint --strict of the chart whose values.yaml is the chart's own merged with the overrides (Helm's merge:
     * maps merge, anything else replaces, null removes). helm lint takes no values file, so the chart is copied to
     * {@code work} and its values.yaml rewritten.
     */
    static LintResult lint(Path work, Map<String, Object> overrides) {
        Path copy = work.resolve("caravan");
        copyTree(DIR, copy);
        Map<String, Object> values = merge(readYaml(DIR.resolve("values.yaml")), overrides);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        write(copy.resolve("values.yaml"), new Yaml(options).dump(values));
        return new Helm(copy).lint().strict().call();
    }

    static LintResult lint() {
        return new Helm(DIR).lint().strict().call();
    }

    /** A values file in {@code dir} with this YAML text. */
    static Path values(Path dir, String yaml) {
        try {
            Path file = Files.createTempFile(dir, "values-", ".yaml");
            write(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            Object loaded = strictYaml().load(Files.readString(file, StandardCharsets.UTF_8));
            return loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SnakeYAML that refuses duplicate keys, which Kubernetes would also refuse. */
    static Yaml strictYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(16 * 1024 * 1024);
        return new Yaml(options);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> {
            Object current = merged.get(key);
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map && current instanceof Map) {
                merged.put(key, merge((Map<String, Object>) current, (Map<String, Object>) value));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests of one helm template run. */
    record Rendered(String text, List<Map<String, Object>> manifests) {

        @SuppressWarnings("unchecked")
        Rendered(String text) {
            this(text, parse(text));
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> parse(String text) {
            List<Map<String, Object>> manifests = new ArrayList<>();
            for (Object document : strictYaml().loadAll(text)) {
                if (document != null) {
                    manifests.add((Map<String, Object>) document);
                }
            }
            return manifests;
        }

        List<Map<String, Object>> ofKind(String kind) {
            return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
        }

        Optional<Map<String, Object>> find(String kind, String name) {
            return ofKind(kind).stream().filter(m -> name.equals(Manifests.name(m))).findFirst();
        }

        Map<String, Object> get(String kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
        }

        /** Deployments by the CARAVAN_ROLE of their container. */
        List<Map<String, Object>> deploymentsWithRole(String role) {
            return ofKind("Deployment").stream().filter(d -> role.equals(Manifests.env(d).get("CARAVAN_ROLE")))
                    .toList();
        }
    }
}
