package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AuditReport;
import dev.portmanager.CheckReport;
import dev.portmanager.Checks;
import dev.portmanager.ConflictLevel;
import dev.portmanager.HealthCheck;
import dev.portmanager.HealthStatus;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessInfo;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.RangeSummary;
import dev.portmanager.ResourceLimits;
import dev.portmanager.ResourceUsage;
import dev.portmanager.spi.PortProbe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The audit and the what-if check: the registry against the sockets the probe sees. With a socket table the sockets
 * come with their owners; with the bind-only probe, "bound or not" comes from binding each port, and owners are
 * unknown. Thread-safe: holds nothing between calls.
 */
final class Auditor {
    /** The metadata key naming the process expected on a port, as seed 002's registry does. */
    static final String PROCESS_NAME = "process_name";
    /** Ranges larger than this are not bind-scanned for orphans by a probe without a socket table. */
    private static final int BIND_SCAN_LIMIT = 4096;
    private static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofMillis(500);

    private final PortManager pm;
    private final PortProbe probe;
    private final double warningPercent;
    private final ResourceLimits limits;

    Auditor(PortManager pm, PortProbe probe, double warningPercent, ResourceLimits limits) {
        this.pm = pm;
        this.probe = probe;
        this.warningPercent = warningPercent;
        this.limits = limits;
    }

    AuditReport audit(List<Allocation> live, Instant now) {
        String host = pm.host();
        boolean table = probe.seesSockets();
        Map<Integer, List<ListeningSocket>> byPort = socketsByPort();
        List<Allocation> zombies = new ArrayList<>();
        List<AuditReport.Conflict> conflicts = new ArrayList<>();
        List<AuditReport.ServiceResources> resources = new ArrayList<>();
        int allocated = 0;
        int reserved = 0;
        for (Allocation a : live) {
            if (a.status() == AllocationStatus.RESERVED) {
                reserved++;
                continue;
            }
            allocated++;
            List<ListeningSocket> there = serving(byPort.getOrDefault(a.port(), List.of()), a.protocol());
            boolean bound = table ? !there.isEmpty() : boundByBinding(a.port(), a.protocol());
            if (!bound) {
                zombies.add(a);
            } else {
                Optional<ListeningSocket> foreign = unexpected(a, there);
                foreign.ifPresent(s -> conflicts.add(new AuditReport.Conflict(a, s, suggestion(a, s),
                        ConflictLevel.of(a, s.process().orElseThrow()))));
                OptionalLong pid = foreign.isEmpty() ? servicePid(a, there) : OptionalLong.empty();
                if (pid.isPresent()) {
                    ResourceUsage.of(pid.getAsLong()).ifPresent(use -> resources.add(
                            new AuditReport.ServiceResources(a, use, limits.exceededBy(use))));
                }
            }
        }
        List<AuditReport.Orphan> orphans = orphans(live, byPort, table);
        List<AuditReport.RangeUsage> usage = new ArrayList<>();
        for (PortRange r : pm.ranges()) {
            RangeSummary s = pm.summary(r.name());
            usage.add(new AuditReport.RangeUsage(s, s.utilizationPercent() > warningPercent));
        }
        int inUse = allocated - zombies.size();
        int health = allocated == 0 ? 100 : (int) Math.round(inUse * 100.0 / allocated);
        return new AuditReport(now, host, allocated, inUse, zombies.size(), reserved, health, zombies, orphans,
                conflicts, usage, table, resources, false);
    }

    /**
     * The process serving the allocation: the one it names (its lease owner, its recorded process id) while that
     * runs, else the one holding its port.
     */
    private static OptionalLong servicePid(Allocation a, List<ListeningSocket> there) {
        Optional<ProcessOwner> owner = a.owner().filter(LocalMachine::canSee).filter(LocalMachine::isAlive);
        if (owner.isPresent()) {
            return OptionalLong.of(owner.get().pid());
        }
        if (a.processId().isPresent()
                && ProcessHandle.of(a.processId().getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
            return a.processId();
        }
        return there.stream().flatMap(s -> s.process().stream()).mapToLong(ProcessInfo::pid).findFirst();
    }

    /** The listening sockets by port, when the probe sees the socket table; empty otherwise. */
    private Map<Integer, List<ListeningSocket>> socketsByPort() {
        Map<Integer, List<ListeningSocket>> byPort = new HashMap<>();
        if (probe.seesSockets()) {
            for (ListeningSocket s : probe.listeners()) {
                byPort.computeIfAbsent(s.port(), p -> new ArrayList<>()).add(s);
            }
        }
        return byPort;
    }

    CheckReport check(List<PlannedBinding> plan, List<Allocation> live) {
        Objects.requireNonNull(plan, "plan == null");
        Map<Integer, List<ListeningSocket>> byPort = socketsByPort();
        List<CheckReport.Result> results = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            PlannedBinding b = Objects.requireNonNull(plan.get(i), "a planned binding == null");
            results.add(checkOne(b, plan, i, live, byPort));
        }
        return new CheckReport(results);
    }

    private CheckReport.Result checkOne(PlannedBinding b, List<PlannedBinding> plan, int index, List<Allocation> live,
                                        Map<Integer, List<ListeningSocket>> byPort) {
        for (int j = 0; j < plan.size(); j++) {
            if (j != index && b.clashesWith(plan.get(j))) {
                return new CheckReport.Result(b, CheckReport.Verdict.CLASH_IN_PLAN, "also wanted by " + plan.get(j));
            }
        }
        boolean ours = false;
        for (Allocation a : live) {
            if (a.port() == b.port() && a.protocol().collidesWith(b.protocol())) {
                if (a.project().equals(b.project()) && a.service().equals(b.service())) {
                    ours = true;
                } else {
                    return new CheckReport.Result(b, CheckReport.Verdict.ALLOCATED_TO_OTHER, "allocated to "
                            + a.project() + "/" + a.service() + " (" + a.protocol() + ")");
                }
            }
        }
        if (!ours) {
            if (probe.seesSockets()) {
                for (ListeningSocket s : serving(byPort.getOrDefault(b.port(), List.of()), b.protocol())) {
                    if (addressesMeet(b.address(), s.address())) {
                        return new CheckReport.Result(b, CheckReport.Verdict.IN_USE, "bound to " + s.address()
                                + " by " + s.process().map(ProcessInfo::toString).orElse("a process this user cannot see"));
                    }
                }
            } else if (!probe.isFree(b.port(), b.protocol())) {
                return new CheckReport.Result(b, CheckReport.Verdict.IN_USE, "bound by a process on this machine");
            }
        }
        return new CheckReport.Result(b, CheckReport.Verdict.OK, "");
    }

    /**
     * Without a socket table: bound if it cannot be bound, and, for TCP, something also accepts a connection. A port
     * the last holder left in TIME_WAIT cannot be bound but runs nothing.
     */
    private boolean boundByBinding(int port, Protocol protocol) {
        if (probe.isFree(port, protocol)) {
            return false;
        }
        return !protocol.covers(Protocol.TCP)
                || HealthCheck.tcp("localhost", port, CONNECT_TIMEOUT).status() != HealthStatus.NOT_RUNNING;
    }

    private List<AuditReport.Orphan> orphans(List<Allocation> live, Map<Integer, List<ListeningSocket>> byPort,
                                            boolean table) {
        List<AuditReport.Orphan> orphans = new ArrayList<>();
        for (PortRange r : pm.ranges()) {
            if (table) {
                for (int port = r.start(); port <= r.end(); port++) {
                    for (ListeningSocket s : byPort.getOrDefault(port, List.of())) {
                        if (!allocatedFor(live, port, s.protocol()) && !alreadyListed(orphans, s)) {
                            orphans.add(new AuditReport.Orphan(s, r.name()));
                        }
                    }
                }
            } else if (r.size() <= BIND_SCAN_LIMIT) {
                for (int port = r.start(); port <= r.end(); port++) {
                    for (Protocol p : new Protocol[] {Protocol.TCP, Protocol.UDP}) {
                        if (!allocatedFor(live, port, p) && !probe.isFree(port, p)) {
                            ListeningSocket s = new ListeningSocket(p, "*", port,
                                    p == Protocol.TCP ? "LISTEN" : "UNCONN", Optional.empty());
                            if (!alreadyListed(orphans, s)) {
                                orphans.add(new AuditReport.Orphan(s, r.name()));
                            }
                        }
                    }
                }
            }
        }
        return orphans;
    }

    private static boolean alreadyListed(List<AuditReport.Orphan> orphans, ListeningSocket s) {
        for (AuditReport.Orphan o : orphans) {
            if (o.socket().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allocatedFor(List<Allocation> live, int port, Protocol protocol) {
        for (Allocation a : live) {
            if (a.port() == port && a.protocol().covers(protocol)) {
                return true;
            }
        }
        return false;
    }

    private static List<ListeningSocket> serving(List<ListeningSocket> sockets, Protocol protocol) {
        List<ListeningSocket> out = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            if (protocol.covers(s.protocol())) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The socket held by someone unexpected, if the allocation says whom to expect (owner, process id, process name)
     * and no socket on its port is held by that one. An allocation that names nobody expects anyone.
     */
    private static Optional<ListeningSocket> unexpected(Allocation a, List<ListeningSocket> there) {
        List<Long> pids = new ArrayList<>();
        // An owner in another PID namespace has a pid that means nothing here: it names no one to expect.
        a.owner().filter(LocalMachine::canSee).ifPresent(o -> pids.add(o.pid()));
        a.processId().ifPresent(pids::add);
        String name = a.metadata().get(PROCESS_NAME);
        boolean pattern = a.metadata().containsKey(ConflictLevel.PROCESS_PATTERN);
        if (pids.isEmpty() && name == null && !pattern) {
            return Optional.empty();
        }
        for (ListeningSocket s : there) {
            if (s.process().isEmpty()) {
                return Optional.empty();
            }
            ProcessInfo p = s.process().get();
            // A process matching the pattern is the service's own; with a pid recorded, only that one is expected.
            if (pids.contains(p.pid()) || (name != null && name.equals(p.name()))
                    || (pids.isEmpty() && ConflictLevel.isOwnProcess(a, p))) {
                return Optional.empty();
            }
        }
        return there.stream().filter(s -> s.process().isPresent()).findFirst();
    }

    private static String suggestion(Allocation a, ListeningSocket found) {
        String who = found.process().map(ProcessInfo::toString).orElse("the process");
        return "move " + a.project() + "/" + a.service() + " to a free port (portman reassign " + a.project() + " "
                + a.service() + "), or stop " + who + " (portman kill " + a.port() + ")";
    }

    private static boolean addressesMeet(String planned, String bound) {
        String b = bound.startsWith("::ffff:") ? bound.substring(7) : bound;
        return Checks.isWildcard(planned) || Checks.isWildcard(b) || planned.equals(b);
    }

}
