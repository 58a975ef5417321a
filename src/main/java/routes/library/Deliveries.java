package routes.library;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes a {@link RangedObjects.Delivery} (the exchange's {@code delivery} property) as the HTTP answer.
 *
 * <p>Camel's HTTP binding leaves a route's {@code Content-Length} and {@code Cache-Control} out of the answer (its header
 * filter drops them, as they could be a request's) and streams the body chunked. A delivery's own are set on the
 * servlet answer here, before the binding writes the body: a download shows its size and progress, a player knows the
 * length, and the delivery's caching rule is the one sent (not Spring Security's {@code no-store}).
 */
public class Deliveries {

    public void write(Exchange exchange) {
        RangedObjects.Delivery delivery = exchange.getProperty("delivery", RangedObjects.Delivery.class);
        Message out = exchange.getMessage();
        HttpServletResponse response = out.getHeader(Exchange.HTTP_SERVLET_RESPONSE, HttpServletResponse.class);
        out.removeHeaders("*");
        delivery.headers().forEach(out::setHeader);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, delivery.status());
        out.setBody(delivery.body());
        if (response != null && !response.isCommitted()) {
            String length = delivery.headers().get("Content-Length");
            if (length != null) {
                response.setContentLengthLong(Long.parseLong(length));
            }
            String caching = delivery.headers().get("Cache-Control");
            if (caching != null) {
                response.setHeader("Cache-Control", caching);
            }
        }
    }
}
