package dev.portmanager.store.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of names, messages and stack traces: a URL's {@code password=} parameters and user-info
 * password become {@code ***}, and so does every occurrence of those secrets in an exception's message and in the
 * messages of its causes (a driver's {@code No suitable driver found for jdbc:postgresql://...password=secret}, or
 * an {@code UnknownHostException} naming {@code user:secret@host}). Immutable and thread-safe.
 */
final class Masking {
    /** Masks what the patterns find: for exceptions of a caller's own data source, whose URL the store never sees. */
    static final Masking PATTERNS = new Masking(List.of());

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)([^&;\\s]*)");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:\\s]*):([^/@\\s]*)@");

    /** The secrets, longest first, so a secret inside another is never left half-masked. */
    private final List<String> secrets;

    private Masking(List<String> secrets) {
        this.secrets = secrets;
    }

    /** The masking of the secrets of a JDBC URL and its connection properties. */
    static Masking of(String url, Properties properties) {
        Set<String> found = new LinkedHashSet<>();
        for (Pattern p : List.of(PASSWORD_PARAMETER, USER_INFO)) {
            Matcher m = p.matcher(url);
            while (m.find()) {
                found.add(m.group(2));
                try {
                    found.add(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // Not percent-encoded text: the raw form is all a driver could echo.
                }
            }
        }
        String property = properties.getProperty("password");
        if (property != null) {
            found.add(property);
        }
        List<String> secrets = new ArrayList<>();
        for (String s : found) {
            if (!s.isEmpty()) {
                secrets.add(s);
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new Masking(List.copyOf(secrets));
    }

    /** The URL with its password replaced by {@code ***}, for names and logs. */
    static String url(String url) {
        return PATTERNS.text(url);
    }

    /** The text with every secret and every URL password replaced by {@code ***}; null stays null. */
    String text(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "***");
        }
        masked = PASSWORD_PARAMETER.matcher(masked).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }

    /**
     * The exception, or, when a message in it or its causes holds a secret, a copy of the whole chain with masked
     * messages: each link keeps its stack trace, its SQLSTATE and vendor code, and says which type it was
     * ({@code org.postgresql.util.PSQLException: Unable to parse URL ...password=***}).
     */
    Throwable chain(Throwable e) {
        return hasSecret(e, new IdentityHashMap<>()) ? copy(e, new IdentityHashMap<>()) : e;
    }

    /** {@link #chain} for an SQLException: the copy is an SQLException of the same kind of connection failure. */
    SQLException sql(SQLException e) {
        return (SQLException) chain(e);
    }

    private boolean hasSecret(Throwable t, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return false;
        }
        String m = t.getMessage();
        if (m != null && !text(m).equals(m)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (hasSecret(s, seen)) {
                return true;
            }
        }
        return hasSecret(t.getCause(), seen);
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> done) {
        Throwable known = done.get(t);
        if (known != null) {
            return known;
        }
        String type = t.getClass().getName();
        String message = text(t.getMessage());
        Throwable c;
        if (t instanceof SQLException) {
            SQLException s = (SQLException) t;
            c = new MaskedSql(type, message, s.getSQLState(), s.getErrorCode(), t);
        } else {
            c = new Masked(type, message);
        }
        done.put(t, c);
        c.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            c.initCause(copy(t.getCause(), done));
        }
        for (Throwable s : t.getSuppressed()) {
            c.addSuppressed(copy(s, done));
        }
        return c;
    }

    /** A link of a masked chain that was not an SQLException. */
    static final class Masked extends Exception {
        private static final long serialVersionUID = 1L;
        private final String type;

        Masked(String type, String message) {
            super(message);
            this.type = type;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }

    /**
     * A link of a masked chain that was an SQLException: a connection failure stays one, for the store's judgement of
     * what failed ({@link SqlErrors#isConnectionLost}).
     */
    static final class MaskedSql extends SQLException {
        private static final long serialVersionUID = 1L;
        private final String type;
        private final boolean connectionFailure;

        MaskedSql(String type, String message, String state, int code, Throwable original) {
            super(message, state, code);
            this.type = type;
            this.connectionFailure = original instanceof SQLNonTransientConnectionException
                    || original instanceof SQLTransientConnectionException
                    || original instanceof SQLRecoverableException;
        }

        /** Whether the original was one of the JDK's connection-failure kinds. */
        boolean connectionFailure() {
            return connectionFailure;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }
}
