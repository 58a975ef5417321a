package routes.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578), read as a stream: parts with a file name are written to files
 * in a given folder, the other fields are kept in memory up to a size. Nothing is held whole in memory.
 */
public final class MultipartForm {

    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_PARTS = 100;

    /** An uploaded file, written to {@code path}. */
    public record FilePart(String name, String fileName, String contentType, Path path, long size) {
    }

    /** The body is not a well-formed multipart form. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    private final Map<String, List<String>> fields;
    private final Map<String, FilePart> files;

    private MultipartForm(Map<String, List<String>> fields, Map<String, FilePart> files) {
        this.fields = fields;
        this.files = files;
    }

    /** The first value of a field, or null. */
    public String field(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a field (empty when absent). */
    public List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** The first file sent under that field name, or null. */
    /** The first file part, whatever its field name, or null. */
    public FilePart firstFile() {
        return files.values().stream().findFirst().orElse(null);
    }

    public FilePart file(String name) {
        return files.get(name);
    }

    /**
     * The boundary of a {@code multipart/form-data} content type, or null when the type is another one or has no
     * valid boundary.
     */
    public static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        List<String> params = splitParams(contentType);
        if (params.isEmpty() || !params.get(0).strip().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < params.size(); i++) {
            String[] kv = keyValue(params.get(i));
            if (kv != null && kv[0].equalsIgnoreCase("boundary")) {
                String b = kv[1];
                if (b.isEmpty() || b.length() > 70) {
                    return null;
                }
                for (char c : b.toCharArray()) {
                    if (c < 0x20 || c > 0x7e) {
                        return null;
                    }
                }
                return b;
            }
        }
        return null;
    }

    /**
     * Reads a whole form.
     *
     * @param body the request body (bound its size before: this reads until the closing boundary)
     * @param boundary from {@link #boundary(String)}
     * @param dir where file parts are written (as {@code part-N})
     * @param maxFieldBytes the largest plain field
     * @throws MalformedException when the body is not a well-formed form
     * @throws IOException when reading the body or writing a file fails
     */
    public static MultipartForm parse(InputStream body, String boundary, Path dir, int maxFieldBytes)
            throws IOException, MalformedException {
        Scanner in = new Scanner(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, FilePart> files = new LinkedHashMap<>();
        // everything before the first boundary is a preamble, ignored
        if (!in.skipToDelimiter()) {
            throw new MalformedException("no multipart boundary found in the body");
        }
        int parts = 0;
        while (true) {
            if (in.afterDelimiterIsEnd()) {
                break;
            }
            if (++parts > MAX_PARTS) {
                throw new MalformedException("more than " + MAX_PARTS + " parts");
            }
            Map<String, String> headers = in.readHeaders();
            String disposition = headers.get("content-disposition");
            if (disposition == null) {
                throw new MalformedException("a part has no Content-Disposition");
            }
            List<String> params = splitParams(disposition);
            if (!params.get(0).strip().equalsIgnoreCase("form-data")) {
                throw new MalformedException("a part is not form-data");
            }
            String name = null;
            String fileName = null;
            for (int i = 1; i < params.size(); i++) {
                String[] kv = keyValue(params.get(i));
                if (kv == null) {
                    continue;
                }
                if (kv[0].equalsIgnoreCase("name")) {
                    name = kv[1];
                } else if (kv[0].equalsIgnoreCase("filename")) {
                    fileName = kv[1];
                }
            }
            if (name == null) {
                throw new MalformedException("a part has no name");
            }
            if (fileName != null) {
                Path path = dir.resolve("part-" + parts);
                long size;
                try (OutputStream out = Files.newOutputStream(path)) {
                    size = in.copyToDelimiter(out, Long.MAX_VALUE);
                }
                files.putIfAbsent(name, new FilePart(name, fileName, headers.get("content-type"), path, size));
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.copyToDelimiter(out, maxFieldBytes);
                fields.computeIfAbsent(name, k -> new ArrayList<>()).add(out.toString(StandardCharsets.UTF_8));
            }
        }
        return new MultipartForm(fields, files);
    }

    // ---------------------------------------------------------------- header parameters

    /** Splits {@code a; b="x;y"; c} on semicolons outside quotes. */
    private static List<String> splitParams(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (quoted && c == '\\' && i + 1 < header.length()) {
                sb.append(c).append(header.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString());
        return out;
    }

    /** {@code key=value} or {@code key="value"} (unquoted, unescaped), or null. */
    private static String[] keyValue(String param) {
        int eq = param.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        String key = param.substring(0, eq).strip();
        String value = param.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() - 1) {
                    c = value.charAt(++i);
                }
                sb.append(c);
            }
            value = sb.toString();
        }
        return new String[] {key, value};
    }

    // ---------------------------------------------------------------- streaming scanner

    /**
     * Reads the body through a buffer, looking for the delimiter {@code CRLF--boundary}. The body is read as if
     * preceded by CRLF, so that a boundary on the very first line is found like the others.
     */
    private static final class Scanner {
        private final InputStream in;
        private final byte[] delimiter;
        private final byte[] buf;
        private int pos;
        private int lim;
        private boolean eof;

        Scanner(InputStream in, byte[] delimiter) {
            this.in = in;
            this.delimiter = delimiter;
            this.buf = new byte[Math.max(64 * 1024, MAX_HEADER_BYTES + delimiter.length + 4)];
            buf[0] = '\r';
            buf[1] = '\n';
            lim = 2;
        }

        /** Reads until at least {@code n} bytes are buffered from {@code pos}, or the end. */
        private void fill(int n) throws IOException {
            if (lim - pos >= n || eof) {
                return;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            while (lim - pos < n && !eof) {
                int r = in.read(buf, lim, buf.length - lim);
                if (r < 0) {
                    eof = true;
                } else {
                    lim += r;
                }
            }
        }

        private int indexOf(byte[] needle) {
            outer:
            for (int i = pos; i <= lim - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (buf[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        /** Discards bytes up to and including the next delimiter; false at the end of the body. */
        boolean skipToDelimiter() throws IOException {
            try {
                copyToDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE);
                return true;
            } catch (MalformedException e) {
                return false;
            }
        }

        /**
         * Copies bytes up to the next delimiter, which is consumed.
         *
         * @return how many bytes were copied
         * @throws MalformedException past {@code max} bytes, or at the end of the body without a delimiter
         */
        long copyToDelimiter(OutputStream out, long max) throws IOException, MalformedException {
            long copied = 0;
            while (true) {
                fill(buf.length);
                int at = indexOf(delimiter);
                int upTo = at >= 0 ? at : Math.max(pos, lim - (delimiter.length - 1));
                if (eof && at < 0) {
                    throw new MalformedException("the body ends before the closing boundary");
                }
                int n = upTo - pos;
                if (copied + n > max) {
                    throw new MalformedException("a form field is larger than " + max + " bytes");
                }
                out.write(buf, pos, n);
                copied += n;
                pos = upTo;
                if (at >= 0) {
                    pos += delimiter.length;
                    return copied;
                }
            }
        }

        /** After a delimiter: true for the closing {@code --}, false when a part follows (its CRLF consumed). */
        boolean afterDelimiterIsEnd() throws IOException, MalformedException {
            fill(2);
            if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
                pos += 2;
                return true;
            }
            // transport padding: spaces and tabs before the line break
            while (true) {
                fill(2);
                if (lim - pos < 1) {
                    throw new MalformedException("the body ends after a boundary");
                }
                if (buf[pos] == ' ' || buf[pos] == '\t') {
                    pos++;
                    continue;
                }
                break;
            }
            if (lim - pos >= 2 && buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return false;
            }
            throw new MalformedException("a boundary is not followed by a line break");
        }

        /** Part headers up to the empty line; names lower-cased. */
        Map<String, String> readHeaders() throws IOException, MalformedException {
            Map<String, String> headers = new LinkedHashMap<>();
            int total = 0;
            while (true) {
                String line = readLine(MAX_HEADER_BYTES - total);
                total += line.length() + 2;
                if (line.isEmpty()) {
                    return headers;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new MalformedException("a part header is not 'Name: value'");
                }
                headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }

        private String readLine(int max) throws IOException, MalformedException {
            byte[] crlf = {'\r', '\n'};
            fill(Math.min(buf.length, max + 2));
            int at = indexOf(crlf);
            if (at < 0 || at - pos > max) {
                throw new MalformedException(eof ? "the body ends inside part headers" : "part headers are too long");
            }
            String line = new String(buf, pos, at - pos, StandardCharsets.UTF_8);
            pos = at + 2;
            return line;
        }
    }
}
