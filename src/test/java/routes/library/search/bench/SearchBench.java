package routes.library.search.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import routes.library.search.LibraryDoc;
import routes.library.search.LibraryIndex;
import routes.library.search.LibraryPage;
import routes.library.search.LibraryQuery;

/**
 * Times {@link LibraryIndex} on a generated library: indexes {@code --docs} items (artists, albums and titles from
 * word lists, a seeded Random, about 5% with a 1-3 KB transcript, 10 owners who share some items with others) into
 * an index on disk with one rebuild, then runs a mixed query load after a warm-up, first on one thread, then on
 * {@code --threads}, and prints the latency percentiles and the rate, overall and by kind of query. Run by
 * {@code bench/library-search.sh}.
 *
 * <pre>SearchBench [--docs 100000] [--queries 5000] [--warmup 3000] [--threads 2] [--dir target/bench/library-search]</pre>
 */
public final class SearchBench {

    private static final String[] WORDS = ("love night day heart fire rain river light dark blue red golden silver "
            + "dream dreams shadow shadows summer winter autumn spring morning evening midnight ocean sea sky star "
            + "stars moon sun city road home heaven angel devil wild young old lonely broken electric velvet glass "
            + "stone paper wire ghost ghosts machine radio television garden forest mountain desert island storm "
            + "thunder lightning echo echoes silence voice voices song songs dance dancing running falling rising "
            + "burning waiting crying flying driving sleeping talking walking beautiful strange crazy sweet bitter "
            + "happy sad perfect secret hidden lost found free alone together forever never always tomorrow "
            + "yesterday tonight kingdom empire revolution freedom paradise memory memories mirror window door "
            + "street highway train station harbor bridge tower castle temple church diamond gold crystal smoke "
            + "wolf tiger lion eagle raven dragon horse snake butterfly rose lily violet cherry honey sugar whiskey "
            + "coffee tea wine champagne neon chrome atomic cosmic digital analog modern future past present "
            + "northern southern eastern western tropical arctic orbit galaxy planet comet nebula horizon").split(" ");
    private static final String[] FIRST = ("John Paul George Ringo David Robert Jimmy Freddie Brian Roger Elton Stevie "
            + "Aretha Nina Billie Ella Joni Janis Patti Kate Tori Fiona Bjork Sinead Dolores Thom Jonny Chris Damon "
            + "Noel Liam Kurt Eddie Layne Jeff Tom Bruce Bob Neil Leonard Nick Marianne Karen Amy Adele Beyonce "
            + "Rihanna Taylor Lana Florence Regina Feist Annie Sade Solange Frank Kendrick Kanye Pharrell Andre "
            + "Erykah Lauryn Miles John Herbie Wayne Thelonious Charles Dizzy Sonny Ornette Keith Chick Pat Jaco "
            + "Zoe Mathilde Sebastien Francoise Edith Jacques Serge Ines Joao Caetano Gilberto Astrud Celia Tito "
            + "Ryuichi Haruomi Yoko Kyu Ravi Nusrat Fela Youssou Salif Ali Ibrahim Oumou Angelique Cesaria").split(" ");
    private static final String[] LAST = ("Lennon McCartney Harrison Starr Bowie Plant Page Mercury May Taylor John Wonder "
            + "Franklin Simone Holiday Fitzgerald Mitchell Joplin Smith Bush Amos Apple Gudmundsdottir OConnor "
            + "Riordan Yorke Greenwood Martin Albarn Gallagher Cobain Vedder Staley Buckley Waits Springsteen Dylan "
            + "Young Cohen Cave Faithfull Carpenter Winehouse Adkins Knowles Fenty Swift DelRey Welch Spektor "
            + "Lennox Adu Ocean Lamar West Williams Benjamin Badu Hill Davis Coltrane Hancock Shorter Monk Mingus "
            + "Gillespie Rollins Coleman Jarrett Corea Metheny Pastorius Gainsbourg Piaf Brel Hardy Gilberto Veloso "
            + "Cruz Puente Sakamoto Hosono Ono Shankar Khan Kuti Ndour Keita Toure Sangare Kidjo Evora").split(" ");
    private static final String[] GENRES = {"Rock", "Pop", "Jazz", "Electronic", "Hip-Hop", "Classical", "Folk",
        "Soul", "R&B", "Blues", "Country", "Metal", "Punk", "Reggae", "Latin", "World", "Ambient", "Soundtrack",
        "Indie", "Funk"};
    private static final String[] LABELS = {"upbeat", "calm", "sad", "happy", "workout", "focus", "party", "chill",
        "road-trip", "sleep", "favourite", "rainy-day", "summer", "winter", "morning", "late-night", "dinner",
        "study", "running", "cooking", "live", "acoustic", "remix", "cover", "demo", "instrumental", "vocal",
        "classic", "new", "guilty-pleasure"};
    private static final String[] SPEECH = ("the a and to of in that it is was i you we they he she this on for with "
            + "as at be have not but what all were when there can an your which their said if do will each about how "
            + "up out them then many some so these would other into has more her two like him see time could no make "
            + "than first been its who now people my made over did down only way find use may water long little "
            + "very after words called just where most know get through back much before go good new write our used "
            + "me man too any day same right look think also around another came come work three word must because "
            + "does part even place well such here take why things help put years different away again off went "
            + "music record studio guitar drums bass piano vocals tour album song producer session microphone "
            + "interview question answer story remember started band played stage audience").split(" ");

    private SearchBench() {
    }

    /** One query of the load, by kind; a listing with cursors is several pages. */
    private record Task(String kind, LibraryQuery.Builder query, int pages) {
    }

    public static void main(String[] args) throws Exception {
        int docs = 100_000;
        int queries = 5_000;
        int warmup = 3_000;
        int threads = 2;
        Path dir = Path.of("target/bench/library-search");
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--docs" -> docs = Integer.parseInt(value);
                case "--queries" -> queries = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        delete(dir);
        List<LibraryDoc> library = generate(docs, new Random(42));
        try (LibraryIndex index = LibraryIndex.open(dir)) {
            long start = System.nanoTime();
            index.replaceAll(library.stream());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("indexed %d docs (%d with a transcript) in %.1f s: %.0f docs/s; index %.0f MB on disk%n",
                    index.count(), library.stream().filter(d -> d.transcript() != null).count(), seconds,
                    docs / seconds, size(dir) / 1e6);

            Random random = new Random(7);
            run(index, tasks(library, warmup, random), 1, null);
            System.out.println("mixed load (latency per page, in ms):");
            run(index, tasks(library, queries, random), 1, "1 thread ");
            List<Task> load = tasks(library, queries * threads, random);
            run(index, load, threads, threads + " threads");
        }
    }

    private static List<LibraryDoc> generate(int count, Random random) {
        List<String> artists = new ArrayList<>();
        for (int i = 0; i < Math.max(50, count / 50); i++) {
            artists.add(switch (random.nextInt(3)) {
                case 0 -> pick(FIRST, random) + " " + pick(LAST, random);
                case 1 -> "The " + capital(pick(WORDS, random)) + " " + capital(pick(WORDS, random)) + "s";
                default -> capital(pick(WORDS, random)) + " " + capital(pick(WORDS, random));
            });
        }
        Map<String, List<String>> albums = new LinkedHashMap<>();
        Instant origin = Instant.parse("2022-01-01T00:00:00Z");
        List<LibraryDoc> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String artist = artists.get((int) Math.min(artists.size() - 1,
                    Math.abs(random.nextGaussian()) * artists.size() / 3));
            List<String> own = albums.computeIfAbsent(artist, a -> new ArrayList<>());
            if (own.isEmpty() || (own.size() < 6 && random.nextInt(12) == 0)) {
                own.add(capital(words(random, 1 + random.nextInt(3))));
            }
            String album = own.get(random.nextInt(own.size()));
            String title = capital(words(random, 1 + random.nextInt(4)));
            int kind = random.nextInt(20);
            String mediaKind = kind < 16 ? "audio" : kind < 19 ? "video" : "image";
            String owner = "user" + random.nextInt(10);
            Set<String> readers = new HashSet<>();
            if (random.nextInt(10) == 0) {
                for (int r = 0; r <= random.nextInt(3); r++) {
                    readers.add("user" + random.nextInt(10));
                }
                readers.remove(owner);
            }
            List<String> labels = new ArrayList<>();
            for (int l = random.nextInt(4); l > 0; l--) {
                labels.add(pick(LABELS, random));
            }
            String extension = mediaKind.equals("audio") ? ".mp3" : mediaKind.equals("video") ? ".mp4" : ".jpg";
            Instant created = origin.plusSeconds(random.nextInt(3 * 365 * 86_400));
            docs.add(LibraryDoc.builder(String.format("asset-%06d", i), owner, mediaKind).readers(readers)
                    .filename((artist + "_-_" + title).replace(' ', '_') + extension)
                    .contentType(mediaKind + "/" + extension.substring(1))
                    .title(title).artist(artist).album(mediaKind.equals("image") ? null : album).albumArtist(artist)
                    .genre(pick(GENRES, random)).composer(random.nextInt(4) == 0 ? artist : null)
                    .year(random.nextInt(10) == 0 ? null : 1960 + random.nextInt(65)).track(1 + random.nextInt(14))
                    .disc(1).isrc(String.format("US%s%07d", "ABC".charAt(random.nextInt(3)), i))
                    .duration(mediaKind.equals("image") ? null : 30 + random.nextDouble() * 570)
                    .labels(labels).transcript(random.nextInt(20) == 0 ? speech(random, 1000 + random.nextInt(2000))
                            : null)
                    .createdAt(created).updatedAt(created.plusSeconds(random.nextInt(86_400))).build());
        }
        return docs;
    }

    /**
     * A mix of queries by the owners of random items (1 in 20 by an admin), in turn: an item's artist with a typo, the first 2 to 5
     * letters of a word, an item's artist and first title word, a listing by genre or kind with facets, a listing
     * sorted by title, year, duration, date or artist, 50 a page, 3 pages deep.
     */
    private static List<Task> tasks(List<LibraryDoc> library, int count, Random random) {
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // what the owner of a random item looks for in their library
            LibraryDoc doc = library.get(random.nextInt(library.size()));
            LibraryQuery.Builder query = random.nextInt(20) == 0 ? LibraryQuery.builder(null).everything(true)
                    : LibraryQuery.builder(doc.owner());
            String artist = doc.artist();
            String word = pick(WORDS, random);
            tasks.add(switch (i % 5) {
                case 0 -> new Task("typo", query.text(typo(artist, random)), 1);
                case 1 -> new Task("prefix", query.text(word.substring(0, Math.min(word.length(),
                        2 + random.nextInt(4)))), 1);
                case 2 -> new Task("two words", query.text(artist.split(" ")[artist.startsWith("The ") ? 1 : 0]
                        + " " + doc.title().split(" ")[0]), 1);
                case 3 -> new Task("facets", random.nextBoolean() ? query.genre(pick(GENRES, random)).facets(true)
                        : query.mediaKind(random.nextBoolean() ? "audio" : "video").facets(true), 1);
                default -> new Task("sorted", query.sort(pick(new String[] {"title", "-year", "duration", "-created",
                    "artist"}, random)).limit(50), 3);
            });
        }
        return tasks;
    }

    /**
     * Runs the tasks on {@code threads} threads; when {@code label} is set, prints the latencies of their pages and
     * the share of the tasks of each kind that found anything.
     */
    private static void run(LibraryIndex index, List<Task> tasks, int threads, String label) throws Exception {
        Map<String, List<Long>> byKind = new LinkedHashMap<>();
        Map<String, LongAdder> found = new ConcurrentHashMap<>();
        List<Long> all = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Map<String, List<Long>>>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    Map<String, List<Long>> times = new LinkedHashMap<>();
                    for (int i = first; i < tasks.size(); i += threads) {
                        Task task = tasks.get(i);
                        String cursor = null;
                        for (int page = 0; page < task.pages(); page++) {
                            long begin = System.nanoTime();
                            LibraryPage result = index.search(task.query().cursor(cursor).build());
                            times.computeIfAbsent(task.kind(), k -> new ArrayList<>()).add(System.nanoTime() - begin);
                            if (page == 0 && result.total() > 0) {
                                found.computeIfAbsent(task.kind(), k -> new LongAdder()).increment();
                            }
                            cursor = result.nextCursor();
                            if (cursor == null) {
                                break;
                            }
                        }
                    }
                    return times;
                }));
            }
            for (Future<Map<String, List<Long>>> each : done) {
                each.get().forEach((kind, times) -> {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(times);
                    all.addAll(times);
                });
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (label != null) {
            System.out.println(line(label, all) + String.format(", %.0f queries/s", all.size() / seconds));
            byKind.forEach((kind, times) -> {
                long count = tasks.stream().filter(task -> task.kind().equals(kind)).count();
                System.out.printf("    %s; %.0f%% found something%n", line(kind, times),
                        100.0 * found.getOrDefault(kind, new LongAdder()).sum() / count);
            });
        }
    }

    private static String line(String label, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("  %-10s %6d queries: p50 %6.2f, p95 %6.2f, p99 %6.2f, max %7.2f", label, sorted.length,
                at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double share) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1)] / 1e6;
    }

    /** The name with one typo (a swap, a dropped or a changed letter) in its longest word, past the first letter. */
    private static String typo(String name, Random random) {
        String[] words = name.split(" ");
        int longest = 0;
        for (int w = 1; w < words.length; w++) {
            longest = words[w].length() > words[longest].length() ? w : longest;
        }
        char[] word = words[longest].toCharArray();
        if (word.length < 4) {
            return name;
        }
        int at = 1 + random.nextInt(word.length - 2);
        String typed = switch (random.nextInt(3)) {
            case 0 -> {
                char c = word[at];
                word[at] = word[at + 1];
                word[at + 1] = c;
                yield new String(word);
            }
            case 1 -> new String(word, 0, at) + new String(word, at + 1, word.length - at - 1);
            default -> {
                word[at] = (char) ('a' + random.nextInt(26));
                yield new String(word);
            }
        };
        words[longest] = typed;
        return String.join(" ", words);
    }

    private static String speech(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 20);
        while (text.length() < chars) {
            text.append(pick(SPEECH, random)).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        return text.toString();
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(pick(WORDS, random));
        }
        return text.toString();
    }

    private static String capital(String words) {
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
