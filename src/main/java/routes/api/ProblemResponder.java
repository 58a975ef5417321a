package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.component.bean.ParameterBindingException;
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

    /** A problem as answered: status, type slug, title and detail. */
    public record Problem(int status, String type, String title, String detail) {
    }

    public void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem = toProblem(failure);
        String correlationId = null;
        if (problem.status() >= 500 && failure instanceof Refusal) {
            // a known fault of the set-up, said once where it is found (e.g. the storage's missing permission)
            correlationId = exchange.getExchangeId();
            LOG.warn("{} {} failed (correlation id {}): {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), correlationId, problem.detail());
        } else if (problem.status() >= 500) {
            correlationId = exchange.getExchangeId();
            LOG.error("{} {} failed (correlation id {})", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), correlationId, failure);
        } else {
            LOG.info("{} {} refused: {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), problem.status(), problem.detail());
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        refusal(failure).ifPresent(r -> r.headers().forEach(exchange.getMessage()::setHeader));
        exchange.getMessage().setBody(body(problem, exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class),
                correlationId));
    }

    public String body(Problem problem, String instance) {
        return body(problem, instance, null);
    }

    /** The problem document; a server fault names its correlation id, which the log line names too. */
    public String body(Problem problem, String instance, String correlationId) {
        return bodyOf(problem, instance, correlationId);
    }

    /**
     * Writes a problem as a servlet's whole answer, with its length, and commits it: a fault the server notes on its
     * own afterwards (a body cut short) does not replace it.
     */
    public static void write(HttpServletResponse response, Problem problem, String instance, String correlationId)
            throws IOException {
        byte[] body = bodyOf(problem, instance, correlationId).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The problem of a status the web server or framework answers with no words of its own. */
    public static Problem ofStatus(int status, String method) {
        String type = switch (status) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 500 -> "internal-error";
            default -> "http-" + status;
        };
        String detail = switch (status) {
            case 400 -> "the request is malformed (its URI, headers, encoding or body)";
            case 404 -> "nothing is served at this path";
            case 405 -> "the method " + Refusal.quoted(method) + " is not allowed here";
            case 406 -> "no representation the request accepts is served here";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 415 -> "the request's media type is not taken here";
            case 503 -> "the service is not available now; ask again later";
            default -> status >= 500 ? "the request could not be completed; it was logged" : "the request was refused";
        };
        return new Problem(status, type, status >= 500 ? "Internal error" : titleOf(status), detail);
    }

    /** A problem document, without a bean at hand (the web server's own answers). */
    public static String bodyOf(Problem problem, String instance, String correlationId) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("type", "/problems/" + problem.type())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail());
        if (instance != null) {
            node.put("instance", instance);
        }
        if (correlationId != null) {
            node.put("correlationId", correlationId);
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
            case TIMEOUT -> 408;
            case UPSTREAM_DENIED, UPSTREAM_FAILED -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case GONE -> 410;
            case RANGE_NOT_SATISFIABLE -> 416;
            case TOO_MANY_REQUESTS -> 429;
            case PRECONDITION_FAILED -> 412;
            case LOCKED -> 423;
        };
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition failed";
            case 423 -> "Locked";
            case 416 -> "Range not satisfiable";
            case 429 -> "Too many requests";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> "Error";
        };
    }

    private static java.util.Optional<Refusal> refusal(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof Refusal refusal) {
                return java.util.Optional.of(refusal);
            }
        }
        return java.util.Optional.empty();
    }

    static Problem toProblem(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof Refusal refusal) {
                return of(refusal);
            }
        }
        Throwable current = failure;
        while (current != null) {
            if (current instanceof ParameterBindingException binding && binding.getParameterValue() instanceof String
                    && binding.getCause() instanceof TypeConversionException conversion) {
                return new Problem(400, "bad-parameter", "Bad request", "'" + Refusal.quoted((String) binding
                        .getParameterValue()) + "' is not a valid " + conversion.getToType().getSimpleName()
                        .replace("Integer", "integer").replace("Long", "integer").replace("Boolean", "boolean"));
            }
            if (current instanceof JsonMappingException mapping) {
                return new Problem(400, "malformed-json", "Bad request", mismatch(mapping));
            }
            if (current instanceof JsonProcessingException parse) {
                return new Problem(400, "malformed-json", "Bad request",
                        "the body is not valid JSON: " + parse.getOriginalMessage());
            }
            current = current.getCause();
        }
        return new Problem(500, "internal-error", "Internal error", "the request could not be completed; it was logged");
    }

    /** Where a JSON body does not have the shape the operation takes, in the body's own terms. */
    private static String mismatch(JsonMappingException mapping) {
        String at = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String expected = mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? " (expected " + describe(mismatch.getTargetType()) + ")" : "";
        if (at.isEmpty()) {
            return "the body is not the JSON this operation takes" + expected;
        }
        return "the body has a value of the wrong type at " + Refusal.quoted(at) + expected;
    }

    private static String describe(Class<?> type) {
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }
}
