package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.RangePolicy;
import dev.portmanager.RangeSummary;
import dev.portmanager.spi.PortProbe;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * How the ports of a span are used on the manager's host: the summary of a stored range, and the ports still free
 * (not allocated, not refused by the policy, and, on this machine, bindable). Thread-safe: holds nothing between
 * calls.
 */
final class RangeUsage {
    private final RangePolicy policy;
    private final PortProbe probe;
    private final boolean local;

    /** @param host the manager's host: free ports are bind-checked only when it is this machine */
    RangeUsage(RangePolicy policy, PortProbe probe, String host) {
        this.policy = policy;
        this.probe = probe;
        this.local = LocalMachine.isLocalHost(host);
    }

    /** The summary of a stored range, given the live allocations of the host. */
    RangeSummary summary(PortRange range, List<Allocation> live) {
        BitSet allocated = new BitSet();
        for (Allocation a : live) {
            if (range.contains(a.port())) {
                allocated.set(a.port());
            }
        }
        BitSet excluded = policy.excludedIn(range);
        excluded.andNot(allocated);
        int total = range.size();
        int used = allocated.cardinality();
        int off = excluded.cardinality();
        double percent = Math.round(used * 1000.0 / total) / 10.0;
        return new RangeSummary(range.name(), range.start(), range.end(), total, used, off, total - used - off, percent);
    }

    /**
     * Up to {@code count} free TCP ports, lowest first, of a stored range ({@code range} not null) or, for a span
     * outside ranges, of {@code first..65535}.
     *
     * @throws IllegalArgumentException if count is not positive
     */
    List<Integer> free(PortRange range, int first, int count, Supplier<List<Allocation>> live) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is not positive; ask for 1 or more ports");
        }
        int last = range != null ? range.end() : 65535;
        BitSet taken = range != null ? policy.excludedIn(range) : policy.excludedOutsideRanges(first, last);
        for (Allocation a : live.get()) {
            if (a.port() >= first && a.port() <= last && a.protocol().covers(Protocol.TCP)) {
                taken.set(a.port());
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int p = taken.nextClearBit(first); p <= last && free.size() < count; p = taken.nextClearBit(p + 1)) {
            if (!local || probe.isFree(p, Protocol.TCP)) {
                free.add(p);
            }
        }
        return free;
    }
}
