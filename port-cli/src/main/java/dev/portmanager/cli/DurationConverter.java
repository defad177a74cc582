package dev.portmanager.cli;

import dev.portmanager.wire.RequestJson;
import picocli.CommandLine;

import java.time.Duration;

/** Reads {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 500ms} or ISO 8601 ({@code PT10M}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return RequestJson.parseDuration(text).orElseThrow(() -> new CommandLine.TypeConversionException("'" + text
                + "' is not a duration; write 30s, 10m, 2h, 1d or PT10M"));
    }
}
