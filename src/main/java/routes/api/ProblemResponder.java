package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the RFC 9457 problem+json answer for a failed request: the status, a type URI, a title, the detail that
 * says what was wrong and the request path as instance. Anything that is not an {@link ApiProblem} is a 500 whose
 * detail names no internals.
 */
@Component("problemResponder")
public class ProblemResponder {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);

    private final ObjectMapper json;

    public ProblemResponder(ObjectMapper json) {
        this.json = json;
    }

    public void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiProblem problem = toProblem(failure);
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

    public String body(ApiProblem problem, String instance) {
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

    static ApiProblem toProblem(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof ApiProblem problem) {
                return problem;
            }

            if (current instanceof JsonProcessingException parse) {
                return ApiProblem.badRequest("malformed-json", "the body is not valid JSON: " + parse.getOriginalMessage());
            }
            current = current.getCause();
        }
        return new ApiProblem(500, "internal-error", "Internal error", "the request could not be completed; it was logged");
    }
}
