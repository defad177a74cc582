package dev.portmanager.cli;

import dev.portmanager.AuditReport;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;

/** {@code portman conflicts}: allocated ports held by unexpected processes. */
@Command(name = "conflicts", description = {"List allocated ports held by a process other than the expected one, "
        + "with what to do.", "Exits 3 when there is one."})
final class ConflictsCommand extends PortmanCommand {
    @Override
    public Integer call() {
        AuditReport r = audit();
        if (out().json()) {
            out().print(MachineJson.conflicts(r.conflicts()));
        } else if (r.conflicts().isEmpty()) {
            out().line(r.sawSockets() ? "no conflicts" : "no conflicts seen (no socket table: owners unknown)");
        } else {
            for (AuditReport.Conflict c : r.conflicts()) {
                out().styled("@|red " + Output.escape(c.message()) + "|@");
                out().line("  " + c.suggestion());
            }
        }
        return r.conflicts().isEmpty() ? 0 : Portman.FOUND_PROBLEMS;
    }
}
