package dev.portmanager.probe;

/**
 * Reads unsigned numbers from bytes and text without exceptions, regular expressions or boxing: the parsers meet
 * many numbers and some malformed ones, and a bad field should skip a row, not cost a stack trace. Thread-safe.
 */
final class Digits {
    private Digits() {
    }

    /** The hex number in {@code b[from..to)}; -1 if the span is empty, too long or holds a byte that is not a digit. */
    static long hex(byte[] b, int from, int to) {
        if (from >= to || to > b.length || to - from > 15) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** The decimal number in {@code b[from..to)}; -1 if the span is empty, too long or holds a non-digit. */
    static long decimal(byte[] b, int from, int to) {
        if (from >= to || to > b.length || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The decimal number in {@code s[from..to)}; -1 if the span is empty, too long or holds a non-digit. */
    static long decimal(String s, int from, int to) {
        if (from >= to || to > s.length() || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
