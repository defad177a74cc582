package dev.portmanager.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 500ms} or ISO 8601 ({@code PT10M}); zero is allowed
 * (a grace period of none), a negative duration is not. {@link Positive} refuses zero too.
 */
class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        Duration d = parse(text);
        if (d.isNegative()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is negative; write 30s, 10m, 2h or 1d");
        }
        return d;
    }

    /** For a lease or an interval: more than zero. */
    static final class Positive extends DurationConverter {
        @Override
        public Duration convert(String text) {
            Duration d = super.convert(text);
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + text + "' is no time at all; give a positive "
                        + "duration such as 30s, 10m, 2h or 1d");
            }
            return d;
        }
    }

    private static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                case 'd':
                    return Duration.ofDays(n);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException
                 | ArithmeticException e) {
            // Falls through to the message below.
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; write 30s, 10m, 2h, 1d or PT10M");
    }
}
