package dev.portmanager.probe;

/**
 * Text forms of raw IP addresses, as {@code ss} and {@code lsof} print them: dotted IPv4, RFC 5952 IPv6 (lower case,
 * the longest run of two or more zero groups shortened to {@code ::}) and IPv4-mapped IPv6 as
 * {@code ::ffff:127.0.0.1}. Written out rather than taken from {@link java.net.InetAddress}, which turns a mapped
 * address into plain IPv4 and so would hide which family a socket was bound in. Stateless and thread-safe.
 */
final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Addresses() {
    }

    /** The text of a 4-byte or 16-byte address. */
    static String format(byte[] a) {
        if (a.length == 4) {
            return ipv4(a, 0);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        if (isMapped(a)) {
            return "::ffff:" + ipv4(a, 12);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(a, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            appendHex(out, group(a, i));
        }
        return out.toString();
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static int group(byte[] a, int i) {
        return (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }

    private static void appendHex(StringBuilder out, int value) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = (value >> shift) & 0xf;
            if (digit != 0 || started || shift == 0) {
                out.append(HEX[digit]);
                started = true;
            }
        }
    }

    private static String ipv4(byte[] a, int offset) {
        return (a[offset] & 0xff) + "." + (a[offset + 1] & 0xff) + "." + (a[offset + 2] & 0xff) + "."
                + (a[offset + 3] & 0xff);
    }
}
