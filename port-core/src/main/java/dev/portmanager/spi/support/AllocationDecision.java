package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.PortConflictException;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.LeaseJudge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;

/**
 * The decision sequence of {@link dev.portmanager.spi.Allocator#allocate} for one plan, written once for every
 * allocator: the in-memory {@link Registry} and the JDBC store call it with the allocations they read inside their
 * lock or transaction, and carry out what it decides in their own medium.
 *
 * <ol>
 *   <li>{@link #decide}: in {@code GET_OR_ALLOCATE} mode a live allocation of the service is returned as it is
 *       ({@link #existing()}, and nothing else applies); in {@code REPLACE} mode the allocation the plan names is
 *       ended ({@link #replaced()}); any other live allocation of the service fails the plan with
 *       {@link AllocationExistsException}; the service's lapsed allocations are reclaimed ({@link #lapsed()}), and
 *       the port of the first is tried first ({@link #returning()}) so a restarted service gets its port back;</li>
 *   <li>{@link #ports()}: the order in which to try ports; {@link #mayTake}: whether the allocations at a port leave
 *       it free, a live one failing an exact plan with {@link PortConflictException};</li>
 *   <li>{@link #expired} and {@link #historyFor}: the history entries the change commits.</li>
 * </ol>
 * Every exception is built by {@link AllocationPlan}, so every store answers with the same words. The decision changes
 * nothing itself: the caller applies the changes of every plan of a call, or of none (all or nothing).
 *
 * <p>Immutable; thread-safe as far as its {@link LeaseJudge} is.
 */
public final class AllocationDecision {
    private final AllocationPlan plan;
    private final LeaseJudge judge;
    private final Instant now;
    private final Allocation existing;
    private final Allocation replaced;
    private final List<Allocation> lapsed;
    private final int returning;

    /** Reads an allocation by id, inside the caller's lock or transaction. */
    @FunctionalInterface
    public interface Lookup {
        /**
         * The allocation with this id if it has not ended, lapsed or not.
         *
         * @throws RuntimeException whatever the store's read throws; the decision passes it on
         */
        Optional<Allocation> unended(String id);
    }

    private AllocationDecision(AllocationPlan plan, LeaseJudge judge, Instant now, Allocation existing,
                               Allocation replaced, List<Allocation> lapsed, int returning) {
        this.plan = plan;
        this.judge = judge;
        this.now = now;
        this.existing = existing;
        this.replaced = replaced;
        this.lapsed = List.copyOf(lapsed);
        this.returning = returning;
    }

    /**
     * Checks the plans of one {@link dev.portmanager.spi.Allocator#allocate} call.
     *
     * @throws IllegalArgumentException if there are none
     * @throws NullPointerException     if the list is null
     */
    public static void checkPlans(List<AllocationPlan> plans) {
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("no plans to allocate; pass at least one");
        }
    }

    /**
     * Decides what the plan does about its service's allocations.
     *
     * @param plan    the plan
     * @param service the unended allocations of the plan's (host, project, service, environment), lapsed ones
     *                included, as the caller sees them now (the changes of earlier plans of the same call included)
     * @param lookup  reads the allocation a {@code REPLACE} plan names; not called in other modes
     * @param judge   decides which allocations are live
     * @param now     the instant of the decision and of the history it writes
     * @return the decision; changes nothing
     * @throws AllocationExistsException   if an {@code ALLOCATE} or {@code REPLACE} plan's service holds another live
     *                                     allocation
     * @throws AllocationNotFoundException if a {@code REPLACE} plan's allocation has ended
     * @throws NullPointerException        if an argument is null
     */
    public static AllocationDecision decide(AllocationPlan plan, Collection<Allocation> service, Lookup lookup,
                                            LeaseJudge judge, Instant now) {
        Objects.requireNonNull(plan, "plan == null");
        Objects.requireNonNull(lookup, "lookup == null");
        Objects.requireNonNull(judge, "judge == null");
        Objects.requireNonNull(now, "now == null");
        Allocation live = null;
        List<Allocation> lapsed = new ArrayList<>();
        for (Allocation a : service) {
            if (judge.isLive(a, now)) {
                live = a;
            } else {
                lapsed.add(a);
            }
        }
        if (plan.mode() == AllocationPlan.Mode.GET_OR_ALLOCATE && live != null) {
            return new AllocationDecision(plan, judge, now, live, null, List.of(), 0);
        }
        Allocation replaced = null;
        if (plan.mode() == AllocationPlan.Mode.REPLACE) {
            replaced = lookup.unended(plan.replaces()).orElseThrow(plan::replacedGone);
            String replacedId = replaced.id();
            lapsed.removeIf(a -> a.id().equals(replacedId));
            if (live != null && live.id().equals(replacedId)) {
                live = null;
            }
        }
        if (live != null) {
            throw plan.exists(live);
        }
        Candidates c = plan.candidates();
        int returning = plan.mode() == AllocationPlan.Mode.GET_OR_ALLOCATE && !lapsed.isEmpty()
                ? lapsed.get(0).port() : 0;
        if (returning != 0 && (c.exact() || !c.allows(returning))) {
            returning = 0;
        }
        return new AllocationDecision(plan, judge, now, null, replaced, lapsed, returning);
    }

    /** The plan decided. */
    public AllocationPlan plan() {
        return plan;
    }

    /** The live allocation a {@code GET_OR_ALLOCATE} plan returns as it is; when present, nothing else applies. */
    public Optional<Allocation> existing() {
        return Optional.ofNullable(existing);
    }

    /** The allocation a {@code REPLACE} plan ends; empty in other modes. */
    public Optional<Allocation> replaced() {
        return Optional.ofNullable(replaced);
    }

    /** The service's lapsed allocations, to reclaim (end and record as EXPIRED) with the change; never the replaced. */
    public List<Allocation> lapsed() {
        return lapsed;
    }

    /**
     * The port to try first: that of the service's first lapsed allocation, when the plan's candidates allow it and
     * the plan is not exact; 0 for none.
     */
    public int returning() {
        return returning;
    }

    /** The port the service moves away from, never to be taken by the move: the replaced allocation's; 0 for none. */
    public int leaving() {
        return replaced == null ? 0 : replaced.port();
    }

    /**
     * The ports to try, in order: {@link #returning()} first, then the plan's candidates in their order without it
     * and without {@link #leaving()}. Each call starts a new iteration.
     */
    public PrimitiveIterator.OfInt ports() {
        PrimitiveIterator.OfInt candidates = plan.candidates().iterator();
        return new PrimitiveIterator.OfInt() {
            private boolean returned = returning == 0;
            private int next = advance();

            private int advance() {
                if (!returned) {
                    returned = true;
                    return returning;
                }
                while (candidates.hasNext()) {
                    int port = candidates.nextInt();
                    if (port != returning && port != leaving()) {
                        return port;
                    }
                }
                return 0;
            }

            @Override
            public boolean hasNext() {
                return next != 0;
            }

            @Override
            public int nextInt() {
                if (next == 0) {
                    throw new NoSuchElementException();
                }
                int port = next;
                next = advance();
                return port;
            }
        };
    }

    /**
     * Whether the plan may take a port, given the unended allocations at that port on the plan's host: no live one
     * holds it for a colliding protocol (the replaced allocation aside). When it may, the lapsed ones that collide are
     * added to {@code reclaim}, to end with the change.
     *
     * @param occupants the unended allocations at the port on the plan's host, of any protocol
     * @param reclaim   receives the lapsed occupants when the port may be taken; untouched otherwise
     * @throws PortConflictException if the plan is exact and a live allocation holds the port
     */
    public boolean mayTake(Collection<Allocation> occupants, List<Allocation> reclaim) {
        List<Allocation> lapsedHere = new ArrayList<>(1);
        for (Allocation occupant : occupants) {
            if (!occupant.protocol().collidesWith(plan.protocol())
                    || (replaced != null && occupant.id().equals(replaced.id()))) {
                continue;
            }
            if (judge.isLive(occupant, now)) {
                if (plan.candidates().exact()) {
                    throw plan.portTaken(occupant);
                }
                return false;
            }
            lapsedHere.add(occupant);
        }
        reclaim.addAll(lapsedHere);
        return true;
    }

    /** The EXPIRED entry for a lapsed allocation the change reclaims, with the judge's reason. */
    public HistoryEntry expired(Allocation lapsedAllocation) {
        return HistoryEntry.of(now, HistoryAction.EXPIRED, lapsedAllocation, plan.allocatedBy(),
                judge.lapseReason(lapsedAllocation, now));
    }

    /**
     * The entries for the allocation the plan made, after those of {@link #expired}: the replaced allocation's (its
     * {@link AllocationPlan#replaceAction()}, "moved to port N"), then the new one's ({@link AllocationPlan#historyFor}).
     */
    public List<HistoryEntry> historyFor(Allocation created) {
        HistoryEntry made = plan.historyFor(created);
        if (replaced == null) {
            return List.of(made);
        }
        String reason = (plan.reason().isEmpty() ? "" : plan.reason() + "; ") + "moved to port " + created.port();
        return List.of(HistoryEntry.of(now, plan.replaceAction(), replaced, plan.allocatedBy(), reason), made);
    }

    @Override
    public String toString() {
        return "AllocationDecision{" + plan + (existing != null ? ", existing " + existing.port() : "")
                + (replaced != null ? ", replacing " + replaced.port() : "") + ", " + lapsed.size() + " lapsed"
                + (returning != 0 ? ", returning to " + returning : "") + "}";
    }
}
