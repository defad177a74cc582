package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import picocli.CommandLine.Command;

/** {@code portman audit}: the registry against the sockets really bound. */
@Command(name = "audit", description = {"Compare the registry with what really listens on this machine: services not "
        + "running, ports held by unexpected processes, listeners nobody registered, full ranges.",
        "Exits 3 when a conflict or a service that is not running is found."})
final class AuditCommand extends PortmanCommand {
    @Override
    public Integer call() {
        AuditReport r = manager().audit();
        if (out().json()) {
            out().print(json(r));
        } else {
            out().line("allocated " + r.allocated() + ", in use " + r.inUse() + ", not running " + r.notRunning()
                    + ", reserved " + r.reserved() + ": health " + r.healthPercent() + "%"
                    + (r.sawSockets() ? "" : " (no socket table: owners unknown, conflicts not checked)"));
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
            for (AuditReport.RangeUsage u : r.warnings()) {
                out().styled("@|yellow range " + Output.escape(u.summary().toString()) + "|@");
            }
        }
        return r.hasProblems() ? Portman.FOUND_PROBLEMS : 0;
    }

    static ObjectNode json(AuditReport r) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("at", r.at().toString());
        n.put("host", r.host());
        ObjectNode summary = n.putObject("summary");
        summary.put("allocated", r.allocated());
        summary.put("in_use", r.inUse());
        summary.put("not_running", r.notRunning());
        summary.put("reserved", r.reserved());
        summary.put("health_percentage", r.healthPercent());
        n.put("saw_sockets", r.sawSockets());
        n.set("zombies", Views.allocations(r.zombies()));
        ArrayNode conflicts = n.putArray("conflicts");
        for (AuditReport.Conflict c : r.conflicts()) {
            ObjectNode o = conflicts.addObject();
            o.put("port", c.allocation().port());
            o.put("expected", c.allocation().project() + "/" + c.allocation().service());
            o.set("found", Views.socket(c.found()));
            o.put("message", c.message());
            o.put("suggestion", c.suggestion());
        }
        ArrayNode orphans = n.putArray("orphans");
        for (AuditReport.Orphan o : r.orphans()) {
            ObjectNode j = Views.socket(o.socket());
            j.put("range", o.range());
            orphans.add(j);
        }
        ArrayNode ranges = n.putArray("ranges");
        for (AuditReport.RangeUsage u : r.ranges()) {
            ObjectNode j = Views.summary(u.summary());
            j.put("warning", u.overThreshold());
            ranges.add(j);
        }
        return n;
    }
}
