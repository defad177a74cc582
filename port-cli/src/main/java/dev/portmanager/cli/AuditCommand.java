package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;

/** {@code portman audit}: the registry against the sockets really bound. */
@Command(name = "audit", description = {"Compare the registry with what really listens on this machine: services not "
        + "running, ports held by unexpected processes, listeners nobody registered, full ranges.",
        "With --host naming another machine the registry names: connect to each of its ports (nothing answers: not "
                + "running), without process information.",
        "Exits 3 when a conflict or a service that is not running is found."})
final class AuditCommand extends PortmanCommand {
    @Override
    public Integer call() {
        AuditReport r = hostAudit();
        if (out().json()) {
            out().print(MachineJson.audit(r));
        } else {
            out().line("allocated " + r.allocated() + ", in use " + r.inUse() + ", not running " + r.notRunning()
                    + ", reserved " + r.reserved() + ": health " + r.healthPercent() + "%"
                    + (r.byConnecting() ? " (" + r.host() + " checked by connecting: no process information)"
                    : r.sawSockets() ? "" : " (no socket table: owners unknown, conflicts not checked)"));
            for (Allocation z : r.zombies()) {
                out().styled("@|yellow not running|@ " + Output.escape(z.describe()));
            }
            for (AuditReport.Conflict c : r.conflicts()) {
                out().styled("@|red conflict|@ " + Output.escape(c.message()));
                out().line("  " + c.suggestion());
            }
            for (AuditReport.Orphan o : r.orphans()) {
                out().line("orphan " + o);
            }
            for (AuditReport.ServiceResources u : r.overLimits()) {
                out().styled("@|yellow over limit|@ " + Output.escape(u.toString()));
            }
            for (AuditReport.RangeUsage u : r.warnings()) {
                out().styled("@|yellow range " + Output.escape(u.summary().toString()) + "|@");
            }
        }
        return r.hasProblems() ? Portman.FOUND_PROBLEMS : 0;
    }
}
