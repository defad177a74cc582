package dev.portmanager.cli;

import dev.portmanager.PortRange;
import dev.portmanager.RangeSummary;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code portman summary [RANGE]}. */
@Command(name = "summary", description = "How full a range (or every range) is on this host.")
final class SummaryCommand extends PortmanCommand {
    @Parameters(paramLabel = "RANGE", arity = "0..1")
    String range;

    @Override
    public Integer call() {
        List<RangeSummary> summaries = new ArrayList<>();
        if (range != null) {
            summaries.add(manager().summary(range));
        } else {
            for (PortRange r : manager().ranges()) {
                summaries.add(manager().summary(r.name()));
            }
        }
        if (out().json()) {
            if (range != null) {
                out().print(RegistryJson.summary(summaries.get(0)));
            } else {
                out().print(RegistryJson.summaries(summaries));
            }
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (RangeSummary s : summaries) {
            rows.add(List.of(s.range(), s.start() + "-" + s.end(), String.valueOf(s.total()),
                    String.valueOf(s.allocated()), String.valueOf(s.available()), String.valueOf(s.excluded()),
                    s.utilizationPercent() + "%"));
        }
        out().table(List.of("RANGE", "PORTS", "TOTAL", "ALLOCATED", "AVAILABLE", "EXCLUDED", "USED"), rows);
        return 0;
    }
}
