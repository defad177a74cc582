package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import dev.portmanager.PortManager;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

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
     * The audit of this machine. The probe sees only this machine, so a {@code --host} naming another one is refused
     * in the CLI's words (the library's message would say what to build).
     *
     * @throws IllegalArgumentException if --host names another machine
     */
    AuditReport audit() {
        return onThisMachine(() -> manager().audit());
    }

    /** Runs what needs the probe, refusing a {@code --host} that names another machine as {@link #audit()} does. */
    <T> T onThisMachine(Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalStateException e) {
            if (root.host == null) {
                throw e;
            }
            throw new IllegalArgumentException("--host " + root.host + " names another machine, and portman "
                    + spec.name() + " sees only this one; run it "
                    + "on " + root.host + ", or leave out --host", e);
        }
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
