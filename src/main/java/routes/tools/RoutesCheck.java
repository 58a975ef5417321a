package routes.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Checks a folder of route files offline, before an operator mounts it: the files are loaded, as Caravan loads them,
 * into one CamelContext (nothing is started, no endpoint is reached), those that declare route templates first, so
 * a file may make routes from another's template; every problem is reported as {@code file:line: message}: YAML
 * that does not parse, DSL keys Camel does not know, a template that is not there, routes without an id, an id used
 * twice.
 *
 * <pre>bin/caravan check-routes src/main/resources</pre>
 */
public final class RoutesCheck {

    private RoutesCheck() {
    }

    /** One problem of one file; {@code line} is 0 when the file as a whole is wrong. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    public static List<Problem> check(Path location) throws IOException {
        List<Path> files;
        if (Files.isDirectory(location)) {
            try (Stream<Path> listing = Files.list(location)) {
                files = listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList();
            }
        } else {
            files = List.of(location);
        }
        List<Problem> problems = new ArrayList<>();
        if (files.isEmpty()) {
            problems.add(new Problem(location, 0, "no .yaml route files here"));
        }
        Map<String, Path> ids = new HashMap<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setIgnoreMissingLocation(true);
            List<Path> ordered = new ArrayList<>(files.stream().filter(RoutesCheck::declaresTemplates).toList());
            files.stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
            for (Path file : ordered) {
                problems.addAll(checkFile(camel, file, ids));
            }
        }
        problems.sort(java.util.Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        return problems;
    }

    /** Whether a file declares route templates (a quick look at its text; a file that does not parse is loaded last). */
    private static boolean declaresTemplates(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("- routeTemplate:"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Problem> checkFile(DefaultCamelContext camel, Path file, Map<String, Path> ids) {
        List<Problem> problems = new ArrayList<>();
        ModelCamelContext model = camel;
        java.util.Set<RouteDefinition> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        before.addAll(model.getRouteDefinitions());
        try {
            Resource resource = PluginHelper.getResourceLoader(camel).resolveResource("file:" + file.toAbsolutePath());
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
            for (RouteDefinition route : model.getRouteDefinitions()) {
                if (before.contains(route)) {
                    continue;
                }
                if (route.getRouteId() == null || route.getRouteId().isBlank()) {
                    problems.add(new Problem(file, line(route), "a route without an id (from " + route.getInput() + ")"));
                    continue;
                }
                if (route.getRouteId().startsWith("route") && route.getRouteId().matches("route\\d+")) {
                    problems.add(new Problem(file, line(route), "route " + route.getInput()
                            + " has no id of its own; give it one (operators, metrics and tests use it)"));
                    continue;
                }
                Path earlier = ids.putIfAbsent(route.getRouteId(), file);
                if (earlier != null) {
                    problems.add(new Problem(file, line(route), "route id " + route.getRouteId()
                            + " is already used in " + earlier));
                }
            }
        } catch (Exception e) {
            problems.add(new Problem(file, lineOf(e), message(e)));
        }
        return problems;
    }

    private static int line(RouteDefinition route) {
        return Math.max(route.getLineNumber(), 0);
    }

    private static int lineOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked && marked.getProblemMark().isPresent()) {
                return marked.getProblemMark().get().getLine() + 1;
            }
        }
        return 0;
    }

    private static String message(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException) {
                deepest = t;
            }
        }
        String text = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(text);
    }

    public static void main(String[] args) throws IOException {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        if (args.length == 0) {
            System.err.println("usage: RoutesCheck FOLDER_OR_FILE...");
            System.exit(2);
        }
        int found = 0;
        for (String arg : args) {
            for (Problem problem : check(Path.of(arg))) {
                System.err.println(problem);
                found++;
            }
        }
        if (found > 0) {
            System.err.println(found + " problem(s)");
            System.exit(1);
        }
        System.out.println("routes ok: " + String.join(" ", args));
    }
}
