package routes.library.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import routes.problems.Refusal;

/**
 * What every {@link LibraryIndex} engine does, held to the same assertions: {@link LibraryIndexTest} runs them on the
 * embedded Lucene index, {@link OpenSearchLibraryIndexTest} on a real OpenSearch node. Where the engines differ on
 * purpose, the subclass says how.
 */
abstract class LibraryIndexBehaviour {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    protected LibraryIndex index;

    /** A new, empty index for one test. */
    protected abstract LibraryIndex create();

    /** The index named {@code name}, kept when it is closed and found again when opened again. */
    protected abstract LibraryIndex open(String name);

    /**
     * Whether the docs a failed rebuild had read are in the index after the next write (the embedded engine
     * rebuilds in place; OpenSearch rebuilds into an index of its own and drops it).
     */
    protected abstract boolean keepsWhatAFailedRebuildRead();

    @BeforeEach
    void openIndex() {
        index = create();
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    private static LibraryDoc.Builder doc(String id, String owner) {
        return LibraryDoc.builder(id, owner, "audio");
    }

    private LibraryPage search(LibraryQuery.Builder query) {
        return index.search(query.build());
    }

    private List<String> ids(LibraryQuery.Builder query) {
        return ids(search(query));
    }

    private static List<String> ids(LibraryPage page) {
        return page.items().stream().map(hit -> hit.doc().assetId()).toList();
    }

    private List<String> found(String reader, String text) {
        return ids(LibraryQuery.builder(reader).text(text));
    }

    private static void refused(ThrowingCallable call, String type) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.kind()).isEqualTo(Refusal.Kind.INVALID);
            assertThat(refusal.type()).isEqualTo(type);
        });
    }

    @Test
    void aDocIsFoundAsSoonAsItIsPutReplacedByItsAssetIdAndGoneWhenDeleted() {
        index.put(doc("a1", "alice").title("First light").createdAt(T0).build());
        assertThat(index.count()).isEqualTo(1);
        assertThat(found("alice", "first")).containsExactly("a1");

        index.put(doc("a1", "alice").title("Second wind").createdAt(T0).build());
        assertThat(index.count()).isEqualTo(1);
        assertThat(found("alice", "first")).isEmpty();
        LibraryPage page = search(LibraryQuery.builder("alice").text("second"));
        assertThat(page.items()).singleElement().satisfies(hit -> assertThat(hit.doc().title()).isEqualTo("Second wind"));

        index.delete("a1");
        assertThat(index.count()).isZero();
        assertThat(found("alice", "second")).isEmpty();
    }

    @Test
    void aHitCarriesTheWholeDocButItsTranscript() {
        LibraryDoc full = doc("a1", "alice").readers(Set.of("bob")).filename("Creep.flac").contentType("audio/flac")
                .title("Creep").artist("Radiohead").album("Pablo Honey").albumArtist("Radiohead").genre("Rock")
                .composer("Yorke").year(1993).track(2).disc(1).isrc("GBAYE9200070").duration(238.6)
                .labels(List.of("upbeat", "90s")).transcript("when you were here before").createdAt(T0)
                .updatedAt(T0.plusSeconds(5)).build();
        index.put(full);

        LibraryPage page = search(LibraryQuery.builder("alice"));
        assertThat(page.items()).singleElement()
                .satisfies(hit -> assertThat(hit.doc()).isEqualTo(full.toBuilder().transcript(null).build()));
    }

    @Test
    void putAllAddsEveryDoc() {
        index.putAll(List.of(doc("a1", "alice").build(), doc("a2", "alice").build(), doc("a3", "bob").build()));

        assertThat(index.count()).isEqualTo(3);
        assertThat(ids(LibraryQuery.builder("alice").sort("title"))).containsExactly("a1", "a2");
    }

    @Test
    void aReaderSeesWhatTheyOwnAndWhatIsSharedWithThemAndAnAdminSeesEverything() {
        index.putAll(List.of(
                doc("a-shared", "alice").readers(Set.of("bob")).title("Song").build(),
                doc("a-own", "alice").title("Song").build(),
                doc("b-own", "bob").title("Song").build()));

        assertThat(found("alice", "song")).containsExactlyInAnyOrder("a-shared", "a-own");
        assertThat(found("bob", "song")).containsExactlyInAnyOrder("a-shared", "b-own");
        assertThat(found("carol", "song")).isEmpty();
        assertThat(ids(LibraryQuery.builder("bob").text("song").owned(true))).containsExactly("b-own");
        assertThat(ids(LibraryQuery.builder("bob").text("song").owned(false))).containsExactly("a-shared");
        assertThat(ids(LibraryQuery.builder("alice").owned(false))).isEmpty();
        assertThat(ids(LibraryQuery.builder(null).everything(true).text("song")))
                .containsExactlyInAnyOrder("a-shared", "a-own", "b-own");
        assertThat(ids(LibraryQuery.builder("carol").everything(true))).hasSize(3);
        assertThat(ids(LibraryQuery.builder("alice").everything(true).owned(true)))
                .containsExactlyInAnyOrder("a-shared", "a-own");
    }

    @Test
    void wordsMatchWithTyposByPrefixAndWithoutAccents() {
        index.putAll(List.of(
                doc("radiohead", "alice").artist("Radiohead").title("Creep").build(),
                doc("bjork", "alice").artist("Björk").title("Jóga").build(),
                doc("beyonce", "alice").artist("Beyonce").title("Halo").build(),
                doc("file", "alice").filename("Massive_Attack-Teardrop.final.mp3").build(),
                doc("decomposed", "alice").filename("Sigur Ro\u0301s - Ho\u0301ppi\u0301polla.flac").build()));

        assertThat(found("alice", "Radiohaed")).containsExactly("radiohead");
        assertThat(found("alice", "Bjrok")).containsExactly("bjork");
        assertThat(found("alice", "radi")).containsExactly("radiohead");
        assertThat(found("alice", "RA")).containsExactly("radiohead");
        assertThat(found("alice", "joga")).containsExactly("bjork");
        assertThat(found("alice", "Beyoncé")).containsExactly("beyonce");
        assertThat(found("alice", "teardrop")).containsExactly("file");
        assertThat(found("alice", "final")).containsExactly("file");
        assertThat(found("alice", "Hóppípolla")).containsExactly("decomposed");
        assertThat(found("alice", "hoppipolla")).containsExactly("decomposed");
        // 1-2 letters: no typo allowed; the first letter must be as typed
        assertThat(found("alice", "rx")).isEmpty();
        assertThat(found("alice", "Tadiohead")).isEmpty();
    }

    @Test
    void everyWordMustMatchSomewhere() {
        index.putAll(List.of(
                doc("creep", "alice").artist("Radiohead").title("Creep").build(),
                doc("karma", "alice").artist("Radiohead").title("Karma Police").build(),
                doc("other", "alice").artist("TLC").title("Creep").build()));

        assertThat(found("alice", "radiohead creep")).containsExactly("creep");
        assertThat(found("alice", "creep")).containsExactlyInAnyOrder("creep", "other");
        assertThat(found("alice", "radiohead police karma")).containsExactly("karma");
        assertThat(found("alice", "radiohead nothing")).isEmpty();
    }

    @Test
    void titleMatchesRankAboveTranscriptMatchesAndExactAbovePrefixAboveTypo() {
        index.putAll(List.of(
                doc("spoken", "alice").title("Interview").transcript("and then I said love is all").build(),
                doc("typo", "alice").title("Lose").build(),
                doc("prefix", "alice").title("Lovely").build(),
                doc("exact", "alice").title("Love").build()));

        LibraryPage page = search(LibraryQuery.builder("alice").text("love"));

        assertThat(ids(page)).containsExactly("exact", "prefix", "typo", "spoken");
        assertThat(page.items()).extracting(LibraryHit::score).isSortedAccordingTo(Comparator.reverseOrder())
                .doesNotContainNull();
        assertThat(search(LibraryQuery.builder("alice").text("love").sort("title")).items())
                .extracting(LibraryHit::score).containsOnlyNulls();
    }

    @Test
    void highlightsMarkExactPrefixAndTypoMatchesAndEscapeTheRest() {
        StringBuilder talk = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            talk.append(i == 150 ? "the radiohead concert " : "words said on the radio show ");
        }
        index.putAll(List.of(
                doc("a1", "alice").title("<script>alert(1)</script> Creep").artist("Radiohead")
                        .labels(List.of("creeper", "upbeat", "creepy")).build(),
                doc("a2", "alice").title("Talk").transcript(talk.toString()).build()));

        Map<String, String> marked = search(LibraryQuery.builder("alice").text("creep")).items().get(0).highlights();
        assertThat(marked.get("title")).isEqualTo("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; <mark>Creep</mark>");
        assertThat(marked.get("labels")).isEqualTo("<mark>creeper</mark>, <mark>creepy</mark>");
        assertThat(marked).doesNotContainKey("artist");

        Map<String, String> typo = search(LibraryQuery.builder("alice").text("radiohaed")).items().get(0).highlights();
        assertThat(typo).containsEntry("artist", "<mark>Radiohead</mark>");

        LibraryHit spoken = search(LibraryQuery.builder("alice").text("talk radioh")).items().get(0);
        assertThat(spoken.doc().transcript()).isNull();
        assertThat(spoken.highlights()).containsEntry("title", "<mark>Talk</mark>");
        String fragment = spoken.highlights().get("transcript");
        assertThat(fragment).contains("<mark>radiohead</mark>");
        assertThat(fragment.replace("<mark>", "").replace("</mark>", "")).hasSizeLessThanOrEqualTo(170);
    }

    @Test
    void facetsCountEverythingTheSearchMatchesAndTheReaderMaySee() {
        List<LibraryDoc> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(LibraryDoc.builder("a" + i, "alice", i % 3 == 0 ? "video" : "audio")
                    .artist(i < 20 ? (i < 5 ? "radiohead" : "Radiohead") : "Björk")
                    .album(i < 20 ? "OK Computer" : "Homogenic").genre(i < 20 ? "Rock" : "Electronic")
                    .title("Track " + i).build());
        }
        for (int i = 0; i < 10; i++) {
            docs.add(doc("b" + i, "bob").artist("Blur").album("Parklife").genre("Rock").title("Track").build());
        }
        index.putAll(docs);

        LibraryPage page = search(LibraryQuery.builder("alice").limit(5).facets(true));
        assertThat(page.items()).hasSize(5);
        assertThat(page.total()).isEqualTo(30);
        assertThat(page.facets().get("artist"))
                .containsExactly(new FacetCount("Radiohead", 20), new FacetCount("Björk", 10));
        assertThat(page.facets().get("album"))
                .containsExactly(new FacetCount("OK Computer", 20), new FacetCount("Homogenic", 10));
        assertThat(page.facets().get("genre"))
                .containsExactly(new FacetCount("Rock", 20), new FacetCount("Electronic", 10));
        assertThat(page.facets().get("mediaKind"))
                .containsExactly(new FacetCount("audio", 20), new FacetCount("video", 10));

        LibraryPage filtered = search(LibraryQuery.builder("alice").text("track").genre("rock").limit(5)
                .facets(true));
        assertThat(filtered.total()).isEqualTo(20);
        assertThat(filtered.facets().get("artist")).containsExactly(new FacetCount("Radiohead", 20));

        LibraryPage admin = search(LibraryQuery.builder(null).everything(true).limit(1).facets(true));
        assertThat(admin.facets().get("genre"))
                .containsExactly(new FacetCount("Rock", 30), new FacetCount("Electronic", 10));
        assertThat(search(LibraryQuery.builder("alice")).facets()).isNull();
        assertThat(search(LibraryQuery.builder("carol").facets(true)).facets().get("artist")).isEmpty();
    }

    @Test
    void facetsOfAnEmptyIndexAreEmpty() {
        LibraryPage page = search(LibraryQuery.builder("alice").facets(true));

        assertThat(page.items()).isEmpty();
        assertThat(page.facets()).containsOnlyKeys("artist", "album", "genre", "mediaKind")
                .allSatisfy((dimension, counts) -> assertThat(counts).isEmpty());
    }

    @Test
    void eachFilterNarrowsTheSearch() {
        index.putAll(List.of(
                LibraryDoc.builder("song", "alice", "audio").artist("Radiohead").album("OK Computer").genre("Rock")
                        .labels(List.of("Upbeat")).year(1997).duration(230.0).build(),
                LibraryDoc.builder("clip", "alice", "video").artist("Björk").album("Homogenic").genre("Electronic")
                        .labels(List.of("calm")).year(1997).duration(60.0).build(),
                LibraryDoc.builder("photo", "alice", "image").year(2020).build()));

        assertThat(ids(LibraryQuery.builder("alice").mediaKind("VIDEO"))).containsExactly("clip");
        assertThat(ids(LibraryQuery.builder("alice").artist("RADIOHEAD"))).containsExactly("song");
        assertThat(ids(LibraryQuery.builder("alice").artist("radio"))).isEmpty();
        assertThat(ids(LibraryQuery.builder("alice").album("homogenic"))).containsExactly("clip");
        assertThat(ids(LibraryQuery.builder("alice").genre("rock"))).containsExactly("song");
        assertThat(ids(LibraryQuery.builder("alice").label("upbeat"))).containsExactly("song");
        assertThat(ids(LibraryQuery.builder("alice").years(1997, 1997).sort("title")))
                .containsExactly("clip", "song");
        assertThat(ids(LibraryQuery.builder("alice").years(1998, null))).containsExactly("photo");
        assertThat(ids(LibraryQuery.builder("alice").years(null, 1996))).isEmpty();
        assertThat(ids(LibraryQuery.builder("alice").duration(60.0, 60.0))).containsExactly("clip");
        assertThat(ids(LibraryQuery.builder("alice").duration(61.0, null))).containsExactly("song");
        assertThat(ids(LibraryQuery.builder("alice").duration(null, 100.0))).containsExactly("clip");
        assertThat(ids(LibraryQuery.builder("alice").mediaKind("audio").genre("electronic"))).isEmpty();
    }

    @Test
    void eachSortOrdersBothWaysWithMissingValuesLast() {
        index.putAll(List.of(
                doc("s1", "alice").title("banana").artist("Cat").album("delta").year(2001).duration(30.0)
                        .filename("b.mp3").createdAt(T0.plusSeconds(3)).build(),
                doc("s2", "alice").title("Apple").artist("bat").album("Echo").year(1999).duration(300.0)
                        .filename("C.mp3").createdAt(T0.plusSeconds(1)).build(),
                doc("s3", "alice").title("cherry").artist("Ant").album("alpha").year(2010).duration(5.5)
                        .filename("a.mp3").createdAt(T0.plusSeconds(2)).build(),
                doc("s0", "alice").build()));

        Map<String, List<String>> ascending = Map.of(
                "title", List.of("s2", "s1", "s3"),
                "artist", List.of("s3", "s2", "s1"),
                "album", List.of("s3", "s1", "s2"),
                "year", List.of("s2", "s1", "s3"),
                "duration", List.of("s3", "s1", "s2"),
                "filename", List.of("s3", "s1", "s2"),
                "created", List.of("s2", "s3", "s1"));
        ascending.forEach((field, order) -> {
            List<String> up = new ArrayList<>(order);
            up.add("s0");
            List<String> down = new ArrayList<>(order);
            Collections.reverse(down);
            down.add("s0");
            assertThat(ids(LibraryQuery.builder("alice").sort(field))).as(field).isEqualTo(up);
            assertThat(ids(LibraryQuery.builder("alice").sort("-" + field))).as("-" + field).isEqualTo(down);
        });
        assertThat(ids(LibraryQuery.builder("alice"))).as("newest first by default")
                .containsExactly("s1", "s3", "s2", "s0");
    }

    @Test
    void aCursorWalksEveryDocOnceWhateverTheSortAndHowManyTie() {
        List<LibraryDoc> docs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            docs.add(doc(String.format("d%03d", (i * 97) % 250), i % 2 == 0 ? "alice" : "bob")
                    .readers(Set.of("alice")).title(i % 13 == 0 ? null : "Song " + (i % 10))
                    .artist("Artist " + (i % 6)).album("Album " + (i % 4)).filename("song" + (i % 9) + ".mp3")
                    .year(i % 11 == 0 ? null : 2000 + i % 3).duration((double) (i % 5))
                    .createdAt(T0.plusSeconds(i % 4)).build());
        }
        index.putAll(docs);

        for (String sort : List.of("-created", "created", "title", "-title", "artist", "-album", "year", "-year",
                "duration", "-duration", "filename", "relevance")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                LibraryPage page = search(LibraryQuery.builder("alice").text(sort.equals("relevance") ? "song" : null)
                        .sort(sort).limit(7).cursor(cursor));
                assertThat(page.total()).as(sort).isEqualTo(250);
                assertThat(page.items()).as(sort).hasSizeBetween(1, 7);
                seen.addAll(ids(page));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null);
            assertThat(pages).as(sort).isEqualTo(36);
            assertThat(seen).as(sort).hasSize(250).doesNotHaveDuplicates();
        }
    }

    @Test
    void theLastPageHasNoCursor() {
        IntStream.range(0, 14).forEach(i -> index.put(doc("a" + i, "alice").build()));

        LibraryPage first = search(LibraryQuery.builder("alice").limit(7));
        LibraryPage second = search(LibraryQuery.builder("alice").limit(7).cursor(first.nextCursor()));

        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.items()).hasSize(7);
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aCursorOfAnotherQueryOrSortOrAMangledOneIsRefused() {
        IntStream.range(0, 10).forEach(i -> index.put(doc("a" + i, "alice").title("Song " + i).build()));
        String cursor = search(LibraryQuery.builder("alice").text("song").limit(3)).nextCursor();
        assertThat(cursor).isNotNull();

        refused(() -> LibraryQuery.builder("alice").text("other").cursor(cursor).build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("bob").text("song").cursor(cursor).build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("alice").text("song").sort("title").cursor(cursor).build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("alice").text("song").genre("rock").cursor(cursor).build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("alice").text("song").cursor("not a cursor!").build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("alice").text("song").cursor(cursor.substring(0, cursor.length() - 4))
                .build(), "bad-cursor");
        refused(() -> LibraryQuery.builder("alice").text("song").cursor(cursor + "AAAA").build(), "bad-cursor");
        refused(() -> index.search(new LibraryQuery("alice", false, "other", null, null, null, null, null, null,
                null, null, null, null, null, 20, cursor, false)), "bad-cursor");
        // the same query with another limit goes on
        assertThat(search(LibraryQuery.builder("alice").text("song").limit(5).cursor(cursor)).items()).hasSize(5);
    }

    @Test
    void malformedQueriesAreRefused() {
        List<Consumer<LibraryQuery.Builder>> bad = List.of(
                q -> q.text("a".repeat(201)),
                q -> q.text(String.join(" ", Collections.nCopies(17, "word"))),
                q -> q.text("!!! ..."),
                q -> q.limit(0),
                q -> q.limit(101),
                q -> q.sort("colour"),
                q -> q.sort("-relevance"),
                q -> q.sort("relevance"),
                q -> q.years(2001, 2000),
                q -> q.duration(-1.0, null),
                q -> q.duration(null, Double.NaN),
                q -> q.duration(10.0, 5.0),
                q -> q.mediaKind("pdf"));
        for (Consumer<LibraryQuery.Builder> change : bad) {
            refused(() -> {
                LibraryQuery.Builder query = LibraryQuery.builder("alice");
                change.accept(query);
                query.build();
            }, "bad-query");
        }
        refused(() -> LibraryQuery.builder(null).build(), "bad-query");
        refused(() -> LibraryQuery.builder(" ").everything(true).owned(true).build(), "bad-query");
        assertThat(LibraryQuery.builder("alice").text(String.join(" ", Collections.nCopies(16, "w")))
                .limit(100).years(2000, 2000).build().terms()).hasSize(16);
        assertThat(LibraryQuery.builder("alice").text("  ").build().sort()).isEqualTo(LibrarySort.NEWEST);
    }

    @Test
    void reopeningTheIndexFindsItsDocs() {
        try (LibraryIndex disk = open("library")) {
            disk.put(doc("a1", "alice").title("Kept").build());
            disk.put(doc("a2", "alice").title("Dropped").build());
            disk.delete("a2");
        }
        try (LibraryIndex disk = open("library")) {
            assertThat(disk.count()).isEqualTo(1);
            assertThat(ids(disk.search(LibraryQuery.builder("alice").text("kept").build()))).containsExactly("a1");
        }
    }

    @Test
    void replaceAllLeavesExactlyTheNewDocsAndSearchesSeeTheOldUntilItIsDone() {
        index.putAll(List.of(doc("a1", "alice").title("Old").build(), doc("a2", "alice").title("Old").build(),
                doc("a3", "alice").title("Old").build()));
        Set<String> seenDuring = new HashSet<>();

        index.replaceAll(Stream.of(doc("a2", "alice").title("New").build(), doc("a4", "alice").title("New").build())
                .peek(d -> seenDuring.addAll(ids(LibraryQuery.builder("alice")))));

        assertThat(seenDuring).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(index.count()).isEqualTo(2);
        assertThat(ids(LibraryQuery.builder("alice").sort("title"))).containsExactly("a2", "a4");
        assertThat(found("alice", "old")).isEmpty();
        index.put(doc("a5", "alice").build());
        assertThat(index.count()).isEqualTo(3);
    }

    @Test
    void aRebuildThatFailsPartWayLeavesSearchesOnTheOldContents() {
        index.putAll(List.of(doc("a1", "alice").title("Old").build(), doc("a2", "alice").title("Old").build()));

        assertThatThrownBy(() -> index.replaceAll(Stream.of(doc("a3", "alice").build(), doc("a4", "alice").build())
                .peek(d -> {
                    if (d.assetId().equals("a4")) {
                        throw new IllegalStateException("the store went away");
                    }
                }))).hasMessage("the store went away");

        assertThat(ids(LibraryQuery.builder("alice").sort("title"))).containsExactly("a1", "a2");
        index.put(doc("a5", "alice").build());
        assertThat(ids(LibraryQuery.builder("alice").sort("title"))).containsExactlyElementsOf(
                keepsWhatAFailedRebuildRead() ? List.of("a1", "a2", "a3", "a5") : List.of("a1", "a2", "a5"));
    }

    @Test
    void aLongWordAndManyWordsAreSearchedAsAnyOther() {
        String word = "b" + "ab".repeat(99);
        index.put(doc("a1", "alice").title(word).build());

        assertThat(found("alice", word)).containsExactly("a1");
        assertThat(found("alice", word.substring(0, 150) + "x" + word.substring(151))).containsExactly("a1");
        assertThat(found("alice", String.join(" ", Collections.nCopies(16, "babab")))).containsExactly("a1");
    }

    @Test
    void writesFromSeveralThreadsWhileOthersSearchAreAllKept() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int writer = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        index.put(doc("w" + writer + "-" + i, "alice").title("Song " + i).build());
                        search(LibraryQuery.builder("alice").text("song").facets(true));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failures).isEmpty();
        assertThat(index.count()).isEqualTo(200);
        assertThat(search(LibraryQuery.builder("alice").text("song").facets(true)).total()).isEqualTo(200);
    }
}
