package dev.portmanager.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.EnvExport;
import dev.portmanager.HistoryEntry;
import dev.portmanager.Migration;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.RangeSummary;

import java.time.Instant;
import java.util.List;

import static dev.portmanager.wire.Nodes.F;
import static dev.portmanager.wire.Nodes.lower;

/**
 * The registry's values as JSON: allocations, ranges, range summaries, history entries, free ports, the results of a
 * release, a copy or an export, and environment exports. Thread-safe; every call returns a new node.
 */
public final class RegistryJson {
    private RegistryJson() {
    }

    /**
     * An allocation with every field, in this order: {@code port}, {@code protocol}, {@code host}, {@code project},
     * {@code service}, {@code range}, {@code environment}, {@code status}, {@code description}, {@code allocated_at},
     * {@code allocated_by}, {@code expires_at}, {@code owner} ({@code pid}, {@code started_at}, {@code machine}),
     * {@code process_id}, {@code health_endpoint}, {@code health_status}, {@code last_health_check},
     * {@code metadata} (an object of strings), {@code id}. Absent optional values are null.
     *
     * @throws NullPointerException if the allocation is null
     */
    public static ObjectNode allocation(Allocation a) {
        ObjectNode n = F.objectNode();
        n.put("port", a.port());
        n.put("protocol", lower(a.protocol()));
        n.put("host", a.host());
        n.put("project", a.project());
        n.put("service", a.service());
        n.put("range", a.range().orElse(null));
        n.put("environment", a.environment());
        n.put("status", lower(a.status()));
        n.put("description", a.description());
        n.put("allocated_at", a.allocatedAt().toString());
        n.put("allocated_by", a.allocatedBy());
        n.put("expires_at", a.expiresAt().map(Instant::toString).orElse(null));
        if (a.owner().isPresent()) {
            ProcessOwner owner = a.owner().get();
            ObjectNode o = n.putObject("owner");
            o.put("pid", owner.pid());
            o.put("started_at", owner.startedAt().toString());
            o.put("machine", owner.machine());
        } else {
            n.putNull("owner");
        }
        if (a.processId().isPresent()) {
            n.put("process_id", a.processId().getAsLong());
        } else {
            n.putNull("process_id");
        }
        n.put("health_endpoint", a.healthEndpoint().map(Object::toString).orElse(null));
        n.put("health_status", lower(a.healthStatus()));
        n.put("last_health_check", a.lastHealthCheck().map(Instant::toString).orElse(null));
        ObjectNode meta = n.putObject("metadata");
        a.metadata().forEach(meta::put);
        n.put("id", a.id());
        return n;
    }

    /**
     * Allocations as an array of {@link #allocation} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode allocations(List<Allocation> all) {
        return Nodes.array(all, RegistryJson::allocation);
    }

    /**
     * A range: {@code name}, {@code start}, {@code end}, {@code size}, {@code description}, {@code auto_allocate}.
     *
     * @throws NullPointerException if the range is null
     */
    public static ObjectNode range(PortRange r) {
        ObjectNode n = F.objectNode();
        n.put("name", r.name());
        n.put("start", r.start());
        n.put("end", r.end());
        n.put("size", r.size());
        n.put("description", r.description());
        n.put("auto_allocate", r.autoAllocate());
        return n;
    }

    /**
     * Ranges as an array of {@link #range} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode ranges(List<PortRange> all) {
        return Nodes.array(all, RegistryJson::range);
    }

    /**
     * How full a range is: {@code range}, {@code start}, {@code end}, {@code total}, {@code allocated},
     * {@code excluded}, {@code available}, {@code utilization_percent}.
     *
     * @throws NullPointerException if the summary is null
     */
    public static ObjectNode summary(RangeSummary s) {
        ObjectNode n = F.objectNode();
        n.put("range", s.range());
        n.put("start", s.start());
        n.put("end", s.end());
        n.put("total", s.total());
        n.put("allocated", s.allocated());
        n.put("excluded", s.excluded());
        n.put("available", s.available());
        n.put("utilization_percent", s.utilizationPercent());
        return n;
    }

    /**
     * Summaries as an array of {@link #summary} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode summaries(List<RangeSummary> all) {
        return Nodes.array(all, RegistryJson::summary);
    }

    /**
     * A history entry: {@code at}, {@code action}, {@code port}, {@code protocol}, {@code host}, {@code project},
     * {@code service}, {@code environment}, {@code by}, {@code reason}.
     *
     * @throws NullPointerException if the entry is null
     */
    public static ObjectNode historyEntry(HistoryEntry e) {
        ObjectNode n = F.objectNode();
        n.put("at", e.at().toString());
        n.put("action", lower(e.action()));
        n.put("port", e.port());
        n.put("protocol", lower(e.protocol()));
        n.put("host", e.host());
        n.put("project", e.project());
        n.put("service", e.service());
        n.put("environment", e.environment());
        n.put("by", e.by());
        n.put("reason", e.reason());
        return n;
    }

    /**
     * History entries as an array of {@link #historyEntry} objects, in the list's order.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode history(List<HistoryEntry> entries) {
        return Nodes.array(entries, RegistryJson::historyEntry);
    }

    /**
     * Ports free to allocate, as objects shaped like {@link #allocation}'s first fields so that a script reads a port
     * the same way from either: {@code port}, {@code protocol} ({@code tcp}), {@code host}, {@code project} and
     * {@code service} (null: nobody holds it), {@code range} (null when the search named none), {@code status}
     * ({@code free}).
     *
     * @param ports the free ports, in order
     * @param host  the host they are free on
     * @param range the range they were looked for in; null for none
     * @throws NullPointerException if the list or an element is null
     */
    public static ArrayNode freePorts(List<Integer> ports, String host, String range) {
        ArrayNode array = F.arrayNode();
        for (int port : ports) {
            array.addObject().put("port", port).put("protocol", "tcp").put("host", host)
                    .putNull("project").putNull("service").put("range", range).put("status", "free");
        }
        return array;
    }

    /**
     * What a release did: {@code target} (what was named, such as {@code port 8080} or {@code consilio/api}) and
     * {@code released} (false when it held nothing).
     */
    public static ObjectNode release(String target, boolean released) {
        ObjectNode n = F.objectNode();
        n.put("target", target);
        n.put("released", released);
        return n;
    }

    /**
     * What a copy of one registry into another did (an import or a migration): {@code ranges}, {@code copied},
     * {@code skipped} (already there), {@code failures} (one message per allocation not copied).
     *
     * @throws NullPointerException if the report is null
     */
    public static ObjectNode copy(Migration.Report r) {
        ObjectNode n = F.objectNode();
        n.put("ranges", r.ranges());
        n.put("copied", r.copied());
        n.put("skipped", r.skipped());
        ArrayNode failures = n.putArray("failures");
        r.failures().forEach(failures::add);
        return n;
    }

    /** Where an export was written: {@code store} (the registry's name) and {@code file}. */
    public static ObjectNode export(String store, String file) {
        return F.objectNode().put("store", store).put("file", file);
    }

    /**
     * An environment export as an object of its variables, in order, each value a string: the same document as
     * {@link EnvExport#json()}.
     *
     * @throws NullPointerException if the export is null
     */
    public static ObjectNode environment(EnvExport env) {
        ObjectNode n = F.objectNode();
        env.variables().forEach(n::put);
        return n;
    }

    /**
     * An overview of the registry on one host: {@code at}, {@code store}, {@code host}, {@code environment},
     * {@code active} and {@code reserved} (live allocations on the host), and {@code ranges} (each a
     * {@link #summary}).
     *
     * @param at     when it was taken
     * @param store  the registry's name
     * @param host   the host
     * @param env    the environment of requests that name none
     * @param live   the live allocations on the host
     * @param ranges the ranges' summaries
     * @throws NullPointerException if an argument is null
     */
    public static ObjectNode overview(Instant at, String store, String host, String env, List<Allocation> live,
                                      List<RangeSummary> ranges) {
        ObjectNode n = F.objectNode();
        n.put("at", at.toString());
        n.put("store", store);
        n.put("host", host);
        n.put("environment", env);
        n.put("active", live.stream().filter(a -> a.status() == AllocationStatus.ACTIVE).count());
        n.put("reserved", live.stream().filter(a -> a.status() == AllocationStatus.RESERVED).count());
        n.set("ranges", summaries(ranges));
        return n;
    }

    /** A face's health: {@code status} ({@code ok}) and {@code store} (the registry's name). */
    public static ObjectNode health(String store) {
        return F.objectNode().put("status", "ok").put("store", store);
    }
}
