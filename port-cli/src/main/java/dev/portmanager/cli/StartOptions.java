package dev.portmanager.cli;

import dev.portmanager.launch.ConflictResolver;
import dev.portmanager.launch.Launcher;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;

/** The options of the commands that start services: up, restart. */
final class StartOptions {
    @Option(names = "--strategy", paramLabel = "STRATEGY", converter = StrategyConverter.class,
            description = "for a port held by another process: dry-run (default; report, start nothing), "
                    + "conservative (move our service to its first free alternative, else a free port), "
                    + "aggressive (end that process), intelligent (end our own stale process, else move our service)")
    ConflictResolver.Strategy strategy = ConflictResolver.Strategy.DRY_RUN;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "how long each service may take to become healthy (default 30s)")
    Duration timeout;

    /** The builder with these options applied. */
    Launcher.Builder apply(Launcher.Builder b) {
        b.strategy(strategy);
        if (timeout != null) {
            b.startTimeout(timeout);
        }
        return b;
    }

    /** Reads dry-run, conservative, aggressive or intelligent, in any case, with - or _. */
    static final class StrategyConverter implements CommandLine.ITypeConverter<ConflictResolver.Strategy> {
        @Override
        public ConflictResolver.Strategy convert(String text) {
            try {
                return ConflictResolver.Strategy.valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a strategy; give "
                        + "dry-run, conservative, aggressive or intelligent");
            }
        }
    }
}
