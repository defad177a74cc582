package dev.portmanager.cli;

import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code portman available [--range R | --from N] [--count K]}. */
@Command(name = "available", description = {"List ports that could be allocated now: not allocated, not excluded, and "
        + "free on this machine.", "Nothing is allocated; use get or allocate to take one."})
final class AvailableCommand extends PortmanCommand {
    /** Where to look: a range, or from a port upward. */
    static final class Where {
        @Option(names = {"-r", "--range"}, paramLabel = "RANGE", required = true)
        String range;

        @Option(names = "--from", paramLabel = "PORT", required = true)
        Integer from;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Where where;

    @Option(names = {"-n", "--count"}, paramLabel = "K", description = "how many (default 1)")
    int count = 1;

    @Override
    public Integer call() {
        List<Integer> ports = where != null && where.range != null ? manager().available(where.range, count)
                : manager().available(where != null && where.from != null ? where.from : 1024, count);
        if (out().json()) {
            out().print(RegistryJson.freePorts(ports, manager().host(), where != null ? where.range : null));
        } else {
            ports.forEach(p -> out().line(String.valueOf(p)));
        }
        return ports.isEmpty() ? 1 : 0;
    }
}
