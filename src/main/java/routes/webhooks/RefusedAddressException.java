package routes.webhooks;

import java.net.UnknownHostException;

/**
 * A callback host that names or resolves to an address webhooks are not sent to; the message says which and why.
 * An {@link UnknownHostException}, as that is what resolving a host may throw; unlike a lookup that failed, a
 * delivery refused for it is not tried again.
 */
public class RefusedAddressException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    public RefusedAddressException(String message) {
        super(message);
    }
}
