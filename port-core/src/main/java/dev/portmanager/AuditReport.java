package dev.portmanager;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PortManager#audit()} found on this machine: the registry's allocations against the sockets really
 * bound; or, for another host ({@link #byConnecting()}), against what answers a connection. As in seed 001's {@code audit-ports}: {@code allocated} live active allocations, {@code inUse} of them with
 * something listening, {@code notRunning} with nothing ({@link #zombies()}); and the lists. Immutable and thread-safe.
 *
 * @param at                when the audit ran
 * @param host              the host audited (this machine, or the other host connected to)
 * @param allocated         live active allocations on the host
 * @param inUse             of those, how many have something bound to their port
 * @param notRunning        of those, how many have nothing bound: the zombies
 * @param reserved          live reservations on the host (not expected to be listening, so never zombies)
 * @param healthPercent     {@code inUse} as a percentage of {@code allocated}, rounded; 100 when nothing is allocated
 * @param zombies           allocated, nothing listening
 * @param orphans           something listening inside a managed range with no allocation
 * @param conflicts         an allocated port held by another process than the one expected
 * @param ranges            every range's utilization, flagged above the warning threshold
 * @param sawSockets        whether the probe read the OS socket table; without it orphans are found by binding,
 *                          and conflicts (which need owners) cannot be
 * @param resources         what each running service's process uses (those whose process is known and visible
 *                          here), flagged above the builder's {@link ResourceLimits}
 * @param byConnecting      whether the host was audited from outside, by connecting to its ports (another host
 *                          than the manager's, see {@link PortManager#audit(String)}): then no process information is
 *                          claimed (no conflicts, orphans, resources or range utilization) and a zombie is a port where
 *                          nothing answers
 */
public record AuditReport(Instant at, String host, int allocated, int inUse, int notRunning, int reserved,
                          int healthPercent, List<Allocation> zombies, List<Orphan> orphans, List<Conflict> conflicts,
                          List<RangeUsage> ranges, boolean sawSockets, List<ServiceResources> resources,
                          boolean byConnecting) {

    /** Copies the lists. @throws NullPointerException if a component is null */
    public AuditReport {
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(host, "host == null");
        zombies = List.copyOf(zombies);
        orphans = List.copyOf(orphans);
        conflicts = List.copyOf(conflicts);
        ranges = List.copyOf(ranges);
        resources = List.copyOf(resources);
    }

    /** A report of this machine that read no service's resources. @throws NullPointerException if one is null */
    public AuditReport(Instant at, String host, int allocated, int inUse, int notRunning, int reserved,
                       int healthPercent, List<Allocation> zombies, List<Orphan> orphans, List<Conflict> conflicts,
                       List<RangeUsage> ranges, boolean sawSockets) {
        this(at, host, allocated, inUse, notRunning, reserved, healthPercent, zombies, orphans, conflicts, ranges,
                sawSockets, List.of(), false);
    }

    /** The services whose use is above a resource limit. */
    public List<ServiceResources> overLimits() {
        return resources.stream().filter(ServiceResources::overLimit).toList();
    }

    /** Whether the audit found a conflict or a zombie. */
    public boolean hasProblems() {
        return !conflicts.isEmpty() || !zombies.isEmpty();
    }

    /**
     * The conflicts at {@code level} or above, in the audit's order.
     *
     * @throws NullPointerException if the level is null
     */
    public List<Conflict> conflictsAtLeast(ConflictLevel level) {
        Objects.requireNonNull(level, "level == null");
        return conflicts.stream().filter(c -> c.level().atLeast(level)).toList();
    }

    /** The ranges used above the warning threshold. */
    public List<RangeUsage> warnings() {
        return ranges.stream().filter(RangeUsage::overThreshold).toList();
    }

    /**
     * An allocated port held by a process other than the one the allocation expects (its owner, its recorded process
     * id, or the process name in its {@code process_name} metadata).
     *
     * @param allocation the allocation
     * @param found      the socket on its port and the process holding it
     * @param suggestion what to do, with the commands
     * @param level      how serious it is, by the rule {@link ConflictLevel} documents
     */
    public record Conflict(Allocation allocation, ListeningSocket found, String suggestion, ConflictLevel level) {
        /** Checks the components. @throws NullPointerException if one is null */
        public Conflict {
            Objects.requireNonNull(allocation, "allocation == null");
            Objects.requireNonNull(found, "found == null");
            Objects.requireNonNull(suggestion, "suggestion == null");
            Objects.requireNonNull(level, "level == null");
        }

        /** {@code port 8767: expected uDOS/goblin, found python3 (pid 12345)}. */
        public String message() {
            return "port " + allocation.port() + ": expected " + allocation.project() + "/" + allocation.service()
                    + ", found " + found.process().map(ProcessInfo::toString).orElse("a process this user cannot see");
        }

        @Override
        public String toString() {
            return message();
        }
    }

    /**
     * A socket bound inside a managed range with no allocation for it.
     *
     * @param socket the socket and its process
     * @param range  the range it lies in
     */
    public record Orphan(ListeningSocket socket, String range) {
        /** Checks the components. @throws NullPointerException if one is null */
        public Orphan {
            Objects.requireNonNull(socket, "socket == null");
            Objects.requireNonNull(range, "range == null");
        }

        /** {@code port 8081/TCP in range 'web': python3 (pid 12345), not in the registry}. */
        @Override
        public String toString() {
            return "port " + socket.port() + "/" + socket.protocol() + " in range '" + range + "': "
                    + socket.process().map(ProcessInfo::toString).orElse("owner unknown") + ", not in the registry";
        }
    }

    /**
     * A range's utilization.
     *
     * @param summary       the range's summary on this host
     * @param overThreshold whether utilization is above the warning threshold
     */
    public record RangeUsage(RangeSummary summary, boolean overThreshold) {
        /** Checks the summary. @throws NullPointerException if it is null */
        public RangeUsage {
            Objects.requireNonNull(summary, "summary == null");
        }
    }

    /**
     * What a running service's process uses.
     *
     * @param allocation the service's allocation
     * @param usage      its process's use
     * @param overLimits each limit it exceeds, in words ({@code resident memory 52.4 MB above the limit 40.0 MB});
     *                   empty when within them
     */
    public record ServiceResources(Allocation allocation, ResourceUsage usage, List<String> overLimits) {
        /** Copies the list. @throws NullPointerException if a component is null */
        public ServiceResources {
            Objects.requireNonNull(allocation, "allocation == null");
            Objects.requireNonNull(usage, "usage == null");
            overLimits = List.copyOf(overLimits);
        }

        /** Whether it exceeds a limit. */
        public boolean overLimit() {
            return !overLimits.isEmpty();
        }

        /** {@code shop/api port 3001: pid 4242: cpu 1.25 s (12.5% since start), rss 52.4 MB}, and the limits exceeded. */
        @Override
        public String toString() {
            return allocation.project() + "/" + allocation.service() + " port " + allocation.port() + ": " + usage
                    + (overLimits.isEmpty() ? "" : "; " + String.join("; ", overLimits));
        }
    }
}
