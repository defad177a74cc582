package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HealthResult;
import dev.portmanager.HistoryAction;
import dev.portmanager.PortManager;
import dev.portmanager.Protocol;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Changes to allocations that exist: renew a lease, release, update, reclaim the lapsed. Each is one store call whose
 * history becomes events; an allocation that ended meanwhile is reported, never recreated. Thread-safe: holds nothing
 * between calls.
 */
final class LeaseChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final String name;
    private final PortStore store;
    private final LiveAllocations live;
    private final SystemLeaseJudge judges;
    private final Events events;
    private final Clock clock;
    private final String allocatedBy;

    LeaseChanges(String name, PortStore store, LiveAllocations live, SystemLeaseJudge judges, Events events,
                 Clock clock, String allocatedBy) {
        this.name = name;
        this.store = store;
        this.live = live;
        this.judges = judges;
        this.events = events;
        this.clock = clock;
        this.allocatedBy = allocatedBy;
    }

    /**
     * Moves the lease's end to now + ttl.
     *
     * @throws AllocationNotFoundException if the allocation ended
     */
    Allocation renew(Allocation allocation, Duration ttl) {
        Instant now = clock.instant();
        StoreChange change = store.update(allocation.id(),
                AllocationUpdate.builder().expiresAt(now.plus(ttl)).build(), allocatedBy, now);
        if (change.allocations().isEmpty()) {
            throw new AllocationNotFoundException("cannot renew " + allocation.describe() + ": it was released, or its "
                    + "lease lapsed and the port was reclaimed; reserve a port again");
        }
        events.publish(change);
        return change.allocations().get(0);
    }

    /**
     * Applies the update to the live allocation of project/service on the manager's host and environment.
     *
     * @throws AllocationNotFoundException if there is none
     */
    Allocation update(String project, String service, AllocationUpdate update) {
        Allocation held = live.required("update", project, service);
        Instant now = clock.instant();
        StoreChange change = store.update(held.id(), update, allocatedBy, now);
        if (change.allocations().isEmpty()) {
            throw live.notFound("update", project, service);
        }
        events.publish(change);
        return change.allocations().get(0);
    }

    /** Keeps a health check: every result for stores that keep them all, a changed status on the allocation. */
    void recordHealth(Allocation a, HealthResult result, Instant at) {
        store.recordHealthCheck(a.id(), result, at);
        if (result.status() != a.healthStatus()) {
            events.publish(store.update(a.id(), AllocationUpdate.builder().health(result.status(), at).build(),
                    allocatedBy, at));
        }
    }

    /** Ends the allocation as RELEASED; false if it had ended already. */
    boolean release(Allocation allocation, String reason) {
        StoreChange change = store.release(allocation.id(), HistoryAction.RELEASED, reason, allocatedBy, clock.instant());
        if (change.isEmpty()) {
            LOG.info("[{}] nothing released: {} was already released or reclaimed", name, allocation.describe());
            return false;
        }
        LOG.debug("[{}] released {}", name, allocation.describe());
        events.publish(change);
        return true;
    }

    /** Releases the live allocation of (host, project, service, environment); false if there is none. */
    boolean release(String host, String project, String service, String environment) {
        Optional<Allocation> held = live.ofService(host, project, service, environment);
        if (held.isEmpty()) {
            LOG.info("[{}] nothing released: {}/{} holds no port on {} (environment {})", name, project, service, host,
                    environment);
            return false;
        }
        return release(held.get(), "released");
    }

    /** Releases every live allocation at the port of the host; false if there is none. */
    boolean release(String host, int port) {
        List<Allocation> held = live.at(host, port);
        if (held.isEmpty()) {
            LOG.info("[{}] nothing released: port {} on {} is not allocated", name, port, host);
            return false;
        }
        boolean any = false;
        for (Allocation a : held) {
            any |= release(a, "released by port");
        }
        return any;
    }

    /** Releases the live allocation at the port of the host that covers the protocol; false if there is none. */
    boolean release(String host, int port, Protocol protocol) {
        List<Allocation> held = live.at(host, port);
        for (Allocation a : held) {
            if (a.protocol().covers(protocol)) {
                return release(a, "released by port");
            }
        }
        LOG.info("[{}] nothing released: port {}/{} on {} is not allocated{}", name, port, protocol, host,
                held.isEmpty() ? "" : " (held for " + held.get(0).protocol() + " by " + held.get(0).project() + "/"
                        + held.get(0).service() + ")");
        return false;
    }

    /** Ends every lapsed allocation as EXPIRED, with the judge's reason; returns how many this call ended. */
    int reclaimLapsed() {
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        int reclaimed = 0;
        for (Allocation a : store.list(AllocationQuery.all())) {
            if (!judge.isLive(a, now)) {
                StoreChange change = store.release(a.id(), HistoryAction.EXPIRED, judge.lapseReason(a, now),
                        allocatedBy, now);
                if (!change.isEmpty()) {
                    reclaimed++;
                    events.publish(change);
                }
            }
        }
        if (reclaimed > 0) {
            LOG.info("[{}] reclaimed {} lapsed allocations", name, reclaimed);
        }
        return reclaimed;
    }
}
