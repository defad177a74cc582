package dev.portmanager.spring.boot;

import java.util.regex.Pattern;

/** Store URIs as they may be shown: the password of a database URL masked. Stateless and thread-safe. */
final class StoreUris {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

    private StoreUris() {
    }

    /** The URI with {@code password=...} and {@code //user:password@} shown as {@code ***}. */
    static String mask(String uri) {
        String masked = PASSWORD.matcher(uri).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }
}
