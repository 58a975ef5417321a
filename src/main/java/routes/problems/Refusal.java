package routes.problems;

/**
 * A request Caravan refuses, and why: the {@link Kind} of refusal, a short slug naming it ({@code bad-cursor},
 * {@code too-large}), an optional title and a sentence saying what was wrong. Domain code throws it; the API maps the
 * kind to an HTTP status and answers RFC 9457 problem+json.
 */
public class Refusal extends RuntimeException {

    /** What kind of refusal it is. */
    public enum Kind {
        /** The request is malformed or names something invalid. */
        INVALID,
        /** The request has no credentials, or wrong ones. */
        UNAUTHORIZED,
        /** The request is understood and not allowed (a bad signature, an expired URL). */
        FORBIDDEN,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request conflicts with the state of what it names. */
        CONFLICT,
        /** The request or what it names is larger than allowed. */
        TOO_LARGE,
        /** The content type is not one Caravan takes. */
        UNSUPPORTED_TYPE,
        /** The request is well formed, and what it names cannot be processed. */
        UNPROCESSABLE,
        /** The request did not arrive in time (a slow or stalled body). */
        TIMEOUT,
        /**
         * A service the request needs refused this server (the storage denied it access): the operator's to fix, not
         * the client's; answered 502 with what to grant.
         */
        UPSTREAM_DENIED,
        /** A server this one fetched from for the request answered wrongly or not at all: 502. */
        UPSTREAM_FAILED,
        /** A server this one fetched from for the request did not answer in time: 504. */
        UPSTREAM_TIMEOUT,
        /** What the request names existed and is no longer served (an expired or revoked link): 410. */
        GONE,
        /** The byte range asked for is malformed or lies past the end of what is served: 416. */
        RANGE_NOT_SATISFIABLE,
        /** Too many requests of this kind lately (failed passwords): 429. */
        TOO_MANY_REQUESTS,
        /** A precondition the request states does not hold (a protocol version the server does not speak): 412. */
        PRECONDITION_FAILED,
        /** What the request names is busy with another request (an upload being appended to): 423. */
        LOCKED
    }

    private final Kind kind;
    private final String type;
    private final String title;
    private java.util.Map<String, String> headers = java.util.Map.of();

    public Refusal(Kind kind, String type, String title, String detail) {
        this(kind, type, title, detail, null);
    }

    public Refusal(Kind kind, String type, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.type = type;
        this.title = title;
    }

    public static Refusal invalid(String type, String detail) {
        return new Refusal(Kind.INVALID, type, null, detail);
    }

    public static Refusal notFound(String what, String id) {
        return new Refusal(Kind.NOT_FOUND, "not-found", null, what + " " + quoted(id) + " does not exist");
    }

    public static Refusal conflict(String type, String detail) {
        return new Refusal(Kind.CONFLICT, type, null, detail);
    }

    public static Refusal tooLarge(String detail) {
        return new Refusal(Kind.TOO_LARGE, "too-large", null, detail);
    }

    public static Refusal unsupportedType(String detail) {
        return new Refusal(Kind.UNSUPPORTED_TYPE, "unsupported-media-type", null, detail);
    }

    /** A value a client sent, fit to repeat in a detail: printable, and cut short when long. */
    public static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder printable = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> printable.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return printable.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** This refusal, answered with {@code header} too (Retry-After, Content-Range, WWW-Authenticate). */
    public Refusal withHeader(String header, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(header, value);
        headers = java.util.Map.copyOf(more);
        return this;
    }

    /** The response headers the refusal is answered with besides its problem document. */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    /** The slug of the problem type, e.g. {@code bad-cursor}. */
    public String type() {
        return type;
    }

    /** A title of its own, or null for the kind's. */
    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
