package routes.security;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import routes.access.Caller;
import routes.problems.Refusal;

/** The thin Camel adapter that hands the routes' beans the caller of the request an exchange came from. */
public class Callers {

    /** The signed-in caller of the HTTP request behind {@code exchange}. */
    public Caller of(Exchange exchange) {
        Object caller = null;
        if (exchange.getIn() instanceof PlatformHttpMessage http) {
            HttpServletRequest request = http.getRequest();
            caller = request == null ? null : request.getAttribute(Caller.ATTRIBUTE);
        }
        if (caller instanceof Caller signedIn) {
            return signedIn;
        }
        throw new Refusal(Refusal.Kind.UNAUTHORIZED, "unauthorized", null,
                "sign in: send an access token (Authorization: Bearer <token>) or an API key (X-Api-Key)");
    }
}
