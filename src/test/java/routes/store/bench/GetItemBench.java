package routes.store.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store's own read rate: GetItem of one item by its key through the AWS SDK (the client the app uses, Apache
 * HTTP), from N threads for a while (after as long again from one thread, not counted, to compile the client's
 * code), printing requests per second, latency percentiles and CPU time per request. bench/status-read.sh runs
 * it beside wrk against the API, on the same item.
 *
 *   GetItemBench ENDPOINT TABLE ID THREADS SECONDS KEYS_FILE [STORE_PID]
 *
 * With STORE_PID (the process serving the store), it also prints the CPU time per request of this client and of
 * that process over the measured phase.
 * KEYS_FILE: the embedded stack's keys ({data-dir}/embedded/keys.properties), whose access key names its database.
 */
public final class GetItemBench {

    private GetItemBench() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String table = args[1];
        String id = args[2];
        int threads = Integer.parseInt(args[3]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[4]));
        Properties keys = new Properties();
        try (var in = Files.newInputStream(Path.of(args[5]))) {
            keys.load(in);
        }
        String storePid = args.length > 6 ? args[6] : null;
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        keys.getProperty("accessKeyId"), keys.getProperty("secretAccessKey"))))
                .httpClient(ApacheHttpClient.builder().maxConnections(threads * 2).build()).build()) {
            Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS(id));
            if (!dynamo.getItem(r -> r.tableName(table).key(key)).hasItem()) {
                throw new IllegalArgumentException("no item " + id + " in " + table);
            }
            // the client's code compiled first, as the app's is after its warm-up: the same length, not counted
            long warm = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < warm) {
                dynamo.getItem(r -> r.tableName(table).key(key));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(threads);
            List<long[]> latencies = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] mine = new long[2_000_000];
                latencies.add(mine);
                Thread thread = new Thread(() -> {
                    int n = 0;
                    while (running.get() && n < mine.length - 1) {
                        long start = System.nanoTime();
                        dynamo.getItem(r -> r.tableName(table).key(key));
                        mine[++n] = System.nanoTime() - start;
                    }
                    mine[0] = n;
                    done.countDown();
                });
                thread.start();
            }
            var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStarted = process.getProcessCpuTime();
            long storeStarted = storeCpu(storePid);
            long started = System.nanoTime();
            Thread.sleep(duration.toMillis());
            running.set(false);
            done.await();
            double seconds = (System.nanoTime() - started) / 1e9;
            long cpu = process.getProcessCpuTime() - cpuStarted;
            long store = storeCpu(storePid) - storeStarted;
            List<Long> all = new ArrayList<>();
            for (long[] mine : latencies) {
                for (int i = 1; i <= mine[0]; i++) {
                    all.add(mine[i]);
                }
            }
            all.sort(null);
            System.out.printf("GetItem: %d requests in %.1f s: %.1f requests/s, p50 %.2f ms, p99 %.2f ms%n",
                    all.size(), seconds, all.size() / seconds, all.get(all.size() / 2) / 1e6,
                    all.get((int) (all.size() * 0.99)) / 1e6);
            System.out.printf("client CPU: %.0f us per request%n", cpu / 1e3 / all.size());
            if (storePid != null) {
                System.out.printf("store CPU: %.0f us per request%n", store / 1e3 / all.size());
            }
        }
    }

    /**
     * The CPU time (ns) the store's process has used so far, from Linux's /proc (utime and stime, in clock ticks of
     * 10 ms, the kernel's USER_HZ); 0 without a process id.
     */
    private static long storeCpu(String pid) throws java.io.IOException {
        if (pid == null) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
