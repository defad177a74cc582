package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AuditReport;
import dev.portmanager.PortManager;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** What every portman command shares: the root's manager and output. */
abstract class PortmanCommand implements Callable<Integer> {
    @ParentCommand
    Portman root;

    @Spec
    CommandSpec spec;

    PortManager manager() {
        return root.manager();
    }

    Output out() {
        return root.output();
    }

    /**
     * The audit of this machine, for commands that need its processes (conflicts, adopt): only this machine shows
     * them, so a {@code --host} naming another one is refused in the CLI's words.
     *
     * @throws IllegalArgumentException if --host names another machine
     */
    AuditReport audit() {
        AuditReport r = hostAudit();
        if (r.byConnecting()) {
            throw new IllegalArgumentException("--host " + root.host + " names another machine, and portman "
                    + spec.name() + " needs what only that machine sees (its processes); run it on " + root.host
                    + ", or leave out --host");
        }
        return r;
    }

    /**
     * The audit of the manager's host: this machine with the probe, or another one by connecting to it, when some live
     * allocation names it (only hosts the registry names are contacted).
     *
     * @throws IllegalArgumentException if --host names another machine no live allocation names
     */
    AuditReport hostAudit() {
        AuditReport r = manager().audit();
        if (r.byConnecting() && r.allocated() + r.reserved() == 0) {
            Set<String> named = new TreeSet<>();
            manager().list(AllocationQuery.all()).forEach(a -> named.add(a.host()));
            throw new IllegalArgumentException("--host " + root.host + ": no live allocation names " + root.host
                    + " in " + manager().storeName() + ", and portman contacts only hosts the registry names; "
                    + (named.isEmpty() ? "it names none" : "name one of: " + String.join(", ", named)));
        }
        return r;
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
