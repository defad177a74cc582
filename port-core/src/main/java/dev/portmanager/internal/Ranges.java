package dev.portmanager.internal;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.RangePolicy;
import dev.portmanager.spi.PortStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which stored range a request or a name means. The store's ranges are cached, and read again when a name is not in
 * the cache (another process may have defined it) or after this manager defined one; a project's block is made in
 * the store on its first request when project blocks are on. Thread-safe: the cache is one map, replaced whole.
 */
final class Ranges {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final PortStore store;
    private final RangePolicy policy;
    private volatile Map<String, PortRange> cache;

    Ranges(String name, PortStore store, RangePolicy policy) {
        this.name = name;
        this.store = store;
        this.policy = policy;
    }

    /**
     * The range a request takes its port from, as the policy picks it; null when it may take any port the policy
     * allows.
     *
     * @throws IllegalArgumentException if the range picked is not stored
     * @throws dev.portmanager.NoFreePortException if the project's new block finds no room
     */
    PortRange forRequest(AllocationRequest request) {
        Map<String, PortRange> ranges = cached();
        Optional<String> rangeName = policy.rangeNameFor(request, ranges);
        if (rangeName.isEmpty()) {
            return null;
        }
        PortRange range = ranges.get(rangeName.get());
        if (range == null) {
            ranges = fresh();
            range = ranges.get(rangeName.get());
        }
        if (range == null && policy.projectBlocks().isPresent() && request.range().isEmpty()
                && rangeName.get().equals(request.project())) {
            RangePolicy.ProjectBlocks blocks = policy.projectBlocks().get();
            range = store.defineBlock(request.project(), blocks.start(), blocks.end(), blocks.size(),
                    "block of project " + request.project());
            cache = null;
            LOG.info("[{}] project {} got the block {}", name, request.project(), range);
        }
        if (range == null) {
            throw new IllegalArgumentException(noSuchRange(rangeName.get(), ranges));
        }
        return range;
    }

    /**
     * The stored range of that name, read from the store.
     *
     * @throws IllegalArgumentException if there is none; the message lists the stored ranges
     */
    PortRange named(String rangeName) {
        Map<String, PortRange> ranges = fresh();
        PortRange range = ranges.get(rangeName);
        if (range == null) {
            throw new IllegalArgumentException(noSuchRange(rangeName, ranges));
        }
        return range;
    }

    /**
     * Stores a range the policy accepts.
     *
     * @throws IllegalArgumentException       if the policy refuses it
     * @throws dev.portmanager.RangeConflictException if the store holds the name with other ports
     */
    PortRange define(PortRange range) {
        policy.checkRange(range);
        PortRange stored = store.defineRange(range);
        cache = null;
        LOG.info("[{}] range {} defined in {}", name, stored, store.name());
        return stored;
    }

    private String noSuchRange(String rangeName, Map<String, PortRange> ranges) {
        List<String> known = new ArrayList<>();
        for (PortRange r : ranges.values()) {
            known.add(r.name() + " " + r.start() + "-" + r.end());
        }
        return "no range named '" + rangeName + "' in " + store.name() + " (ranges: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + "); define it with "
                + "defineRange(PortRange.of(\"" + rangeName + "\", start, end)) or name another";
    }

    private Map<String, PortRange> cached() {
        Map<String, PortRange> ranges = cache;
        return ranges != null ? ranges : fresh();
    }

    private Map<String, PortRange> fresh() {
        Map<String, PortRange> ranges = new LinkedHashMap<>();
        for (PortRange r : store.ranges()) {
            ranges.put(r.name(), r);
        }
        cache = ranges;
        return ranges;
    }
}
