package routes.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which callback URLs a job may name. A webhook is a request the server makes on a caller's behalf, so by default it
 * goes only to public addresses: loopback, private, link-local (cloud metadata) and other local ranges are refused
 * unless {@code caravan.webhooks.allow-private-addresses} is set. Checked when the job is made and again before each
 * delivery, as the name may resolve elsewhere by then.
 */
public final class CallbackPolicy {

    private final boolean allowPrivate;

    public CallbackPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Null when the URL may be called, else why not. */
    public String refusal(URI url) {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            return "callbackUrl must be an absolute http(s) URL";
        }
        if (allowPrivate) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal(address)) {
                    return "callbackUrl " + url.getHost() + " is a local or private address; webhooks go to public"
                            + " addresses only (caravan.webhooks.allow-private-addresses)";
                }
            }
        } catch (UnknownHostException e) {
            return "callbackUrl host " + url.getHost() + " does not resolve";
        }
        return null;
    }

    private static boolean uniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
