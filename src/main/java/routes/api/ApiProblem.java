package routes.api;

/**
 * A request Caravan refuses, with what was wrong: answered as RFC 9457 problem+json. {@code type} is a short slug
 * that becomes the problem's type URI ({@code /problems/{type}}).
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    public ApiProblem(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    public ApiProblem(int status, String type, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ApiProblem badRequest(String type, String detail) {
        return new ApiProblem(400, type, "Bad request", detail);
    }

    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ApiProblem conflict(String type, String detail) {
        return new ApiProblem(409, type, "Conflict", detail);
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "too-large", "Payload too large", detail);
    }

    public static ApiProblem unsupported(String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
