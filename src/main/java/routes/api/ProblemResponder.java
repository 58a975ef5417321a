package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.problems.Refusal;

/**
 * Writes the RFC 9457 problem+json answer for a failed request: the status, a type URI, a title, the detail that
 * says what was wrong and the request path as instance. A {@link Refusal} gets the status of its kind; anything else
 * is a 500 whose detail names no internals.
 */
@Component("problemResponder")
public class ProblemResponder {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);

    private final ObjectMapper json;

    public ProblemResponder(ObjectMapper json) {
        this.json = json;
    }

    /** A problem as answered: status, type slug, title and detail. */
    public record Problem(int status, String type, String title, String detail) {
    }

    public void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem = toProblem(failure);
        if (problem.status() >= 500) {
            LOG.error("{} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), failure);
        } else {
            LOG.info("{} {} refused: {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), problem.status(), problem.detail());
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getMessage().setBody(body(problem, exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class)));
    }

    public String body(Problem problem, String instance) {
        ObjectNode node = json.createObjectNode()
                .put("type", "/problems/" + problem.type())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail());
        if (instance != null) {
            node.put("instance", instance);
        }
        return node.toString();
    }

    /** The problem a refusal is answered with. */
    public static Problem of(Refusal refusal) {
        int status = statusOf(refusal.kind());
        String title = refusal.title() != null ? refusal.title() : titleOf(status);
        return new Problem(status, refusal.type(), title, refusal.detail());
    }

    /** The HTTP status of a kind of refusal. */
    public static int statusOf(Refusal.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_TYPE -> 415;
            case UNPROCESSABLE -> 422;
        };
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            default -> "Error";
        };
    }

    static Problem toProblem(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof Refusal refusal) {
                return of(refusal);
            }
            if (current instanceof JsonProcessingException parse) {
                return new Problem(400, "malformed-json", "Bad request",
                        "the body is not valid JSON: " + parse.getOriginalMessage());
            }
            current = current.getCause();
        }
        return new Problem(500, "internal-error", "Internal error", "the request could not be completed; it was logged");
    }
}
