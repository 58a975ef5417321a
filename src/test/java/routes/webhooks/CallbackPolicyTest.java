package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Webhooks go to public unicast addresses only, unless private ones are allowed: every block of the IANA IPv4 and
 * IPv6 special-purpose registries is refused, tried at its first and last address and just outside it, and IPv4
 * addresses carried in IPv6 ones (mapped, NAT64, 6to4, Teredo, IPv4-compatible) are judged by what they carry where
 * the registry says the IPv6 form reaches them.
 */
class CallbackPolicyTest {

    private static final String PUBLIC_ONLY =
            "; webhooks go to public addresses only (caravan.webhooks.allow-private-addresses)";

    /** Literals only: a test that looks a name up fails. */
    private final CallbackPolicy publicOnly = new CallbackPolicy(false, host -> {
        throw new AssertionError("looked up " + host);
    });

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "public", textBlock = """
            0.0.0.0                 | "this network" (RFC 791)
            0.255.255.255           | "this network" (RFC 791)
            1.0.0.0                 | public
            10.0.0.0                | private-use (RFC 1918)
            10.255.255.255          | private-use (RFC 1918)
            9.255.255.255           | public
            11.0.0.0                | public
            100.64.0.0              | shared address space (RFC 6598)
            100.100.100.200         | shared address space (RFC 6598)
            100.127.255.255         | shared address space (RFC 6598)
            100.63.255.255          | public
            100.128.0.0             | public
            127.0.0.1               | loopback (RFC 1122)
            127.0.0.0               | loopback (RFC 1122)
            127.255.255.255         | loopback (RFC 1122)
            126.255.255.255         | public
            128.0.0.0               | public
            169.254.0.0             | link-local (RFC 3927)
            169.254.169.254         | link-local (RFC 3927)
            169.254.255.255         | link-local (RFC 3927)
            169.253.255.255         | public
            169.255.0.0             | public
            172.16.0.0              | private-use (RFC 1918)
            172.31.255.255          | private-use (RFC 1918)
            172.15.255.255          | public
            172.32.0.0              | public
            192.0.0.0               | IETF protocol assignments (RFC 6890)
            192.0.0.9               | IETF protocol assignments (RFC 6890)
            192.0.0.255             | IETF protocol assignments (RFC 6890)
            191.255.255.255         | public
            192.0.1.0               | public
            192.0.2.0               | TEST-NET-1) (RFC 5737)
            192.0.2.255             | TEST-NET-1) (RFC 5737)
            192.0.1.255             | public
            192.0.3.0               | public
            192.31.196.0            | AS112-v4 (RFC 7535)
            192.31.196.255          | AS112-v4 (RFC 7535)
            192.31.195.255          | public
            192.31.197.0            | public
            192.52.193.0            | AMT (RFC 7450)
            192.52.193.255          | AMT (RFC 7450)
            192.52.192.255          | public
            192.52.194.0            | public
            192.88.99.0             | 6to4 relay anycast (RFC 7526)
            192.88.99.255           | 6to4 relay anycast (RFC 7526)
            192.88.98.255           | public
            192.88.100.0            | public
            192.168.0.0             | private-use (RFC 1918)
            192.168.255.255         | private-use (RFC 1918)
            192.167.255.255         | public
            192.169.0.0             | public
            192.175.48.0            | AS112 service (RFC 7534)
            192.175.48.255          | AS112 service (RFC 7534)
            192.175.47.255          | public
            192.175.49.0            | public
            198.18.0.0              | benchmarking (RFC 2544)
            198.19.255.255          | benchmarking (RFC 2544)
            198.17.255.255          | public
            198.20.0.0              | public
            198.51.100.0            | TEST-NET-2) (RFC 5737)
            198.51.100.255          | TEST-NET-2) (RFC 5737)
            198.51.99.255           | public
            198.51.101.0            | public
            203.0.113.0             | TEST-NET-3) (RFC 5737)
            203.0.113.255           | TEST-NET-3) (RFC 5737)
            203.0.112.255           | public
            203.0.114.0             | public
            224.0.0.0               | multicast (RFC 5771)
            239.255.255.255         | multicast (RFC 5771)
            223.255.255.255         | public
            240.0.0.0               | reserved (RFC 1112)
            255.255.255.254         | reserved (RFC 1112)
            255.255.255.255         | the limited broadcast (RFC 919)
            8.8.8.8                 | public
            1.1.1.1                 | public
            93.184.216.34           | public

            ::                      | the unspecified (RFC 4291)
            ::1                     | the loopback (RFC 4291)
            ::2                     | IPv4-compatible (RFC 4291)
            ::7f00:1                | IPv4-compatible (RFC 4291)
            ::808:808               | IPv4-compatible (RFC 4291)
            ::ffff:ffff             | IPv4-compatible (RFC 4291)
            ::1:0:0                 | outside global unicast
            ::ffff:127.0.0.1        | loopback (RFC 1122)
            ::ffff:10.0.0.1         | private-use (RFC 1918)
            ::ffff:100.100.100.200  | shared address space (RFC 6598)
            ::ffff:8.8.8.8          | public
            ::fffe:ffff:ffff        | outside global unicast
            ::1:ffff:0:0            | outside global unicast
            64:ff9b::a9fe:a9fe      | NAT64) (RFC 6052) address of 169.254.169.254, a link-local (RFC 3927) address
            64:ff9b::6464:64c8      | NAT64) (RFC 6052) address of 100.100.100.200, a shared address space (RFC 6598)
            64:ff9b::7f00:1         | NAT64) (RFC 6052) address of 127.0.0.1, a loopback (RFC 1122)
            64:ff9b::a00:1          | NAT64) (RFC 6052) address of 10.0.0.1, a private-use (RFC 1918)
            64:ff9b::               | NAT64) (RFC 6052) address of 0.0.0.0
            64:ff9b::ffff:ffff      | NAT64) (RFC 6052) address of 255.255.255.255
            64:ff9b::808:808        | public
            64:ff9b::101:101        | public
            64:ff9b::1:0:0          | outside global unicast
            64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            64:ff9b:1::             | local-use IPv4/IPv6 translation (RFC 8215)
            64:ff9b:1::808:808      | local-use IPv4/IPv6 translation (RFC 8215)
            64:ff9b:1:ffff:ffff:ffff:ffff:ffff | local-use IPv4/IPv6 translation (RFC 8215)
            64:ff9b:2::             | outside global unicast
            100::                   | discard-only (RFC 6666)
            100::ffff:ffff:ffff:ffff | discard-only (RFC 6666)
            100:0:0:1::             | dummy IPv6 prefix (RFC 9780)
            100:0:0:2::             | outside global unicast
            ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            2001::                  | Teredo (RFC 4380) address of client 255.255.255.255
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo (RFC 4380) address of client 192.0.2.45
            2001:0:4136:e378:8000:63bf:f5ff:fffe | Teredo (RFC 4380) address of client 10.0.0.1
            2001:0:4136:e378:8000:63bf:f7f7:f7f7 | Teredo (RFC 4380) address of client 8.8.8.8
            2001:0:ffff:ffff:ffff:ffff:ffff:ffff | Teredo (RFC 4380)
            2001:1::1               | IETF protocol assignments (RFC 2928)
            2001:1::3               | IETF protocol assignments (RFC 2928)
            2001:2::                | benchmarking (RFC 5180)
            2001:2:0:ffff:ffff:ffff:ffff:ffff | benchmarking (RFC 5180)
            2001:3::1               | IETF protocol assignments (RFC 2928)
            2001:4:112::1           | IETF protocol assignments (RFC 2928)
            2001:10::1              | ORCHID (RFC 4843)
            2001:20::1              | IETF protocol assignments (RFC 2928)
            2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff | IETF protocol assignments (RFC 2928)
            2001:200::              | public
            2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:db8::              | documentation (RFC 3849)
            2001:db8::1             | documentation (RFC 3849)
            2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | documentation (RFC 3849)
            2001:db7:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:db9::              | public
            2002:7f00:1::           | 6to4 (RFC 3056) address of 127.0.0.1, a loopback (RFC 1122)
            2002:a00:1::1           | 6to4 (RFC 3056) address of 10.0.0.1, a private-use (RFC 1918)
            2002:a9fe:a9fe::        | 6to4 (RFC 3056) address of 169.254.169.254, a link-local (RFC 3927)
            2002:6464:64c8::        | 6to4 (RFC 3056) address of 100.100.100.200, a shared address space (RFC 6598)
            2002::                  | 6to4 (RFC 3056) address of 0.0.0.0
            2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 6to4 (RFC 3056) address of 255.255.255.255
            2002:808:808::          | public
            2002:808:808:ffff:ffff:ffff:ffff:ffff | public
            2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff | public
            2003::                  | public
            2620:4f:8000::          | AS112 service (RFC 7534)
            2620:4f:8000:ffff:ffff:ffff:ffff:ffff | AS112 service (RFC 7534)
            2620:4f:7fff:ffff:ffff:ffff:ffff:ffff | public
            2620:4f:8001::          | public
            3fff::                  | documentation (RFC 9637)
            3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff | documentation (RFC 9637)
            3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff | public
            3fff:1000::             | public
            5f00::                  | segment routing (SRv6) SID (RFC 9602)
            5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff | segment routing (SRv6) SID (RFC 9602)
            5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            5f01::                  | outside global unicast
            1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            4000::                  | outside global unicast
            fc00::                  | unique-local (RFC 4193)
            fd00::1                 | unique-local (RFC 4193)
            fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | unique-local (RFC 4193)
            fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            fe00::                  | outside global unicast
            fe80::                  | link-local (RFC 4291)
            fe80::1                 | link-local (RFC 4291)
            febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | link-local (RFC 4291)
            fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff | outside global unicast
            fec0::1                 | site-local (RFC 3879)
            ff00::                  | multicast (RFC 4291)
            ff02::1                 | multicast (RFC 4291)
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | multicast (RFC 4291)
            2606:4700:4700::1111    | public
            2001:4860:4860::8888    | public
            2a00:1450:4001:80b::200e | public
            """)
    void eachSpecialPurposeBlockIsRefusedAndWhatLiesOutsideItIsNot(String address, String reason) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        String refusal = publicOnly.refusal(URI.create("https://" + host + "/hook"));
        if (reason == null) {
            assertThat(refusal).as(address).isNull();
        } else {
            assertThat(refusal).as(address).startsWith("callbackUrl host " + host + " is ").contains(reason)
                    .endsWith(PUBLIC_ONLY);
        }
    }

    @Test
    void theRefusalSaysWhatTheNameResolvedToAndWhatThatIs() {
        CallbackPolicy policy = new CallbackPolicy(false,
                host -> new InetAddress[] {InetAddress.getByName("100.100.100.200")});
        assertThat(policy.refusal(URI.create("http://metadata.example/latest"))).isEqualTo("callbackUrl host"
                + " metadata.example resolves to 100.100.100.200, a shared address space (RFC 6598) address" + PUBLIC_ONLY);
        assertThat(publicOnly.refusal(URI.create("http://[64:ff9b::a9fe:a9fe]/latest"))).isEqualTo("callbackUrl host"
                + " [64:ff9b::a9fe:a9fe] is an IPv4/IPv6 translation (NAT64) (RFC 6052) address of 169.254.169.254,"
                + " a link-local (RFC 3927) address" + PUBLIC_ONLY);
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsNotPublic() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("fd12::7")};
        CallbackPolicy policy = new CallbackPolicy(false, host -> mixed);
        assertThat(policy.refusal(URI.create("https://hooks.example/h")))
                .isEqualTo("callbackUrl host hooks.example resolves to fd12:0:0:0:0:0:0:7, a unique-local (RFC 4193)"
                        + " address" + PUBLIC_ONLY);
        CallbackPolicy allPublic = new CallbackPolicy(false, host -> new InetAddress[] {mixed[0]});
        assertThat(allPublic.refusal(URI.create("https://hooks.example/h"))).isNull();
        assertThat(allPublic.addresses("hooks.example")).containsExactly(mixed[0]);
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        CallbackPolicy policy = new CallbackPolicy(false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(policy.refusal(URI.create("https://nowhere.example/h")))
                .isEqualTo("callbackUrl host nowhere.example does not resolve");
    }

    @Test
    void literalsAreNeverLookedUpAndOnlyTheDottedQuadFormIsRead() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CallbackPolicy policy = new CallbackPolicy(true, host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("8.8.8.8")};
        });
        assertThat(policy.addresses("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(policy.addresses("[::1]")).containsExactly(InetAddress.getByName("::1"));
        assertThat(policy.addresses("::1")).containsExactly(InetAddress.getByName("::1"));
        for (String numeric : new String[] {"127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.1.",
            "1.2.3.256", "1.2.3.4.5"}) {
            assertThatThrownBy(() -> policy.addresses(numeric)).as(numeric).isInstanceOf(RefusedAddressException.class)
                    .hasMessageContaining("not an IPv4 address of four decimal numbers 0-255");
        }
        assertThatThrownBy(() -> policy.addresses("[fe80::zz]")).isInstanceOf(RefusedAddressException.class)
                .hasMessageContaining("not a valid IPv6 address");
        assertThat(lookups).hasValue(0);
        assertThat(policy.addresses("1e100.net")).hasSize(1);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void anIpv4MappedAddressKeptInIpv6FormIsJudgedByTheIpv4AddressItMaps() {
        byte[] loopback = SpecialAddresses.ipv4Mapped(new byte[] {127, 0, 0, 1});
        assertThat(SpecialAddresses.whyNotPublic(loopback))
                .isEqualTo("an IPv4-mapped (RFC 4291) address of 127.0.0.1, a loopback (RFC 1122) address");
        assertThat(SpecialAddresses.whyNotPublic(SpecialAddresses.ipv4Mapped(new byte[] {8, 8, 8, 8}))).isNull();
    }

    @Test
    void otherSchemesAreRefused() {
        assertThat(publicOnly.refusal(URI.create("file:///etc/passwd"))).contains("http(s)");
        assertThat(publicOnly.refusal(URI.create("gopher://93.184.216.34/"))).contains("http(s)");
        assertThat(publicOnly.refusal(URI.create("http:///path-only"))).contains("http(s)");
    }

    @Test
    void privateAddressesPassWhenAllowed() {
        CallbackPolicy allowed = new CallbackPolicy(true);
        assertThat(allowed.refusal(URI.create("http://127.0.0.1:9/hook"))).isNull();
        assertThat(allowed.refusal(URI.create("http://[::1]:9/hook"))).isNull();
        assertThat(allowed.refusal(URI.create("http://169.254.169.254/latest"))).isNull();
    }
}
