package dev.portmanager.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code portman reserve PROJECT SERVICE --ttl 10m}: a hold that ends by itself. */
@Command(name = "reserve", description = "Hold a port for later; the hold ends by itself after --ttl.")
final class ReserveCommand extends PortmanCommand {
    @Mixin
    RequestOptions options = new RequestOptions();

    @Option(names = "--ttl", paramLabel = "DURATION", required = true, converter = DurationConverter.Positive.class,
            description = "how long the hold lasts (30s, 10m, 2h, 1d)")
    Duration ttl;

    @Override
    public Integer call() {
        printAllocation("reserved", manager().reserve(options.request(null), ttl));
        return 0;
    }
}
