package routes.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;
import routes.webhooks.CallbackPolicy;
import routes.webhooks.PublicHttpClients;
import routes.webhooks.RefusedAddressException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Images named by URL (Thumbor's {@code http://host/img.png} or {@code host/img.png} keys, imgproxy's {@code plain/}
 * and base64 URL sources), fetched only from the origins an operator lists in {@code caravan.images.remote-origins}
 * (scheme, host, optional port and path prefix each) and kept in the storage beside the uploads, under
 * {@code originals/remote/{sha-256 of the URL}/{file name}}, so every rendition of them is made, cached and answered as
 * an upload's is. A kept copy older than {@code caravan.images.remote-ttl} is fetched again; when that fails the kept
 * copy goes on being served (and the failure logged).
 *
 * <p>Fetching follows the webhooks' address rule ({@link CallbackPolicy}: public unicast addresses only, checked on
 * the very addresses each connection goes to) unless {@code caravan.images.remote-allow-private-addresses} is set;
 * one time limit covers connecting, waiting and the whole body; the body may be no larger than the images'
 * {@code max-bytes} (refused as soon as a {@code Content-Length} or the bytes read pass it); at most
 * {@value #MAX_REDIRECTS} redirects, each to an allowed origin; the body must be an image format Caravan reads.
 * Refusals: a URL outside the allowed origins is a 400 {@code bad-key}; the origin's 404/410 a 404; its other answers,
 * and an address refused, a 502 {@code origin-failed}; no answer in time a 504 {@code origin-timeout}.
 */
public final class RemoteOriginals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteOriginals.class);

    static final String PREFIX = "remote/";
    static final int MAX_REDIRECTS = 3;
    private static final Pattern URL = Pattern.compile("(?i)https?://.+");
    private static final Pattern FILE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    /** An origin: scheme, host and port, and the path every allowed URL starts with. */
    record Origin(String scheme, String host, int port, String pathPrefix) {

        static Origin parse(String text) {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("caravan.images.remote-origins: '" + text + "' is not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("caravan.images.remote-origins: '" + text
                        + "' must be an http(s) URL with a host and at most a path, e.g. https://images.example.com/");
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port(scheme, uri.getPort()),
                    path.endsWith("/") ? path : path + "/");
        }

        boolean allows(URI url) {
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return scheme.equals(url.getScheme().toLowerCase(Locale.ROOT))
                    && host.equals(url.getHost().toLowerCase(Locale.ROOT))
                    && port == port(scheme, url.getPort())
                    && path.startsWith(pathPrefix);
        }

        /** The host as a Thumbor key without a scheme starts: {@code host} or {@code host:port}. */
        String authority() {
            return port == port(scheme, -1) ? host : host + ":" + port;
        }

        private static int port(String scheme, int port) {
            return port >= 0 ? port : scheme.equals("https") ? 443 : 80;
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final List<Origin> origins;
    private final Duration timeout;
    private final Duration ttl;
    private final long maxBytes;
    private final Clock clock;
    private final CloseableHttpClient http;

    public RemoteOriginals(S3Client s3, String bucket, List<String> origins, Duration timeout, Duration ttl,
            long maxBytes, boolean allowPrivateAddresses, Clock clock) {
        this(s3, bucket, origins, timeout, ttl, maxBytes, new CallbackPolicy(allowPrivateAddresses,
                java.net.InetAddress::getAllByName, "the image URL", "images are fetched from public addresses only",
                "caravan.images.remote-allow-private-addresses"), clock);
    }

    RemoteOriginals(S3Client s3, String bucket, List<String> origins, Duration timeout, Duration ttl, long maxBytes,
            CallbackPolicy policy, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.origins = origins.stream().filter(o -> !o.isBlank()).map(Origin::parse).toList();
        this.timeout = timeout;
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.http = PublicHttpClients.create(policy, timeout, "caravan-images");
    }

    /** Whether any origin is allowed (otherwise a URL key is refused as before). */
    public boolean enabled() {
        return !origins.isEmpty();
    }

    /**
     * The URL {@code key} names, normalised, when it names one Caravan may fetch: an absolute http(s) URL, or (as
     * Thumbor reads a key without a scheme) {@code host/path} whose host is an allowed origin's; null when the key is
     * not a URL at all (an upload's key). A URL outside the allowed origins is a 400.
     */
    public String urlOf(String key) {
        if (origins.isEmpty()) {
            return null;
        }
        String candidate = null;
        if (URL.matcher(key).matches()) {
            candidate = key;
        } else {
            int slash = key.indexOf('/');
            String first = (slash < 0 ? key : key.substring(0, slash)).toLowerCase(Locale.ROOT);
            for (Origin origin : origins) {
                if (origin.authority().equals(first)) {
                    candidate = origin.scheme() + "://" + key;
                    break;
                }
            }
        }
        if (candidate == null) {
            return null;
        }
        URI url = parse(candidate);
        if (origins.stream().noneMatch(o -> o.allows(url))) {
            throw new ImageProblem(ImageProblem.Kind.BAD_KEY, "The image URL " + ImageOptionsParser.printable(
                    candidate) + " is not under an origin this server fetches from (caravan.images.remote-origins).");
        }
        return url.toASCIIString();
    }

    /** Where the copy of {@code url} is kept, under {@code originals/}: {@code remote/{sha-256}/{file name}}. */
    public static String keyOf(String url) {
        String path = URI.create(url).getRawPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        String name = FILE_NAME.matcher(last).replaceAll("_");
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "image";
        }
        if (name.length() > 100) {
            name = name.substring(name.length() - 100);
        }
        return PREFIX + sha256(url) + "/" + name;
    }

    /** Whether a copy stored at {@code lastModified} is older than the TTL and is to be fetched again. */
    public boolean stale(Instant lastModified) {
        return lastModified == null || lastModified.plus(ttl).isBefore(clock.instant());
    }

    /**
     * Fetches {@code url} and keeps it at {@code originals/} + {@link #keyOf}; {@code keptCopy} says whether an older
     * copy is there, which is then left to be served when the fetch fails.
     *
     * @return false when the fetch failed and the kept copy stays
     */
    public boolean fetch(String url, String originalsPrefix, boolean keptCopy) {
        Path file = null;
        try {
            file = Files.createTempFile("caravan-remote-", ".img");
            Fetched fetched = download(url, file);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(originalsPrefix + keyOf(url))
                            .contentType(fetched.format().contentType())
                            .metadata(Map.of("origin-url", url))
                            .build(),
                    RequestBody.fromFile(file));
            LOG.info("image fetched from {}: {} bytes of {}, kept as {}", url, fetched.bytes(),
                    fetched.format().id(), originalsPrefix + keyOf(url));
            return true;
        } catch (Refusal e) {
            if (keptCopy) {
                LOG.warn("image at {} not fetched again ({}); the copy kept since before goes on being served",
                        url, e.getMessage());
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private record Fetched(ImageFormat format, long bytes) {
    }

    /** GETs {@code url} (following allowed redirects) into {@code file} within the limits. */
    private Fetched download(String url, Path file) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpGet get = new HttpGet(current);
            get.setHeader("Accept", "image/*");
            try (CloseableHttpResponse response = http.execute(get)) {
                int status = response.getCode();
                if (status >= 300 && status < 400 && response.getFirstHeader("Location") != null) {
                    String next = parse(URI.create(current).resolve(
                            response.getFirstHeader("Location").getValue().strip()).toString()).toASCIIString();
                    if (origins.stream().noneMatch(o -> o.allows(URI.create(next)))) {
                        throw originFailed(url, "it redirected to " + next + ", which is not under an allowed origin");
                    }
                    current = next;
                    continue;
                }
                if (status == 404 || status == 410) {
                    throw Refusal.notFound("image", url);
                }
                if (status != 200) {
                    throw originFailed(url, "the origin answered " + status);
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    throw originFailed(url, "the origin answered with no body");
                }
                if (entity.getContentLength() > maxBytes) {
                    get.cancel();
                    throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE, "The image at " + url + " is "
                            + entity.getContentLength() + " bytes; at most " + maxBytes + " are read.");
                }
                long bytes = copy(entity, file, deadline, get, url);
                ImageFormat format = sniff(file);
                if (format == null) {
                    Header type = response.getFirstHeader("Content-Type");
                    throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT, "The origin's answer for " + url
                            + " is not an image this server reads (Content-Type "
                            + (type == null ? "none" : type.getValue()) + ").");
                }
                return new Fetched(format, bytes);
            } catch (RefusedAddressException e) {
                throw originFailed(url, e.getMessage());
            } catch (UnknownHostException e) {
                throw originFailed(url, "its host does not resolve");
            } catch (InterruptedIOException e) {
                throw new Refusal(Refusal.Kind.UPSTREAM_TIMEOUT, "origin-timeout", "Origin timeout", "The origin"
                        + " did not answer for " + url + " within " + timeout.toSeconds() + " s"
                        + " (caravan.images.remote-timeout).");
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new Refusal(Refusal.Kind.UPSTREAM_TIMEOUT, "origin-timeout", "Origin timeout",
                            "The image at " + url + " did not arrive within " + timeout.toSeconds() + " s"
                                    + " (caravan.images.remote-timeout).");
                }
                throw originFailed(url, "the connection failed: " + ImageInspector.reason(e));
            }
        }
        throw originFailed(url, "more than " + MAX_REDIRECTS + " redirects");
    }

    /** The body into {@code file}, refused past the byte limit or the deadline. */
    private long copy(HttpEntity entity, Path file, long deadline, HttpGet get, String url) throws IOException {
        long total = 0;
        try (InputStream in = entity.getContent(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    get.cancel();
                    throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE, "The image at " + url
                            + " is more than " + maxBytes + " bytes; at most " + maxBytes + " are read.");
                }
                if (System.nanoTime() > deadline) {
                    get.cancel();
                    throw new java.net.SocketTimeoutException("the whole body took longer than the time limit");
                }
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY_IMAGE, "The origin's answer for " + url + " is empty.");
        }
        return total;
    }

    private static ImageFormat sniff(Path file) throws IOException {
        byte[] head = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return ImageFormat.sniff(head, n);
    }

    private static Refusal originFailed(String url, String why) {
        return new Refusal(Refusal.Kind.UPSTREAM_FAILED, "origin-failed", "Origin failed",
                "The image at " + url + " could not be fetched: " + why + ".");
    }

    /** {@code text} as an absolute http(s) URL with a host and no user info; a 400 otherwise. */
    private static URI parse(String text) {
        try {
            URI url = new URI(text);
            if (url.getScheme() == null || url.getHost() == null || url.getRawUserInfo() != null
                    || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
                throw new URISyntaxException(text, "not an absolute http(s) URL with a host");
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            for (String segment : path.split("/", -1)) {
                String decoded = java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
                if (decoded.equals(".") || decoded.equals("..")) { // resolved differently by different servers
                    throw new URISyntaxException(text, "a dot segment");
                }
            }
            return new URI(url.getScheme().toLowerCase(Locale.ROOT), null, url.getHost().toLowerCase(Locale.ROOT),
                    url.getPort(), null, null, null).resolve(path
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ImageProblem(ImageProblem.Kind.BAD_KEY, "The image URL " + ImageOptionsParser.printable(text)
                    + " is not a valid absolute http(s) URL without user info or '.'/'..' segments.");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** The allowed origins, as configured (for logs). */
    List<String> origins() {
        List<String> shown = new ArrayList<>();
        for (Origin o : origins) {
            shown.add(o.scheme() + "://" + o.authority() + o.pathPrefix());
        }
        return shown;
    }
}
