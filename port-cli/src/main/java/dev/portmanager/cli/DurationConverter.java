package dev.portmanager.cli;

import dev.portmanager.wire.RequestJson;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Reads {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 500ms} or ISO 8601 ({@code PT10M}); zero is allowed
 * (a grace period of none), a negative duration is not. {@link Positive} refuses zero too.
 */
class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        Duration d = RequestJson.parseDuration(text).orElseThrow(() -> new CommandLine.TypeConversionException("'"
                + text + "' is not a duration; write 30s, 10m, 2h, 1d or PT10M"));
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
}
