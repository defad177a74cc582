package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.Candidates;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.LeaseJudge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The changes of one {@link Registry#allocate} call, seen over the index and applied only at the end, so that a
 * failing plan leaves the registry as it was (all or nothing) while later plans of the call see the earlier ones'
 * changes. Not thread-safe: lives inside one call, under the registry owner's lock.
 */
final class Batch implements AllocationDecision.Lookup {
    private final AllocationIndex index;
    private final Set<String> ended = new HashSet<>();
    private final List<Allocation> added = new ArrayList<>();

    Batch(AllocationIndex index) {
        this.index = index;
    }

    /** The unended allocations of the plan's service. */
    List<Allocation> ofService(AllocationPlan plan) {
        List<Allocation> out = new ArrayList<>(2);
        for (Allocation a : index.ofService(plan)) {
            if (!ended.contains(a.id())) {
                out.add(a);
            }
        }
        for (Allocation a : added) {
            if (plan.isSameService(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The unended allocations at (host, port), of any protocol. */
    List<Allocation> atPort(String host, int port) {
        List<Allocation> stored = index.atPort(host, port);
        if (ended.isEmpty() && added.isEmpty()) {
            return stored;
        }
        List<Allocation> out = new ArrayList<>(stored.size() + 1);
        for (Allocation a : stored) {
            if (!ended.contains(a.id())) {
                out.add(a);
            }
        }
        for (Allocation a : added) {
            if (a.port() == port && a.host().equals(host)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The unended allocation with this id. */
    @Override
    public Optional<Allocation> unended(String id) {
        if (!ended.contains(id) && index.get(id) != null) {
            return Optional.of(index.get(id));
        }
        for (Allocation a : added) {
            if (a.id().equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** How many ports of the plan's span live allocations hold for a colliding protocol. */
    int countLive(AllocationPlan plan, LeaseJudge judge, Instant now) {
        Candidates c = plan.candidates();
        Set<Integer> ports = new HashSet<>();
        List<Allocation> all = new ArrayList<>(index.all());
        all.addAll(added);
        for (Allocation a : all) {
            if (!ended.contains(a.id()) && a.host().equals(plan.host()) && a.port() >= c.first()
                    && a.port() <= c.last() && a.protocol().collidesWith(plan.protocol())
                    && judge.isLive(a, now)) {
                ports.add(a.port());
            }
        }
        return ports.size();
    }

    void end(Allocation a) {
        if (!added.removeIf(x -> x.id().equals(a.id()))) {
            ended.add(a.id());
        }
    }

    void add(Allocation a) {
        added.add(a);
    }

    /** Writes the changes into the index. */
    void apply() {
        for (String id : ended) {
            Allocation a = index.get(id);
            if (a != null) {
                index.remove(a);
            }
        }
        for (Allocation a : added) {
            index.put(a);
        }
    }
}
