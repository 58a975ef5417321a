package routes.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An error the web layer answers with a bare status ({@code sendError}: a path no route serves, a request the HTTP
 * binding could not read, a failure before the routes began) is written at once as problem+json, as the routes'
 * own refusals are. This holds for answers given asynchronously too, which the web server's error page never sees,
 * and for an error status the framework left without a body (nothing it could write matched the request's Accept).
 * A server fault gets a correlation id, in the answer and in the log.
 */
public final class ErrorsAsProblems extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorsAsProblems.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Answer answer = new Answer(request, response);
        chain.doFilter(request, answer);
        // an error status with no body at all (the framework found nothing it may write for the request's Accept)
        if (!request.isAsyncStarted() && answer.getStatus() >= 400 && !answer.bodyStarted && !answer.isCommitted()) {
            answer.writeProblem(answer.getStatus(), null);
        }
    }

    /** The response, its bare errors written as problems. */
    private static final class Answer extends HttpServletResponseWrapper {

        private final HttpServletRequest request;
        private boolean bodyStarted;

        Answer(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (!isCommitted()) {
                writeProblem(status, message);
            }
        }

        void writeProblem(int status, String message) throws IOException {
            ProblemResponder.Problem problem = ProblemResponder.ofStatus(status, request.getMethod());
            String correlationId = null;
            if (status >= 500) {
                correlationId = UUID.randomUUID().toString();
                LOG.error("{} {} failed with {} before the routes answered (correlation id {}){}",
                        request.getMethod(), request.getRequestURI(), status, correlationId,
                        message == null ? "" : ": " + message);
            }
            resetBuffer();
            ProblemResponder.write(this, problem, request.getRequestURI(), correlationId);
        }
    }
}
