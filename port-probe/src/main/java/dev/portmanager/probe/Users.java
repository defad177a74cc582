package dev.portmanager.probe;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by uid, read once from {@code /etc/passwd} when first asked. A uid it does not list (users from LDAP or
 * another name service) is shown as its number. Not thread-safe: one per scan, so a user added since is seen.
 */
final class Users {
    private final String passwd;
    private Map<Long, String> names;

    /** @param passwd the passwd file, {@code /etc/passwd} except in tests */
    Users(String passwd) {
        this.passwd = passwd;
    }

    /** The name of the user with this uid, or the uid as text when the passwd file does not list it. */
    String name(long uid) {
        if (names == null) {
            names = read(passwd);
        }
        String name = names.get(uid);
        return name != null ? name : Long.toString(uid);
    }

    private static Map<Long, String> read(String path) {
        Map<Long, String> names = new HashMap<>();
        ProcFile file = new ProcFile(4096);
        if (!file.read(path)) {
            return names;
        }
        byte[] b = file.bytes();
        int length = file.length();
        int line = 0;
        while (line < length) {
            int end = line;
            while (end < length && b[end] != '\n') {
                end++;
            }
            int nameEnd = indexOf(b, line, end, ':');
            int passwordEnd = indexOf(b, nameEnd + 1, end, ':');
            int uidEnd = indexOf(b, passwordEnd + 1, end, ':');
            long uid = Digits.decimal(b, passwordEnd + 1, uidEnd);
            if (nameEnd > line && uidEnd < end && uid >= 0) {
                names.putIfAbsent(uid, new String(b, line, nameEnd - line, StandardCharsets.UTF_8));
            }
            line = end + 1;
        }
        return names;
    }

    private static int indexOf(byte[] b, int from, int end, char c) {
        int i = from;
        while (i < end && b[i] != c) {
            i++;
        }
        return i;
    }
}
