package dev.portmanager.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Text forms of raw addresses: what ss prints, RFC 5952 for IPv6. */
class AddressesTest {
    private static byte[] v6(int... groups) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[2 * i] = (byte) (groups[i] >> 8);
            a[2 * i + 1] = (byte) groups[i];
        }
        return a;
    }

    @Test
    void format_ipv4_isDotted() {
        assertEquals("127.0.0.1", Addresses.format(new byte[] {127, 0, 0, 1}));
        assertEquals("0.0.0.0", Addresses.format(new byte[4]));
        assertEquals("255.254.10.200", Addresses.format(new byte[] {(byte) 255, (byte) 254, 10, (byte) 200}));
    }

    @Test
    void format_ipv6WildcardAndLoopback_areShortened() {
        assertEquals("::", Addresses.format(new byte[16]));
        assertEquals("::1", Addresses.format(v6(0, 0, 0, 0, 0, 0, 0, 1)));
    }

    @Test
    void format_ipv6_shortensTheLongestZeroRunOnly_lowerCaseWithoutLeadingZeros() {
        assertEquals("fe80::fc:ff:fe00:1", Addresses.format(v6(0xfe80, 0, 0, 0, 0xfc, 0xff, 0xfe00, 1)));
        assertEquals("2001:db8:0:1::1", Addresses.format(v6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)));
        assertEquals("2001:db8::1:0:0:1", Addresses.format(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)));
        assertEquals("fe80::", Addresses.format(v6(0xfe80, 0, 0, 0, 0, 0, 0, 0)));
    }

    @Test
    void format_ipv6WithASingleZeroGroup_keepsIt() {
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.format(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)));
    }

    @Test
    void format_ipv4MappedIpv6_keepsTheMappedForm() {
        assertEquals("::ffff:127.0.0.1", Addresses.format(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)));
    }

    @Test
    void format_anotherLength_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Addresses.format(new byte[5]));
        assertEquals("an IP address has 4 or 16 bytes, not 5", e.getMessage());
    }
}
