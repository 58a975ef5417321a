package routes.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The name resolution of the webhook client's connections: each host is resolved once, by {@link CallbackPolicy},
 * and the connection goes only to the addresses it checked, so a name that resolves to a public address when the job
 * is made and to a private one when the webhook is sent (DNS rebinding) is refused then. IP literals go through the
 * same check.
 */
public final class PublicAddressResolver implements DnsResolver {

    private final CallbackPolicy policy;

    public PublicAddressResolver(CallbackPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.addresses(host);
    }

    /** Only asked for by Kerberos authentication, which webhooks do not use: the host as given, not looked up. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
