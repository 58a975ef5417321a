package routes.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadByteCountLimitException;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;
import org.apache.commons.io.input.BoundedInputStream;
import routes.problems.Refusal;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) as a stream, with commons-fileupload2: file parts are written
 * to files in a given folder, plain fields are kept in memory. Every limit is checked while reading, so nothing is
 * held whole in memory. Refuses with {@link Refusal}: {@code malformed-form} (400) for a body that is not a
 * well-formed form, {@code too-large} (413) past the body or file limit.
 */
public final class FormUpload {

    /** Parts in a form at the most, by default. */
    public static final int MAX_PARTS = 100;

    /** RFC 2046: a boundary has 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private FormUpload() {
    }

    /**
     * The limits of one form.
     *
     * @param maxBytes the whole body
     * @param maxFileBytes one file part
     * @param maxFieldBytes one plain field
     * @param maxParts how many parts
     */
    public record Limits(long maxBytes, long maxFileBytes, int maxFieldBytes, int maxParts) {
    }

    /** An uploaded file, written to {@code path}. */
    public record FilePart(String name, String fileName, String contentType, Path path, long size) {
    }

    /** A form as read: its plain fields and its files, in the order sent. */
    public static final class Form {
        private final Map<String, List<String>> fields;
        private final Map<String, FilePart> files;

        private Form(Map<String, List<String>> fields, Map<String, FilePart> files) {
            this.fields = fields;
            this.files = files;
        }

        /** The first value of a field, or null. */
        public String field(String name) {
            List<String> values = fields.get(name);
            return values == null ? null : values.get(0);
        }

        /** Every value of a field (empty when absent). */
        public List<String> fields(String name) {
            return fields.getOrDefault(name, List.of());
        }

        /** The first file sent under that field name, or null. */
        public FilePart file(String name) {
            return files.get(name);
        }

        /** The first file part, whatever its field name, or null. */
        public FilePart firstFile() {
            return files.values().stream().findFirst().orElse(null);
        }
    }

    /** True when {@code contentType} is {@code multipart/form-data} with a usable boundary. */
    public static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(AbstractFileUpload.MULTIPART_FORM_DATA)) {
            return false;
        }
        byte[] boundary = new Parser().getBoundary(contentType);
        return boundary != null && boundary.length > 0 && boundary.length <= MAX_BOUNDARY;
    }

    /**
     * Reads a whole form.
     *
     * @param body the request body, read to its end and not closed
     * @param contentType the request's, with the boundary ({@link #isForm})
     * @param contentLength the request's Content-Length, or -1 when unknown
     * @param dir where file parts are written (as {@code part-N})
     * @throws Refusal {@code malformed-form} or {@code too-large}
     * @throws IOException when reading the body or writing a file fails
     */
    public static Form read(InputStream body, String contentType, long contentLength, Path dir, Limits limits)
            throws IOException {
        if (contentLength > limits.maxBytes()) {
            throw formTooLarge(limits);
        }
        // one byte more than the limit may be read; reading on after it refuses the form
        InputStream bounded = BoundedInputStream.builder().setInputStream(body).setPropagateClose(false)
                .setMaxCount(limits.maxBytes() + 1)
                .setOnMaxCount((max, count) -> {
                    throw formTooLarge(limits);
                }).get();
        Parser parser = new Parser();
        parser.setFileSizeMax(limits.maxFileBytes());
        parser.setHeaderCharset(StandardCharsets.UTF_8);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, FilePart> files = new LinkedHashMap<>();
        int parts = 0;
        try {
            FileItemInputIterator items = parser.getItemIterator(new Body(bounded, contentType, contentLength));
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (++parts > limits.maxParts()) {
                    throw malformed("it has more than " + limits.maxParts() + " parts");
                }
                if (item.isFormField()) {
                    fields.computeIfAbsent(item.getFieldName(), k -> new ArrayList<>())
                            .add(readField(item, limits.maxFieldBytes()));
                } else {
                    Path path = dir.resolve("part-" + parts);
                    long size = Files.copy(item.getInputStream(), path);
                    files.putIfAbsent(item.getFieldName(), new FilePart(item.getFieldName(), fileName(item),
                            item.getContentType(), path, size));
                }
            }
            // the epilogue, so that the whole body is held to the limit
            bounded.transferTo(OutputStream.nullOutputStream());
        } catch (FileUploadByteCountLimitException e) {
            throw Refusal.tooLarge("the file '" + e.getFileName() + "' in the form is larger than "
                    + limits.maxFileBytes() + " bytes");
        } catch (FileUploadException e) {
            throw malformed(e.getMessage());
        }
        if (parts == 0) {
            throw malformed("no part was found between boundaries");
        }
        return new Form(fields, files);
    }

    private static String readField(FileItemInput item, int maxBytes) throws IOException {
        byte[] value = item.getInputStream().readNBytes(maxBytes + 1);
        if (value.length > maxBytes) {
            throw malformed("the field '" + item.getFieldName() + "' is larger than " + maxBytes + " bytes");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static String fileName(FileItemInput item) {
        try {
            return item.getName();
        } catch (InvalidPathException e) {
            throw malformed("the file name of '" + item.getFieldName() + "' is not valid");
        }
    }

    private static Refusal malformed(String reason) {
        return Refusal.invalid("malformed-form", "malformed multipart form: " + reason);
    }

    private static Refusal formTooLarge(Limits limits) {
        return Refusal.tooLarge("the form is larger than " + limits.maxBytes() + " bytes");
    }

    /** A request body as fileupload2 reads it. */
    private record Body(InputStream stream, String contentType, long contentLength) implements RequestContext {

        @Override
        public String getCharacterEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return contentLength;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return stream;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }

    /** fileupload2's parser over a {@link Body}; only its streaming iterator is used. */
    private static final class Parser extends AbstractFileUpload<Body, DiskFileItem, DiskFileItemFactory> {

        @Override
        public FileItemInputIterator getItemIterator(Body body) throws IOException {
            return super.getItemIterator((RequestContext) body);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Body body) throws FileUploadException {
            return super.parseParameterMap((RequestContext) body);
        }

        @Override
        public List<DiskFileItem> parseRequest(Body body) throws FileUploadException {
            return super.parseRequest((RequestContext) body);
        }
    }
}
