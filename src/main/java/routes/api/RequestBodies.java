package routes.api;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.io.output.DeferredFileOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import routes.problems.Refusal;
import routes.work.WorkFolders;

/**
 * Reads an API request's body before the routes see it, applying its limit as the bytes arrive: a declared
 * {@code Content-Length} over the limit is refused before a byte is read, a chunked body as soon as it passes the
 * limit, a body that does not arrive within the body timeout (a slow or stalled client) or that ends before its
 * declared length is refused too: each as a 4xx problem+json. What is read is held in memory up to a small threshold,
 * beyond it in a temporary file, and handed to the routes with its exact length; so memory per request is bounded
 * whatever the client sends. Direct uploads take {@code caravan.limits.direct-upload} (plus a form's own parts), every
 * other body {@code caravan.limits.json-body}.
 */
public final class RequestBodies extends OncePerRequestFilter {

    /** Bodies up to this size stay in memory; larger ones go to a temporary file. */
    static final int MEMORY_THRESHOLD = 64 * 1024;
    /** What a multipart form may carry beside its file: boundaries, part headers, small fields. */
    static final long FORM_OVERHEAD = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RequestBodies.class);
    private static final String FORM_ENCODED = "application/x-www-form-urlencoded";
    /** A pitch link's password form, the one form a browser posts here (its field arrives as a parameter). */
    private static final Pattern PITCH_FORM = Pattern.compile("/p/[A-Za-z0-9_-]{1,100}");
    private static final Pattern UPLOADS = Pattern.compile("/api/v1/assets(/[^/]+/original)?/?");

    /** The limits: direct uploads, every other body, and how long a body may take to arrive. */
    public record Limits(long directUpload, long jsonBody, Duration timeout) {
    }

    private final Limits limits;
    private final Clock clock;
    private final WorkFolders work;

    public RequestBodies(Limits limits, Clock clock, WorkFolders work) {
        this.work = work;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM_ENCODED)
                && !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())
                && !PITCH_FORM.matcher(request.getRequestURI()).matches()) {
            // even an empty one: the HTTP binding would hand the routes its parameters instead of a body
            refuse(request, response, Refusal.unsupportedType("the API takes no form-encoded bodies: send JSON, or"
                    + " multipart/form-data or the media's own type to upload"));
            return;
        }
        if (!hasBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        boolean upload = UPLOADS.matcher(request.getRequestURI()).matches();
        long limit = upload ? limits.directUpload() + FORM_OVERHEAD : limits.jsonBody();
        String over = upload
                ? "direct uploads take at most " + limits.directUpload() + " bytes (ask POST /api/v1/uploads for a"
                        + " presigned URL instead)"
                : "this operation takes a body of at most " + limits.jsonBody() + " bytes";
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, Refusal.tooLarge("the body has " + declared + " bytes; " + over));
            return;
        }
        Body body;
        try {
            body = read(request.getInputStream(), declared, limit);
        } catch (TooLarge e) {
            refuse(request, response, Refusal.tooLarge("the body passed " + limit + " bytes; " + over));
            return;
        } catch (TooSlow e) {
            refuse(request, response, new Refusal(Refusal.Kind.TIMEOUT, "body-timeout", null,
                    "the body did not arrive within " + limits.timeout().toSeconds() + " s (caravan.limits.body-timeout)"));
            return;
        } catch (SocketTimeoutException e) {
            refuse(request, response, new Refusal(Refusal.Kind.TIMEOUT, "body-timeout", null,
                    "the body stopped arriving (nothing for the server's connection timeout)"));
            return;
        } catch (EOFException e) {
            refuse(request, response, Refusal.invalid("truncated-body",
                    "the body ended after fewer bytes than its Content-Length (" + declared + ")"));
            return;
        } catch (IOException e) {
            // the client went away or broke the framing (a bad chunk): nobody may be listening, but say it anyway
            LOG.info("{} {}: the body could not be read: {}", request.getMethod(), request.getRequestURI(), e.toString());
            refuse(request, response, Refusal.invalid("unreadable-body", "the body could not be read: it is not"
                    + " framed as its headers say (Content-Length or chunked encoding)"));
            return;
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM_ENCODED)
                && PITCH_FORM.matcher(request.getRequestURI()).matches() && !wellFormedForm(body)) {
            body.delete();
            refuse(request, response, Refusal.invalid("bad-form", "the form is not name=value pairs joined by &"
                    + " (application/x-www-form-urlencoded, at most " + MAX_FORM + " bytes)"));
            return;
        }
        WithBody withBody = new WithBody(request, body);
        boolean async = false;
        try {
            chain.doFilter(withBody, response);
            // the routes answer asynchronously: the body is theirs until the request completes
            async = withBody.isAsyncStarted();
            if (async) {
                withBody.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        body.delete();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        body.delete();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        body.delete();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        // the same request, still the body's owner
                    }
                });
            }
        } finally {
            if (!async) {
                body.delete();
            }
        }
    }

    /** A form field's name as the password form has them. */
    private static final Pattern FORM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The most of a pitch link's password form that is read. */
    static final int MAX_FORM = 4096;

    /** Whether a form body is name=value pairs joined by {@code &} (what the web binding parses it as). */
    private static boolean wellFormedForm(Body body) {
        if (body.bytes() == null || body.bytes().length > MAX_FORM) {
            return false;
        }
        for (String pair : new String(body.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).split("&", -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || !FORM_NAME.matcher(pair.substring(0, equals)).matches()) {
                return false;
            }
            try {
                java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                return false;
            }
        }
        return true;
    }

    /** A request with a body: one that declares a length above zero, or a chunked one. */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private Body read(InputStream in, long declared, long limit) throws IOException {
        Instant deadline = clock.instant().plus(limits.timeout());
        DeferredFileOutputStream out = DeferredFileOutputStream.builder().setThreshold(MEMORY_THRESHOLD)
                .setPrefix("body-").setSuffix(".bin").setDirectory(work.folder().toFile()).get();
        boolean done = false;
        try (out) {
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > limit) {
                    throw new TooLarge();
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new TooSlow();
                }
                out.write(buffer, 0, n);
            }
            if (declared >= 0 && total < declared) {
                throw new EOFException();
            }
            done = true;
        } finally {
            if (!done && out.getFile() != null) {
                Files.deleteIfExists(out.getFile().toPath());
            }
        }
        return out.isInMemory() ? new Body(out.getData(), null, out.getByteCount())
                : new Body(null, out.getFile().toPath(), out.getByteCount());
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        ProblemResponder.Problem problem = ProblemResponder.of(refusal);
        LOG.info("{} {} refused: {} {}", request.getMethod(), request.getRequestURI(), problem.status(),
                problem.detail());
        // the rest of the body is not read: the connection cannot carry another request
        response.setHeader("Connection", "close");
        ProblemResponder.write(response, problem, request.getRequestURI(), null);
    }

    private static final class TooLarge extends IOException {
    }

    private static final class TooSlow extends IOException {
    }

    /** A body as read: its bytes in memory or in a file. */
    private record Body(byte[] bytes, Path file, long size) {

        InputStream open() {
            try {
                return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void delete() {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("request body file {} not removed: {}", file, e.toString());
                }
            }
        }
    }

    /** The request as the routes see it: the body read, its exact length, no transfer coding. */
    private static final class WithBody extends HttpServletRequestWrapper {

        private final Body body;
        private ServletInputStream stream;

        WithBody(HttpServletRequest request, Body body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            if (stream == null) {
                stream = new BodyStream(body.open());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.size() > Integer.MAX_VALUE ? -1 : (int) body.size();
        }

        @Override
        public long getContentLengthLong() {
            return body.size();
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Length".equalsIgnoreCase(name)) {
                return Long.toString(body.size());
            }
            if ("Transfer-Encoding".equalsIgnoreCase(name)) {
                return null;
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            if ("Content-Length".equalsIgnoreCase(name) || "Transfer-Encoding".equalsIgnoreCase(name)) {
                return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String name = e.nextElement();
                if (!"Content-Length".equalsIgnoreCase(name) && !"Transfer-Encoding".equalsIgnoreCase(name)) {
                    names.add(name);
                }
            }
            names.add("Content-Length");
            return Collections.enumeration(names);
        }
    }

    private static final class BodyStream extends ServletInputStream {

        private final InputStream in;
        private boolean finished;

        BodyStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b == -1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            finished = n == -1;
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("the body has been read already; read it blocking");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
