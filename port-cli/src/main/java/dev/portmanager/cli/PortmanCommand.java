package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** What every portman command shares: the root's manager and output. */
abstract class PortmanCommand implements Callable<Integer> {
    @ParentCommand
    Portman root;

    PortManager manager() {
        return root.manager();
    }

    Output out() {
        return root.output();
    }

    /** Prints allocations as a JSON array or a table. */
    void printAllocations(List<Allocation> all) {
        if (out().json()) {
            out().print(RegistryJson.allocations(all));
            return;
        }
        if (all.isEmpty()) {
            out().line("no allocations");
            return;
        }
        Instant now = Instant.now();
        List<List<String>> rows = new ArrayList<>();
        for (Allocation a : all) {
            rows.add(Views.allocationRow(a, now));
        }
        out().table(Views.allocationHeader(), rows);
    }

    /** Prints one allocation as a JSON object or a line. */
    void printAllocation(String verb, Allocation a) {
        if (out().json()) {
            out().print(RegistryJson.allocation(a));
        } else {
            out().line(verb + " " + a.describe() + a.range().map(r -> " (range " + r + ")").orElse("")
                    + a.expiresAt().map(e -> ", until " + e).orElse(""));
        }
    }
}
