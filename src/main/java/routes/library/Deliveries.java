package routes.library;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes a {@link RangedObjects.Delivery} (the exchange's {@code delivery} property) as the HTTP answer. */
public class Deliveries {

    public void write(Exchange exchange) {
        RangedObjects.Delivery delivery = exchange.getProperty("delivery", RangedObjects.Delivery.class);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        delivery.headers().forEach(out::setHeader);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, delivery.status());
        out.setBody(delivery.body());
    }
}
