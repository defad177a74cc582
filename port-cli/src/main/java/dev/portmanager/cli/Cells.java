package dev.portmanager.cli;

/**
 * Text as a terminal shows it: control characters escaped, so that a description, a metadata value or a process name
 * holding a newline, a carriage return or an escape sequence cannot forge rows or recolor the screen; and the width
 * in columns, East Asian wide and fullwidth characters counting two and combining marks none, so that tables line up.
 */
final class Cells {
    private Cells() {
    }

    /**
     * The text with every control character written out: {@code \n}, {@code \r}, {@code \t}, {@code \e} (escape),
     * {@code \x07} for other C0 and C1 controls, {@code \\u} and four hex digits for line separators and
     * bidirectional overrides.
     */
    static String clean(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String escaped = escape(cp);
            if (escaped != null && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                if (escaped != null) {
                    b.append(escaped);
                } else {
                    b.appendCodePoint(cp);
                }
            }
            i += Character.charCount(cp);
        }
        return b == null ? text : b.toString();
    }

    private static String escape(int cp) {
        switch (cp) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case 0x1B:
                return "\\e";
            default:
                break;
        }
        if (Character.getType(cp) == Character.CONTROL) {
            return String.format("\\x%02x", cp);
        }
        if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            return String.format("\\u%04x", cp);
        }
        return null;
    }

    /** How many terminal columns the (cleaned) text takes. */
    static int width(String text) {
        int w = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            w += columns(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    /**
     * Columns of one character, after Markus Kuhn's wcwidth (with the newer emoji blocks): 0 for combining and format
     * characters, 2 for East Asian wide and fullwidth ones.
     */
    private static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0x1160 && cp <= 0x11FF)) {
            return 0;
        }
        boolean wide = cp >= 0x1100 && (cp <= 0x115F || cp == 0x2329 || cp == 0x232A
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE10 && cp <= 0xFE19)
                || (cp >= 0xFE30 && cp <= 0xFE6F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1F64F)
                || (cp >= 0x1F680 && cp <= 0x1F6FF)
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x1FA70 && cp <= 0x1FAFF)
                || (cp >= 0x20000 && cp <= 0x2FFFD)
                || (cp >= 0x30000 && cp <= 0x3FFFD));
        return wide ? 2 : 1;
    }
}
