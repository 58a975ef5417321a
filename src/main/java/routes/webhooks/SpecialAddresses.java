package routes.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which IP addresses are public unicast, the only ones a webhook is sent to. The blocks below are the entries of the
 * IANA IPv4 Special-Purpose Address Registry and IPv6 Special-Purpose Address Registry (RFC 6890 set them up), each
 * with the RFC that made it, plus multicast and, for IPv6, everything outside the global unicast space 2000::/3.
 * Any address in one of them is refused, whatever the registry says of its reach (the few "globally reachable"
 * entries are anycast services, relays and identifiers, never a webhook receiver), except where an IPv4 address is
 * carried inside an IPv6 one that reaches it: IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 addresses are as public as
 * the IPv4 address they carry. The most specific block that holds an address says why it is refused.
 */
final class SpecialAddresses {

    /** Where an IPv6 block carries an IPv4 address, if it does. */
    enum Embedded {
        /** Refused as it is. */
        NONE,
        /** The last 32 bits, judged as that IPv4 address (IPv4-mapped, NAT64). */
        LAST_32_BITS,
        /** Bits 16-48, judged as that IPv4 address (6to4). */
        BITS_16_TO_48,
        /** Refused; the last 32 bits inverted are the client's IPv4 address, named in the reason (Teredo). */
        TEREDO_CLIENT
    }

    /** One registry entry: a prefix, what it is ("a link-local") and the RFC that made it. */
    record Block(byte[] prefix, int length, String what, String rfc, Embedded embedded) {

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = length / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = length % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }

        String describe() {
            return what + " (" + rfc + ") address";
        }
    }

    /** IANA IPv4 Special-Purpose Address Registry, and the IPv4 multicast space. */
    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", "a \"this network\"", "RFC 791"),
            block("10.0.0.0/8", "a private-use", "RFC 1918"),
            block("100.64.0.0/10", "a shared address space", "RFC 6598"),
            block("127.0.0.0/8", "a loopback", "RFC 1122"),
            block("169.254.0.0/16", "a link-local", "RFC 3927"),
            block("172.16.0.0/12", "a private-use", "RFC 1918"),
            block("192.0.0.0/24", "an IETF protocol assignments", "RFC 6890"),
            block("192.0.2.0/24", "a documentation (TEST-NET-1)", "RFC 5737"),
            block("192.31.196.0/24", "an AS112-v4", "RFC 7535"),
            block("192.52.193.0/24", "an AMT", "RFC 7450"),
            block("192.88.99.0/24", "a deprecated 6to4 relay anycast", "RFC 7526"),
            block("192.168.0.0/16", "a private-use", "RFC 1918"),
            block("192.175.48.0/24", "a direct delegation AS112 service", "RFC 7534"),
            block("198.18.0.0/15", "a benchmarking", "RFC 2544"),
            block("198.51.100.0/24", "a documentation (TEST-NET-2)", "RFC 5737"),
            block("203.0.113.0/24", "a documentation (TEST-NET-3)", "RFC 5737"),
            // not in the special-purpose registry: the IANA IPv4 Multicast Address Space Registry
            block("224.0.0.0/4", "a multicast", "RFC 5771"),
            block("240.0.0.0/4", "a reserved", "RFC 1112"),
            block("255.255.255.255/32", "the limited broadcast", "RFC 919"));

    /** IANA IPv6 Special-Purpose Address Registry, and the IPv6 multicast and deprecated site-local spaces. */
    private static final List<Block> IPV6 = List.of(
            block("::/128", "the unspecified", "RFC 4291"),
            block("::1/128", "the loopback", "RFC 4291"),
            // not in the registry: deprecated by RFC 4291 section 2.5.5.1, routed nowhere
            block("::/96", "a deprecated IPv4-compatible", "RFC 4291"),
            block("::ffff:0:0/96", "an IPv4-mapped", "RFC 4291", Embedded.LAST_32_BITS),
            block("64:ff9b::/96", "an IPv4/IPv6 translation (NAT64)", "RFC 6052", Embedded.LAST_32_BITS),
            block("64:ff9b:1::/48", "a local-use IPv4/IPv6 translation", "RFC 8215"),
            block("100::/64", "a discard-only", "RFC 6666"),
            block("100:0:0:1::/64", "a dummy IPv6 prefix", "RFC 9780"),
            // the whole block, its globally reachable anycast and identifier entries (RFC 7723, 8155, 9665, 7450,
            // 7535, 7343, 9374) included
            block("2001::/23", "an IETF protocol assignments", "RFC 2928"),
            block("2001::/32", "a Teredo", "RFC 4380", Embedded.TEREDO_CLIENT),
            block("2001:2::/48", "a benchmarking", "RFC 5180"),
            block("2001:10::/28", "a deprecated ORCHID", "RFC 4843"),
            block("2001:db8::/32", "a documentation", "RFC 3849"),
            block("2002::/16", "a 6to4", "RFC 3056", Embedded.BITS_16_TO_48),
            block("2620:4f:8000::/48", "a direct delegation AS112 service", "RFC 7534"),
            block("3fff::/20", "a documentation", "RFC 9637"),
            block("5f00::/16", "a segment routing (SRv6) SID", "RFC 9602"),
            block("fc00::/7", "a unique-local", "RFC 4193"),
            block("fe80::/10", "a link-local", "RFC 4291"),
            // not in the registry: deprecated by RFC 3879
            block("fec0::/10", "a deprecated site-local", "RFC 3879"),
            // not in the registry: RFC 4291 section 2.7
            block("ff00::/8", "a multicast", "RFC 4291"));

    /** Global unicast (RFC 4291 section 2.4): IPv6 outside it is reserved, whatever the tables above say. */
    private static final Block GLOBAL_UNICAST = block("2000::/3", "a global unicast", "RFC 4291");

    private SpecialAddresses() {
    }

    /** Null when the address is public unicast, else what it is: "a loopback (RFC 1122) address". */
    static String whyNotPublic(InetAddress address) {
        return whyNotPublic(address.getAddress());
    }

    static String whyNotPublic(byte[] address) {
        Block block = (address.length == 4 ? IPV4 : IPV6).stream().filter(b -> b.contains(address))
                .max(Comparator.comparingInt(Block::length)).orElse(null);
        if (block == null) {
            return address.length == 16 && !GLOBAL_UNICAST.contains(address)
                    ? "a reserved (RFC 4291: outside global unicast 2000::/3) address" : null;
        }
        return switch (block.embedded()) {
            case NONE -> block.describe();
            case LAST_32_BITS -> carried(block, Arrays.copyOfRange(address, 12, 16));
            case BITS_16_TO_48 -> carried(block, Arrays.copyOfRange(address, 2, 6));
            case TEREDO_CLIENT -> block.describe() + " of client " + text(teredoClient(address));
        };
    }

    /** An IPv6 address that carries an IPv4 one is as public as that one is. */
    private static String carried(Block block, byte[] ipv4) {
        String why = whyNotPublic(ipv4);
        return why == null ? null : block.describe() + " of " + text(ipv4) + ", " + why;
    }

    /** RFC 4380 section 4: the client's IPv4 address is the last 32 bits, each inverted. */
    private static byte[] teredoClient(byte[] address) {
        byte[] client = Arrays.copyOfRange(address, 12, 16);
        for (int i = 0; i < client.length; i++) {
            client[i] = (byte) ~client[i];
        }
        return client;
    }

    private static String text(byte[] ipv4) {
        return (ipv4[0] & 0xff) + "." + (ipv4[1] & 0xff) + "." + (ipv4[2] & 0xff) + "." + (ipv4[3] & 0xff);
    }

    private static Block block(String cidr, String what, String rfc) {
        return block(cidr, what, rfc, Embedded.NONE);
    }

    private static Block block(String cidr, String what, String rfc, Embedded embedded) {
        int slash = cidr.indexOf('/');
        String literal = cidr.substring(0, slash);
        byte[] prefix;
        try {
            // literals only (brackets make an IPv6 one required): no name is looked up
            InetAddress parsed = InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
            prefix = parsed.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
        if (literal.contains(":") && prefix.length == 4) {
            // Java reads an IPv4-mapped literal as the IPv4 address it maps
            prefix = ipv4Mapped(prefix);
        }
        int length = Integer.parseInt(cidr.substring(slash + 1));
        if (length > prefix.length * 8) {
            throw new IllegalArgumentException(cidr);
        }
        return new Block(prefix, length, what, rfc, embedded);
    }

    static byte[] ipv4Mapped(byte[] ipv4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, mapped, 12, 4);
        return mapped;
    }
}
