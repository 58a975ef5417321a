package routes.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Requests the web server refuses before the app sees them (a malformed URI, an encoded slash, an oversized
 * header) are answered as problem+json too, never as an HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String type;
        String detail;
        if (status == 400 && causedBy(throwable, EOFException.class)) {
            type = "truncated-body";
            detail = "the body ended before its Content-Length";
        } else {
            type = switch (status) {
                case 400 -> "malformed-request";
                case 405 -> "method-not-allowed";
                default -> "http-" + status;
            };
            detail = switch (status) {
                case 400 -> "the request is malformed (its URI, headers, encoding or body)";
                case 404 -> "nothing is served at this path";
                case 405 -> "the method " + printable(request.getMethod()) + " is not allowed here";
                case 408 -> "the request did not arrive in time";
                case 413 -> "the request is too large";
                default -> "the request could not be handled";
            };
        }
        String title = status >= 500 ? "Internal error" : "Request refused";
        String body = "{\"type\":\"/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType(ProblemResponder.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more to say
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A method name fit to quote in JSON: printable ASCII without quotes or backslashes, cut short. */
    private static String printable(String method) {
        String cut = method == null ? "" : method.length() > 20 ? method.substring(0, 20) : method;
        return cut.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\') ? cut : "used";
    }
}
