package routes.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The offline check of a routes folder: the shipped routes pass, broken files are named with their line. */
@Timeout(60)
class RoutesCheckTest {

    @TempDir
    Path dir;

    @Test
    void theShippedRoutesPass() throws Exception {
        assertThat(RoutesCheck.check(Path.of("src/main/resources/routes.yaml"))).isEmpty();
    }

    @Test
    void aStepAddedInAFileOfItsOwnPassesBesideTheShippedRoutes() throws Exception {
        Files.copy(Path.of("src/main/resources/routes.yaml"), dir.resolve("routes.yaml"));
        Files.copy(Path.of("src/test/resources/extra-routes/loudness.yaml"), dir.resolve("a-step.yaml"));

        assertThat(RoutesCheck.check(dir)).isEmpty();
    }

    @Test
    void aStepOfAMissingTemplateOrATakenIdIsReported() throws Exception {
        Files.copy(Path.of("src/main/resources/routes.yaml"), dir.resolve("routes.yaml"));
        Files.writeString(dir.resolve("steps.yaml"), """
                - templatedRoute:
                    routeTemplateRef: job-stp
                    routeId: media-loud
                    parameters:
                      - name: queue
                        value: caravan-loud
                """);
        Files.writeString(dir.resolve("taken.yaml"), """
                - templatedRoute:
                    routeTemplateRef: job-step
                    routeId: media-probe
                    parameters:
                      - name: queue
                        value: caravan-probe
                      - name: work
                        value: bean:mediaSteps?method=probe
                """);

        List<RoutesCheck.Problem> problems = RoutesCheck.check(dir);

        assertThat(problems).extracting(p -> p.file().getFileName().toString())
                .containsExactlyInAnyOrder("steps.yaml", "taken.yaml");
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("job-stp"));
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("media-probe"));
    }

    @Test
    void brokenYamlIsReportedWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
                - route:
                    id: fine
                    from:
                      uri: direct:a
                      steps:
                        - log: "ok"
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: direct:b
                      steps:
                        - lgo: "typo"
                """);
        Files.writeString(dir.resolve("c.yaml"), """
                - route:
                    id: fine
                    from:
                      uri: direct:c
                      steps:
                        - log: "again"
                  : not yaml
                """);

        List<RoutesCheck.Problem> problems = RoutesCheck.check(dir);

        assertThat(problems).extracting(p -> p.file().getFileName().toString()).containsExactly("b.yaml", "c.yaml");
        RoutesCheck.Problem typo = problems.get(0);
        assertThat(typo.line()).isEqualTo(6);
        assertThat(typo.message()).contains("lgo");
        assertThat(problems.get(1).line()).isGreaterThan(0);
    }

    @Test
    void aDuplicateIdAndAMissingIdAreReported() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
                - route:
                    id: same
                    from:
                      uri: direct:a
                      steps:
                        - log: "a"
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                - route:
                    id: same
                    from:
                      uri: direct:b
                      steps:
                        - log: "b"
                - route:
                    from:
                      uri: direct:c
                      steps:
                        - log: "c"
                """);

        List<RoutesCheck.Problem> problems = RoutesCheck.check(dir);

        assertThat(problems).extracting(RoutesCheck.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("same").contains("already used"))
                .anySatisfy(m -> assertThat(m).contains("without an id"));
    }
}
