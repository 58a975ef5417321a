package routes.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import routes.access.Caller;
import routes.problems.Refusal;
import routes.tus.TusUpload;
import routes.tus.TusUploads;

/**
 * The tus 1.0 protocol at {@value #PATH} (core, creation, creation-with-upload, termination, expiration), answered
 * here in a servlet filter rather than by a route of the REST DSL: a PATCH body of many megabytes is streamed from the
 * request into S3 parts as it arrives ({@link TusUploads}), which the routes, whose bodies are read whole before they
 * begin, cannot do. It runs after sign-in (the caller is known) and before the request bodies filter, which never
 * sees these requests. Every refusal is problem+json; an upload whose bytes all arrived goes to {@code arrived}, the
 * route a presigned upload's arrival takes.
 */
public final class TusEndpoint extends OncePerRequestFilter {

    public static final String PATH = "/api/v1/tus";
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration";
    static final String OFFSET_STREAM = "application/offset+octet-stream";
    /** The asset an upload fills, named on every answer about the upload (a client follows its job by it). */
    public static final String ASSET_HEADER = "X-Caravan-Asset-Id";

    private static final Logger LOG = LoggerFactory.getLogger(TusEndpoint.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final TusUploads uploads;
    private final Consumer<TusUpload> arrived;

    /**
     * @param arrived hands an upload whose bytes all arrived to the routes (its asset becomes READY, its job starts)
     */
    public TusEndpoint(TusUploads uploads, Consumer<TusUpload> arrived) {
        this.uploads = uploads;
        this.arrived = arrived;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !(uri.equals(PATH) || uri.startsWith(PATH + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String rest = request.getRequestURI().substring(PATH.length());
        String id = rest.isEmpty() || rest.equals("/") ? null : rest.substring(1);
        String method = request.getMethod();
        try {
            if ("OPTIONS".equals(method)) {
                options(response);
                return;
            }
            response.setHeader("Tus-Resumable", VERSION);
            Caller caller = caller(request);
            String resumable = request.getHeader("Tus-Resumable");
            if (!VERSION.equals(resumable)) {
                throw new Refusal(Refusal.Kind.PRECONDITION_FAILED, "tus-version", null, "Tus-Resumable "
                        + (resumable == null ? "is missing" : Refusal.quoted(resumable) + " is not spoken here")
                        + ": send Tus-Resumable: " + VERSION).withHeader("Tus-Version", VERSION);
            }
            if (id == null) {
                if (!"POST".equals(method)) {
                    throw notAllowed(method, "OPTIONS, POST");
                }
                create(request, response, caller);
            } else if (id.contains("/")) {
                throw Refusal.notFound("upload", id);
            } else {
                switch (method) {
                    case "HEAD" -> head(response, uploads.find(id, caller));
                    case "PATCH" -> patch(request, response, id, caller);
                    case "DELETE" -> {
                        uploads.terminate(id, caller);
                        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                    }
                    default -> throw notAllowed(method, "OPTIONS, HEAD, PATCH, DELETE");
                }
            }
        } catch (Refusal refusal) {
            refuse(request, response, refusal);
        } catch (RuntimeException e) {
            String correlationId = UUID.randomUUID().toString();
            LOG.error("{} {} failed (correlation id {})", method, request.getRequestURI(), correlationId, e);
            if (!response.isCommitted()) {
                response.resetBuffer();
                response.setHeader("Connection", "close");
                ProblemResponder.write(response, ProblemResponder.ofStatus(500, method), request.getRequestURI(),
                        correlationId);
            }
        }
    }

    private void options(HttpServletResponse response) {
        response.setHeader("Tus-Resumable", VERSION);
        response.setHeader("Tus-Version", VERSION);
        response.setHeader("Tus-Extension", EXTENSIONS);
        response.setHeader("Tus-Max-Size", Long.toString(uploads.maxSize()));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private void create(HttpServletRequest request, HttpServletResponse response, Caller caller) throws IOException {
        boolean withUpload = hasBody(request);
        if (withUpload) {
            offsetStream(request);
        }
        TusUpload upload = uploads.create(request.getHeader("Upload-Length"), request.getHeader("Upload-Metadata"),
                caller);
        response.setHeader("Location", PATH + "/" + upload.id());
        response.setHeader(ASSET_HEADER, upload.assetId());
        response.setHeader("Upload-Expires", HTTP_DATE.format(upload.expiresAt()));
        if (withUpload) {
            upload = append(request, upload.id(), caller, 0);
            response.setHeader("Upload-Offset", Long.toString(upload.offset()));
        }
        response.setStatus(HttpServletResponse.SC_CREATED);
    }

    private void head(HttpServletResponse response, TusUpload upload) {
        response.setHeader(ASSET_HEADER, upload.assetId());
        response.setHeader("Upload-Offset", Long.toString(upload.completed() ? upload.length() : upload.offset()));
        response.setHeader("Upload-Length", Long.toString(upload.length()));
        response.setHeader("Cache-Control", "no-store");
        if (!upload.completed()) {
            response.setHeader("Upload-Expires", HTTP_DATE.format(upload.expiresAt()));
        }
        response.setStatus(HttpServletResponse.SC_OK);
    }

    private void patch(HttpServletRequest request, HttpServletResponse response, String id, Caller caller)
            throws IOException {
        offsetStream(request);
        String header = request.getHeader("Upload-Offset");
        long offset;
        try {
            offset = Long.parseLong(header == null ? "" : header.trim());
        } catch (NumberFormatException e) {
            throw Refusal.invalid("bad-upload-offset", header == null ? "Upload-Offset is required"
                    : "Upload-Offset " + Refusal.quoted(header) + " is not a number of bytes");
        }
        if (offset < 0) {
            throw Refusal.invalid("bad-upload-offset", "Upload-Offset cannot be negative");
        }
        TusUpload upload = append(request, id, caller, offset);
        response.setHeader(ASSET_HEADER, upload.assetId());
        response.setHeader("Upload-Offset", Long.toString(upload.completed() ? upload.length() : upload.offset()));
        if (!upload.completed()) {
            response.setHeader("Upload-Expires", HTTP_DATE.format(upload.expiresAt()));
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private TusUpload append(HttpServletRequest request, String id, Caller caller, long offset) throws IOException {
        TusUploads.Appended appended = uploads.append(id, caller, offset, request.getInputStream(),
                request.getContentLengthLong());
        if (appended.completedNow()) {
            try {
                arrived.accept(appended.upload());
            } catch (RuntimeException e) {
                // the object stays under uploads/, where the upload poller finds it and tries again
                LOG.warn("resumable upload {}: asset {} is left to the upload poller: {}", id,
                        appended.upload().assetId(), e.toString());
            }
        }
        return appended.upload();
    }

    private static void offsetStream(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(OFFSET_STREAM)) {
            throw Refusal.unsupportedType("the bytes of a tus upload are sent as Content-Type: " + OFFSET_STREAM
                    + (type == null ? "" : ", not " + Refusal.quoted(type)));
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static Caller caller(HttpServletRequest request) {
        if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) {
            return caller;
        }
        throw new Refusal(Refusal.Kind.UNAUTHORIZED, "unauthorized", null,
                "sign in: send an access token (Authorization: Bearer <token>) or an API key (X-Api-Key)");
    }

    private static Refusal notAllowed(String method, String allowed) {
        return new Refusal(Refusal.Kind.INVALID, "method-not-allowed", "Method not allowed", "the method "
                + Refusal.quoted(method) + " is not allowed here; " + allowed + " are").withHeader("Allow", allowed);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal)
            throws IOException {
        ProblemResponder.Problem problem = ProblemResponder.of(refusal);
        if ("method-not-allowed".equals(refusal.type())) {
            problem = new ProblemResponder.Problem(405, problem.type(), problem.title(), problem.detail());
        }
        LOG.info("{} {} refused: {} {}", request.getMethod(), request.getRequestURI(), problem.status(),
                problem.detail());
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        refusal.headers().forEach(response::setHeader);
        if (hasBody(request)) {
            // the rest of the body is not read: the connection cannot carry another request
            response.setHeader("Connection", "close");
        }
        ProblemResponder.write(response, problem, request.getRequestURI(), null);
    }
}
