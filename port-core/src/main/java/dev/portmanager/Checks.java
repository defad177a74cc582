package dev.portmanager;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules every module applies to names, text, ports and hosts: the value types check with them, and so do stores
 * (the JDBC schema enforces the same name rules), the probe and every face (CLI, server). Each failure names the
 * offending value and the fix. Also how every module writes a value into a message ({@link #quote}, {@link #describe}).
 * Stateless and thread-safe.
 */
public final class Checks {
    /** Longest project, service, range, environment or host name accepted (the JDBC schema's column width). */
    public static final int MAX_NAME_LENGTH = 255;
    /** Longest description accepted. */
    public static final int MAX_TEXT_LENGTH = 4096;

    private Checks() {
    }

    /** The masking patterns, compiled at the first {@link #maskSecrets}, not at start-up (issue 20). */
    private static final class Secrets {
        static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
        static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");
    }

    /**
     * Checks a name: not null, not blank, at most 255 characters, no control characters, no unpaired surrogates,
     * no leading or trailing white space.
     *
     * @return the name, unchanged
     * @throws NullPointerException     if the name is null
     * @throws IllegalArgumentException if the name breaks a rule; the message quotes it and says the fix
     */
    public static String name(String what, String value) {
        Objects.requireNonNull(value, what + " == null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank (was " + quote(value) + "); give a name such as 'api'");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " " + quote(value) + " is " + value.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
        checkCharacters(what, value, false);
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException(what + " " + quote(value) + " has leading or trailing white space; remove it");
        }
        return value;
    }

    /**
     * Checks free text such as a description: not null, at most 4096 characters, no control characters other than
     * tab and line breaks, no unpaired surrogates.
     *
     * @throws NullPointerException     if the text is null
     * @throws IllegalArgumentException if the text breaks a rule
     */
    public static String text(String what, String value) {
        Objects.requireNonNull(value, what + " == null");
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(what + " " + quote(value) + " is " + value.length()
                    + " characters long; the limit is " + MAX_TEXT_LENGTH);
        }
        checkCharacters(what, value, true);
        return value;
    }

    /**
     * Checks a port number.
     *
     * @throws IllegalArgumentException if the port is outside 1-65535
     */
    public static int port(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside 1-65535; ports are numbered 1 to 65535");
        }
        return port;
    }

    /**
     * Normalises a host name: checked as a name, lower-cased, and the loopback aliases {@code 127.0.0.1},
     * {@code ::1}, {@code [::1]} and {@code localhost.localdomain} folded into {@code localhost}.
     */
    public static String host(String value) {
        String host = name("host", value).toLowerCase(Locale.ROOT);
        switch (host) {
            case "127.0.0.1":
            case "::1":
            case "[::1]":
            case "0:0:0:0:0:0:0:1":
            case "localhost.localdomain":
                return "localhost";
            default:
                return host;
        }
    }

    /** Whether a bind address is a wildcard (every address of the host): 0.0.0.0, ::, [::] or *. */
    public static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("*") || address.equals("[::]");
    }

    /**
     * Parses an enum constant case-insensitively, accepting '-' for '_'; the message lists the choices as users type
     * them ({@code lowest-first}).
     */
    public static <E extends Enum<E>> E parseEnum(Class<E> type, String what, String value) {
        Objects.requireNonNull(value, what + " == null");
        String wanted = value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        StringBuilder choices = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (choices.length() > 0) {
                choices.append(", ");
            }
            choices.append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException(what + " " + quote(value) + " is not one of: " + choices);
    }

    /**
     * A duration as a person reads it in a message, never ISO-8601: {@code 40 ms} below a second, then {@code 10 s},
     * {@code 1.5 s}, {@code 5 min}, {@code 5 min 30 s}, {@code 2 h 5 min}, {@code 3 d 4 h}; a negative one with a
     * leading {@code -}.
     *
     * @throws NullPointerException if the duration is null
     */
    public static String describe(java.time.Duration d) {
        Objects.requireNonNull(d, "duration == null");
        if (d.isNegative()) {
            return "-" + describe(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = d.getSeconds();
        if (s < 60) {
            long tenths = ms % 1000 / 100;
            return s + (tenths == 0 ? "" : "." + tenths) + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        }
        return s / 86400 + " d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + " h");
    }

    /**
     * A store URI (or any text holding one, such as a driver's message) as it may be shown: the value of every
     * {@code password=} parameter and the password of {@code //user:password@host} replaced by {@code ***}.
     * The one masking rule of every face (CLI, server, Spring Boot, logs). Stateless.
     *
     * @throws NullPointerException if the text is null
     */
    public static String maskSecrets(String text) {
        String masked = Secrets.PASSWORD_PARAMETER.matcher(text).replaceAll("$1***");
        return Secrets.USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }

    /** Quotes a value for a message: control characters escaped, long values cut to 40 characters. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(value.length(), 40);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (shown < value.length()) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    private static void checkCharacters(String what, String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " " + quote(value) + " contains an unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; it cannot be stored as UTF-8");
            }
            boolean lineBreak = c == '\t' || c == '\n' || c == '\r';
            int type = Character.getType(c);
            if ((Character.isISOControl(c) && !(allowLineBreaks && lineBreak))
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                throw new IllegalArgumentException(what + " " + quote(value) + " contains the control character U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; use printable characters only");
            }
        }
    }
}
