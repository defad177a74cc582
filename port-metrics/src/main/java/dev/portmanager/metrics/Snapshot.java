package dev.portmanager.metrics;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationStatus;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.RangeSummary;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The registry's figures at one moment: each range's summary and the live allocations by status. Immutable. */
final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(Map.of(), new EnumMap<>(AllocationStatus.class), System.nanoTime());

    private final Map<String, RangeSummary> ranges;
    private final Map<AllocationStatus, Integer> live;
    private final long takenAt;

    private Snapshot(Map<String, RangeSummary> ranges, Map<AllocationStatus, Integer> live, long takenAt) {
        this.ranges = ranges;
        this.live = live;
        this.takenAt = takenAt;
    }

    /** Reads the figures; throws what the manager throws. */
    static Snapshot read(PortManager pm, AllocationQuery live) {
        Map<String, RangeSummary> ranges = new LinkedHashMap<>();
        for (PortRange r : pm.ranges()) {
            ranges.put(r.name(), pm.summary(r.name()));
        }
        Map<AllocationStatus, Integer> byStatus = new EnumMap<>(AllocationStatus.class);
        for (Allocation a : pm.list(live)) {
            byStatus.merge(a.status(), 1, Integer::sum);
        }
        return new Snapshot(Map.copyOf(ranges), byStatus, System.nanoTime());
    }

    /** The same figures, taken again now: after a failed read, wait a second before the next try. */
    Snapshot retried() {
        return new Snapshot(ranges, live, System.nanoTime());
    }

    boolean olderThan(Duration age) {
        return System.nanoTime() - takenAt > age.toNanos();
    }

    Set<String> ranges() {
        return ranges.keySet();
    }

    double allocated(String range) {
        RangeSummary s = ranges.get(range);
        return s == null ? Double.NaN : s.allocated();
    }

    double capacity(String range) {
        RangeSummary s = ranges.get(range);
        return s == null ? Double.NaN : s.total();
    }

    double utilization(String range) {
        RangeSummary s = ranges.get(range);
        return s == null || s.total() == 0 ? Double.NaN : (double) s.allocated() / s.total();
    }

    double live(AllocationStatus status) {
        return live.getOrDefault(status, 0);
    }
}
