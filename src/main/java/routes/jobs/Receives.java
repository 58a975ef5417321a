package routes.jobs;

import java.util.Map;

/**
 * How often SQS has handed out a message, from the system attributes a consumer got with it; as the bean
 * {@code receives}, for routes that count a message's receives themselves.
 */
public final class Receives {

    /** {@code ApproximateReceiveCount} of the message, 1 when unknown. */
    public int of(Map<?, ?> attributes) {
        return count(attributes);
    }

    /** {@code ApproximateReceiveCount} of the message, 1 when unknown. */
    public static int count(Map<?, ?> attributes) {
        if (attributes != null) {
            for (Map.Entry<?, ?> entry : attributes.entrySet()) {
                if (String.valueOf(entry.getKey()).equalsIgnoreCase("ApproximateReceiveCount")) {
                    return Integer.parseInt(String.valueOf(entry.getValue()));
                }
            }
        }
        return 1;
    }
}
