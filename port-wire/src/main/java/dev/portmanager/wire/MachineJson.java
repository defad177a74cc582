package dev.portmanager.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import dev.portmanager.CheckReport;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortEvent;
import dev.portmanager.ProcessInfo;
import dev.portmanager.ResourceUsage;
import dev.portmanager.probe.Termination;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.portmanager.wire.Nodes.F;
import static dev.portmanager.wire.Nodes.lower;

/**
 * What the machine is doing, as JSON: listening sockets, audits and their conflicts and orphans, who holds a port,
 * checks of planned bindings (docker-compose files), terminations and monitoring events. Thread-safe; every call
 * returns a new node.
 */
public final class MachineJson {
    private MachineJson() {
    }

    /**
     * A listening socket: {@code port}, {@code protocol}, {@code address} (as the kernel holds it), {@code state},
     * then, when this user can see its process, {@code pid}, {@code command} (the process name),
     * {@code command_line} and {@code user}; else {@code pid} and {@code command} null.
     *
     * @throws NullPointerException if the socket is null
     */
    public static ObjectNode socket(ListeningSocket s) {
        ObjectNode n = F.objectNode();
        n.put("port", s.port());
        n.put("protocol", lower(s.protocol()));
        n.put("address", s.address());
        n.put("state", s.state());
        if (s.process().isPresent()) {
            ProcessInfo p = s.process().get();
            n.put("pid", p.pid());
            n.put("command", p.name());
            n.put("command_line", p.commandLine());
            n.put("user", p.user());
        } else {
            n.putNull("pid");
            n.putNull("command");
        }
        return n;
    }

    /**
     * Sockets as an array of {@link #socket} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode sockets(List<ListeningSocket> all) {
        return Nodes.array(all, MachineJson::socket);
    }

    /**
     * An audit: {@code at}, {@code host}, {@code summary} ({@code allocated}, {@code in_use}, {@code not_running},
     * {@code reserved}, {@code health_percentage}), {@code saw_sockets}, {@code zombies} (allocations, as
     * {@link RegistryJson#allocation}), {@code conflicts} ({@link #conflicts}), {@code orphans} ({@link #orphan}) and
     * {@code ranges} (each a {@link RegistryJson#summary} with {@code warning}: used above the threshold) and
     * {@code resources} (each running service's {@code port}, {@code project}, {@code service}, its process's
     * {@link #resources} and {@code over_limits}: the limits it exceeds, in words) and {@code by_connecting} (true for
     * another host audited by connecting to it: no process information).
     *
     * @throws NullPointerException if the report is null
     */
    public static ObjectNode audit(AuditReport r) {
        ObjectNode n = F.objectNode();
        n.put("at", r.at().toString());
        n.put("host", r.host());
        ObjectNode summary = n.putObject("summary");
        summary.put("allocated", r.allocated());
        summary.put("in_use", r.inUse());
        summary.put("not_running", r.notRunning());
        summary.put("reserved", r.reserved());
        summary.put("health_percentage", r.healthPercent());
        n.put("saw_sockets", r.sawSockets());
        n.set("zombies", RegistryJson.allocations(r.zombies()));
        n.set("conflicts", conflicts(r.conflicts()));
        n.set("orphans", Nodes.array(r.orphans(), MachineJson::orphan));
        ArrayNode ranges = n.putArray("ranges");
        for (AuditReport.RangeUsage u : r.ranges()) {
            ObjectNode j = RegistryJson.summary(u.summary());
            j.put("warning", u.overThreshold());
            ranges.add(j);
        }
        ArrayNode resources = n.putArray("resources");
        for (AuditReport.ServiceResources u : r.resources()) {
            ObjectNode j = resources.addObject();
            j.put("port", u.allocation().port());
            j.put("project", u.allocation().project());
            j.put("service", u.allocation().service());
            j.setAll(resources(u.usage()));
            ArrayNode over = j.putArray("over_limits");
            u.overLimits().forEach(over::add);
        }
        n.put("by_connecting", r.byConnecting());
        return n;
    }

    /**
     * What a process uses: {@code pid}, {@code cpu_seconds} (user plus system, to the millisecond),
     * {@code cpu_percent} (averaged since it started, of one core) and {@code resident_bytes}; each null when unknown
     * (on a system without {@code /proc}).
     *
     * @throws NullPointerException if the use is null
     */
    public static ObjectNode resources(ResourceUsage u) {
        ObjectNode n = F.objectNode();
        n.put("pid", u.pid());
        if (u.cpuTime().isPresent()) {
            n.put("cpu_seconds", u.cpuTime().get().toMillis() / 1000.0);
        } else {
            n.putNull("cpu_seconds");
        }
        if (u.cpuPercent().isPresent()) {
            n.put("cpu_percent", u.cpuPercent().getAsDouble());
        } else {
            n.putNull("cpu_percent");
        }
        if (u.residentBytes().isPresent()) {
            n.put("resident_bytes", u.residentBytes().getAsLong());
        } else {
            n.putNull("resident_bytes");
        }
        return n;
    }

    /**
     * A conflict: {@code port}, {@code expected} ({@code project/service}), {@code found} (the {@link #socket}
     * holding the port), {@code level} ({@code none}, {@code low}, {@code medium}, {@code high}, {@code critical}: see
     * {@link dev.portmanager.ConflictLevel}), {@code message} and {@code suggestion} (what to do).
     *
     * @throws NullPointerException if the conflict is null
     */
    public static ObjectNode conflict(AuditReport.Conflict c) {
        ObjectNode o = F.objectNode();
        o.put("port", c.allocation().port());
        o.put("expected", c.allocation().project() + "/" + c.allocation().service());
        o.set("found", socket(c.found()));
        o.put("level", c.level().name().toLowerCase(Locale.ROOT));
        o.put("message", c.message());
        o.put("suggestion", c.suggestion());
        return o;
    }

    /**
     * Conflicts as an array of {@link #conflict} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode conflicts(List<AuditReport.Conflict> all) {
        return Nodes.array(all, MachineJson::conflict);
    }

    /**
     * An orphan (a listener in a managed range that nobody allocated): its {@link #socket} and {@code range}.
     *
     * @throws NullPointerException if the orphan is null
     */
    public static ObjectNode orphan(AuditReport.Orphan o) {
        ObjectNode j = socket(o.socket());
        j.put("range", o.range());
        return j;
    }

    /**
     * An orphan that would be registered by adoption: its {@link #socket}, then {@code host}, {@code project},
     * {@code service} and {@code range} it would get, and {@code status} {@code would_adopt}.
     *
     * @param o       the orphan
     * @param host    the host it would be registered on
     * @param project the project it would be registered under
     * @param service the service name it would get
     * @throws NullPointerException if the orphan is null
     */
    public static ObjectNode wouldAdopt(AuditReport.Orphan o, String host, String project, String service) {
        return socket(o.socket()).put("host", host).put("project", project).put("service", service)
                .put("range", o.range()).put("status", "would_adopt");
    }

    /**
     * Who holds a port: {@code port}, {@code allocation} (its {@link RegistryJson#allocation}, or null) and
     * {@code listener} (the {@link #socket} listening on it now, or null).
     *
     * @throws NullPointerException if an optional is null
     */
    public static ObjectNode portHolder(int port, Optional<Allocation> allocation, Optional<ListeningSocket> listener) {
        ObjectNode n = F.objectNode();
        n.put("port", port);
        n.set("allocation", allocation.<JsonNode>map(RegistryJson::allocation).orElse(F.nullNode()));
        n.set("listener", listener.<JsonNode>map(MachineJson::socket).orElse(F.nullNode()));
        return n;
    }

    /**
     * The check of planned bindings (such as a docker-compose file's ports), one object per binding:
     * {@code service}, {@code port}, {@code protocol}, {@code address}, {@code verdict} ({@code ok},
     * {@code clash_in_plan}, {@code allocated_to_other}, {@code in_use}) and {@code detail}.
     *
     * @throws NullPointerException if the report is null
     */
    public static ArrayNode plannedBindings(CheckReport report) {
        ArrayNode array = F.arrayNode();
        for (CheckReport.Result r : report.results()) {
            ObjectNode n = array.addObject();
            n.put("service", r.binding().service());
            n.put("port", r.binding().port());
            n.put("protocol", lower(r.binding().protocol()));
            n.put("address", r.binding().address());
            n.put("verdict", lower(r.verdict()));
            n.put("detail", r.detail());
        }
        return array;
    }

    /**
     * What ending the processes on a port did, one object per process: {@code pid}, {@code outcome} and
     * {@code detail}.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode terminations(List<Termination> all) {
        ArrayNode array = F.arrayNode();
        for (Termination x : all) {
            ObjectNode n = array.addObject();
            n.put("pid", x.pid());
            n.put("outcome", lower(x.outcome()));
            n.put("detail", x.detail());
        }
        return array;
    }

    /**
     * An event: {@code at}, {@code event} (its type, such as {@code conflict}), {@code port}, {@code protocol},
     * {@code project}, {@code service} and {@code detail}.
     *
     * @throws NullPointerException if the event is null
     */
    public static ObjectNode event(PortEvent e) {
        ObjectNode n = F.objectNode();
        n.put("at", e.at().toString());
        n.put("event", lower(e.type()));
        n.put("port", e.port());
        n.put("protocol", lower(e.protocol()));
        n.put("project", e.project());
        n.put("service", e.service());
        n.put("detail", e.detail());
        return n;
    }
}
