package routes.projects;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Projects, their members and transcripts, kept in one table. */
@Configuration(proxyBeanMethods = false)
public class ProjectsConfiguration {

    @Bean
    ProjectService projectService(DynamoDbClient dynamoDb, S3Client s3, CaravanProperties properties,
            ObjectMapper json, Clock clock) {
        String table = properties.tables().projects();
        return new ProjectService(
                new VersionedTable<>(dynamoDb, table, Project.class, null, json, clock, ProjectService::attributes),
                new VersionedTable<>(dynamoDb, table, Membership.class, null, json, clock, ProjectService::attributes),
                s3, properties.storage().bucket());
    }

    @Bean
    ProjectTranscripts projectTranscripts(DynamoDbClient dynamoDb, S3Client s3, CaravanProperties properties,
            ObjectMapper json, Clock clock, ProjectService projects, routes.assets.AssetService assets,
            routes.jobs.JobStore jobs) {
        return new ProjectTranscripts(new VersionedTable<>(dynamoDb, properties.tables().projects(),
                ProjectTranscript.class, null, json, clock, ProjectTranscripts::attributes), projects, assets, jobs,
                s3, properties.storage().bucket(), json, clock);
    }

    @Bean
    ProjectAnnotations projectAnnotations(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json,
            Clock clock, ProjectService projects, ProjectTranscripts transcripts) {
        String table = properties.tables().projects();
        return new ProjectAnnotations(
                new VersionedTable<>(dynamoDb, table, Label.class, null, json, clock, ProjectAnnotations::attributes),
                new VersionedTable<>(dynamoDb, table, Annotation.class, null, json, clock,
                        ProjectAnnotations::attributes),
                projects, transcripts);
    }

    @Bean
    PaperEdits paperEdits(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock,
            ProjectService projects, ProjectTranscripts transcripts) {
        return new PaperEdits(new VersionedTable<>(dynamoDb, properties.tables().projects(), PaperEdit.class, null,
                json, clock, PaperEdits::attributes), projects, transcripts);
    }

    @Bean
    Exports projectExports(PaperEdits edits, ProjectTranscripts transcripts, routes.assets.AssetService assets,
            ObjectMapper json) {
        return new Exports(edits, transcripts, assets, json);
    }

    @Bean
    ProjectSearch projectSearch(ProjectService projects, ProjectTranscripts transcripts,
            ProjectAnnotations annotations) {
        return new ProjectSearch(projects, transcripts, annotations);
    }

    @Bean
    RoughCuts roughCuts(PaperEdits edits, ProjectTranscripts transcripts, routes.assets.AssetService assets,
            routes.jobs.JobStore jobs) {
        return new RoughCuts(edits, transcripts, assets, jobs);
    }

    /** The projects table, for provisioning. */
    @Bean
    TableSchema projectsTable(CaravanProperties properties) {
        return ProjectService.schema(properties.tables().projects());
    }
}
