package routes.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import routes.config.CaravanProperties;
import routes.config.StartupCheckException;
import routes.library.search.LibraryDoc;
import routes.library.search.LibraryIndex;
import routes.library.search.LuceneLibraryIndex;
import routes.library.search.OpenSearchLibraryIndex;
import routes.support.OpenSearchTestNode;

/** caravan.library.engine and its OpenSearch settings pick the library index's engine, or stop the start. */
class LibraryIndexSettingsTest {

    @TempDir
    Path dataDir;

    private CaravanProperties properties(String... settings) {
        Map<String, String> values = new HashMap<>();
        values.put("caravan.data-dir", dataDir.toString());
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("caravan", CaravanProperties.class);
    }

    @Test
    void theEmbeddedLuceneIndexInTheDataFolderIsTheDefault() {
        try (LibraryIndex index = LibraryConfiguration.indexOpener(properties()).get()) {
            assertThat(index).isInstanceOf(LuceneLibraryIndex.class);
            index.put(LibraryDoc.builder("a1", "alice", "audio").build());
        }
        assertThat(dataDir.resolve("library-index")).isDirectoryContaining(f -> f.getFileName().toString()
                .startsWith("segments"));
    }

    @Test
    void theOpenSearchEngineUsesTheClusterAtItsEndpoint() {
        CaravanProperties settings = properties("caravan.library.engine", "opensearch",
                "caravan.library.opensearch.endpoint", OpenSearchTestNode.url().toString(),
                "caravan.library.opensearch.index", "library-settings-test");
        try (LibraryIndex index = LibraryConfiguration.indexOpener(settings).get()) {
            assertThat(index).isInstanceOf(OpenSearchLibraryIndex.class);
            index.put(LibraryDoc.builder("a1", "alice", "audio").build());
            assertThat(index.count()).isEqualTo(1);
        }
    }

    @Test
    void signingForAwsOpenSearchServiceMakesAnIndexWithoutCallingIt() {
        CaravanProperties settings = properties("caravan.library.engine", "opensearch",
                "caravan.library.opensearch.endpoint", "https://search-caravan.eu-west-1.es.amazonaws.com",
                "caravan.library.opensearch.aws-region", "eu-west-1");
        try (LibraryIndex index = LibraryConfiguration.indexOpener(settings).get()) {
            assertThat(index).isInstanceOf(OpenSearchLibraryIndex.class);
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStartNamingTheSetting() {
        refused(properties("caravan.library.engine", "opensearch"), "caravan.library.opensearch.endpoint",
                "is needed when caravan.library.engine is opensearch");
        refused(properties("caravan.library.engine", "opensearch", "caravan.library.opensearch.endpoint",
                "ftp://search.example"), "caravan.library.opensearch.endpoint", "http:// or https://");
        refused(properties("caravan.library.engine", "opensearch", "caravan.library.opensearch.endpoint",
                "https://search.example", "caravan.library.opensearch.user", "caravan"),
                "caravan.library.opensearch.user", "CARAVAN_LIBRARY_OPENSEARCH_PASSWORD");
        refused(properties("caravan.library.engine", "opensearch", "caravan.library.opensearch.endpoint",
                "https://search.example", "caravan.library.opensearch.user", "caravan",
                "caravan.library.opensearch.password", "secret", "caravan.library.opensearch.aws-region",
                "eu-west-1"), "caravan.library.opensearch.aws-region", "not both");
        refused(properties("caravan.library.engine", "opensearch", "caravan.library.opensearch.endpoint",
                "http://search.example", "caravan.library.opensearch.aws-region", "eu-west-1"),
                "caravan.library.opensearch.endpoint", "over https");
    }

    private static void refused(CaravanProperties settings, String setting, String problem) {
        assertThatThrownBy(() -> LibraryConfiguration.indexOpener(settings))
                .isInstanceOfSatisfying(StartupCheckException.class,
                        check -> assertThat(check.setting()).isEqualTo(setting))
                .hasMessageContaining(problem);
    }
}
