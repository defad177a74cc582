package dev.portmanager.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code portman allocate PROJECT SERVICE}: a new port for a service that holds none. */
@Command(name = "allocate", description = "Allocate a new port for a service that holds none.")
final class AllocateCommand extends PortmanCommand {
    @Mixin
    RequestOptions options = new RequestOptions();

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "a lease: free again after this long (30s, 10m, 2h, 1d)")
    Duration ttl;

    @Override
    public Integer call() {
        printAllocation("allocated", manager().allocate(options.request(ttl)));
        return 0;
    }
}
