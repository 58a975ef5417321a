package routes.api;

import java.util.Locale;
import org.springframework.stereotype.Component;
import routes.problems.Refusal;

/**
 * What an operation taking JSON requires of its request before the body is parsed: a JSON media type
 * ({@code application/json} or a {@code +json} type) and a body. Anything else is refused with what was sent.
 */
@Component("jsonBodies")
public class JsonBodies {

    public void require(String contentType, Long contentLength) {
        if (contentType == null || contentType.isBlank()) {
            throw Refusal.unsupportedType("this operation takes application/json; the request has no Content-Type");
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw Refusal.unsupportedType("this operation takes application/json, not " + Refusal.quoted(type));
        }
        if (contentLength == null || contentLength <= 0) {
            throw Refusal.invalid("missing-body", "this operation needs a JSON body; the request has none");
        }
    }
}
