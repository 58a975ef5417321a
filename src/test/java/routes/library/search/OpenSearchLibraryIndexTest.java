package routes.library.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import routes.problems.Refusal;
import routes.support.OpenSearchTestNode;

/**
 * The library index's behaviour on OpenSearch, against a real single-node OpenSearch 2.19 ({@link OpenSearchTestNode});
 * each test has indices of its own, deleted after it. Scores are the embedded engine's too (the same constant-score
 * clauses), so the ranking assertions hold as they are; a transcript's highlighted passage is cut by OpenSearch's
 * sentence scanner rather than centred on the match, within the same length.
 */
class OpenSearchLibraryIndexTest extends LibraryIndexBehaviour {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private final String prefix = "library-test-" + TESTS.incrementAndGet();

    @Override
    protected LibraryIndex create() {
        return open("index");
    }

    @Override
    protected LibraryIndex open(String name) {
        return new OpenSearchLibraryIndex(OpenSearchTransports.http(OpenSearchTestNode.url(), null, null),
                prefix + "-" + name);
    }

    /** A rebuild fills an index of its own, which a failure drops. */
    @Override
    protected boolean keepsWhatAFailedRebuildRead() {
        return false;
    }

    @AfterEach
    void deleteIndices() throws Exception {
        HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                OpenSearchTestNode.url().resolve("/" + prefix + "-*")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    }

    @Test
    void theIndexIsAnAliasThatARebuildMovesToANewIndexAndTheOldOneIsDropped() throws Exception {
        index.put(LibraryDoc.builder("a1", "alice", "audio").title("Old").build());
        assertThat(indicesBehind(prefix + "-index")).isEqualTo(List.of(prefix + "-index-0"));

        index.replaceAll(java.util.stream.Stream.of(LibraryDoc.builder("a2", "alice", "audio").title("New").build()));

        List<String> behind = indicesBehind(prefix + "-index");
        assertThat(behind).singleElement().isNotEqualTo(prefix + "-index-0");
        assertThat(get("/" + prefix + "-index-0").statusCode()).isEqualTo(404);
        assertThat(index.count()).isEqualTo(1);
    }

    @Test
    void anIndexWhereTheAliasShouldBeIsRefusedWithWhatToDo() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(OpenSearchTestNode.url().resolve("/" + prefix
                + "-taken")).PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        try (LibraryIndex taken = open("taken")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(taken::count)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("caravan.library.opensearch.index");
        }
    }

    @Test
    void aClusterThatDoesNotAnswerIsAnUpstreamFailureNotABadQuery() {
        try (LibraryIndex nowhere = new OpenSearchLibraryIndex(OpenSearchTransports.http(
                URI.create("http://127.0.0.1:9"), null, null), "library")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> nowhere.search(LibraryQuery.builder("alice").build()))
                    .isInstanceOfSatisfying(Refusal.class,
                            refusal -> assertThat(refusal.kind()).isEqualTo(Refusal.Kind.UPSTREAM_FAILED));
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(OpenSearchTestNode.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The indices the alias points to, from GET /_alias/NAME. */
    private static List<String> indicesBehind(String alias) throws Exception {
        String body = get("/_alias/" + alias).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).properties().stream()
                .map(java.util.Map.Entry::getKey).toList();
    }
}
