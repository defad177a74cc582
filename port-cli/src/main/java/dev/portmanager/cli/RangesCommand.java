package dev.portmanager.cli;

import dev.portmanager.PortRange;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code portman ranges}. */
@Command(name = "ranges", description = "List the ranges of the registry.")
final class RangesCommand extends PortmanCommand {
    @Override
    public Integer call() {
        List<PortRange> ranges = manager().ranges();
        if (out().json()) {
            out().print(RegistryJson.ranges(ranges));
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (PortRange r : ranges) {
            rows.add(List.of(r.name(), String.valueOf(r.start()), String.valueOf(r.end()), String.valueOf(r.size()),
                    r.autoAllocate() ? "yes" : "no", r.description()));
        }
        out().table(List.of("RANGE", "START", "END", "PORTS", "AUTO", "DESCRIPTION"), rows);
        return 0;
    }
}
