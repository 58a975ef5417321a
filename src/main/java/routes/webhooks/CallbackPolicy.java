package routes.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Which callback URLs a job may name, and which addresses a webhook may connect to. A webhook is a request the server
 * makes on a caller's behalf, so by default it goes only to public unicast addresses: every address of the IANA
 * special-purpose registries (loopback, private, shared, link-local and its cloud metadata, documentation, ...) is
 * refused unless {@code caravan.webhooks.allow-private-addresses} is set (see {@link SpecialAddresses}). Checked when
 * the job is made and again when a delivery connects, on the very addresses it connects to (see
 * {@link PublicAddressResolver}), as the name may resolve elsewhere by then.
 */
public final class CallbackPolicy {

    /** Turns a host name into its addresses. */
    @FunctionalInterface
    public interface NameResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }


    /** Hosts that are numbers, not names: dotted decimal, octal or hex parts, as inet_aton would read them. */
    private static final Pattern NUMERIC =
            Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");

    private final boolean allowPrivate;
    private final NameResolver names;
    /** What the URLs checked are, as messages name them ("callbackUrl", "the image URL"). */
    private final String subject;
    /** The end of a refusal: where the rule comes from. */
    private final String publicOnly;

    /** Names resolved by the system's resolver. */
    public CallbackPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public CallbackPolicy(boolean allowPrivate, NameResolver names) {
        this(allowPrivate, names, "callbackUrl", "webhooks go to public addresses only",
                "caravan.webhooks.allow-private-addresses");
    }

    /**
     * The same rule for other URLs the server calls: {@code subject} names them in refusals, {@code rule} and
     * {@code setting} say which rule refused and which setting lifts it.
     */
    public CallbackPolicy(boolean allowPrivate, NameResolver names, String subject, String rule, String setting) {
        this.allowPrivate = allowPrivate;
        this.names = names;
        this.subject = subject;
        this.publicOnly = "; " + rule + " (" + setting + ")";
    }

    /** Null when the URL may be called, else why not. */
    public String refusal(URI url) {
        String malformed = formRefusal(url);
        if (malformed != null || allowPrivate) {
            return malformed;
        }
        try {
            addresses(url.getHost());
            return null;
        } catch (RefusedAddressException e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return subject + " host " + url.getHost() + " does not resolve";
        }
    }

    /** Null when the URL is an absolute http(s) URL with a host, else why not; nothing is resolved. */
    String formRefusal(URI url) {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null || url.getHost().isEmpty()) {
            return subject + " must be an absolute http(s) URL";
        }
        return null;
    }

    /**
     * The addresses to connect to for a URL's host: an IP literal as it is (never looked up), a name resolved once.
     * Unless private addresses are allowed, every one of them is public, or {@link RefusedAddressException} says which
     * is not.
     */
    public InetAddress[] addresses(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = literal(host, bare);
        if (literal != null) {
            String why = allowPrivate ? null : SpecialAddresses.whyNotPublic(literal);
            if (why != null) {
                throw new RefusedAddressException(subject + " host " + host + " is " + why + publicOnly);
            }
            return new InetAddress[] {literal};
        }
        InetAddress[] resolved = names.resolve(bare);
        if (resolved == null || resolved.length == 0) {
            throw new UnknownHostException(bare);
        }
        if (!allowPrivate) {
            for (InetAddress address : resolved) {
                String why = SpecialAddresses.whyNotPublic(address);
                if (why != null) {
                    throw new RefusedAddressException(subject + " host " + host + " resolves to "
                            + address.getHostAddress() + ", " + why + publicOnly);
                }
            }
        }
        return resolved.clone();
    }

    /**
     * The address an IP literal names, null for a name. IPv6 literals are parsed by Java (bracketed, so it never
     * looks them up); an IPv4 literal must be four decimal numbers 0-255 without leading zeros: the other numeric
     * forms (127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1) are read differently by different resolvers, so refused.
     */
    private InetAddress literal(String host, String bare) throws UnknownHostException {
        if (bare.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName("[" + bare + "]");
            } catch (UnknownHostException e) {
                throw new RefusedAddressException(subject + " host " + host + " is not a valid IPv6 address");
            }
        }
        if (!NUMERIC.matcher(bare).matches()) {
            return null;
        }
        byte[] bytes = dottedQuad(bare);
        if (bytes == null) {
            throw new RefusedAddressException(subject + " host " + host
                    + " is not an IPv4 address of four decimal numbers 0-255");
        }
        return InetAddress.getByAddress(bytes);
    }

    private static byte[] dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
