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
        ProblemResponder.Problem problem = status == 400 && causedBy(throwable, EOFException.class)
                ? new ProblemResponder.Problem(400, "truncated-body", "Request refused",
                        "the body ended before its Content-Length")
                : ProblemResponder.ofStatus(status, request.getMethod());
        String body = ProblemResponder.bodyOf(problem, request.getRequestURI(), null);
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
}
