package routes.embedded.sns;

/**
 * An SNS error reply: the HTTP status and the query-protocol error code that the AWS SDK maps to
 * its modelled exceptions (e.g. {@code NotFound} becomes {@code NotFoundException}).
 */
final class SnsException extends RuntimeException {

    private final int status;
    private final String code;

    SnsException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static SnsException invalidParameter(String message) {
        return new SnsException(400, "InvalidParameter", "Invalid parameter: " + message);
    }

    static SnsException invalidParameterValue(String message) {
        return new SnsException(400, "ParameterValueInvalid", message);
    }

    static SnsException notFound(String message) {
        return new SnsException(404, "NotFound", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** {@code Sender} for client errors, {@code Receiver} for server-side failures. */
    String faultType() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
