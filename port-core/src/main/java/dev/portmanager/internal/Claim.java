package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryAction;
import dev.portmanager.spi.AllocationPlan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One request in one round of {@link ClaimEngine}: what to claim, and what earlier rounds learnt (the ports found
 * busy, who held them, the allocation a move has to replace). A round that finds a claimed port busy makes the next
 * round's claim with {@link #afterConflict}; nothing is changed in place. Immutable and thread-safe.
 */
final class Claim {
    private final AllocationRequest request;
    private final String host;
    private final String environment;
    private final AllocationPlan.Mode mode;
    private final AllocationStatus status;
    private final Instant expiresAt;
    private final String reason;
    private final Allocation replaces;
    private final HistoryAction replaceAction;
    private final int leaving;
    private final BitSet foundBusy;
    private final List<String> busyOwners;

    private Claim(AllocationRequest request, String host, String environment, AllocationPlan.Mode mode,
                  AllocationStatus status, Instant expiresAt, String reason, Allocation replaces,
                  HistoryAction replaceAction, int leaving, BitSet foundBusy, List<String> busyOwners) {
        this.request = request;
        this.host = host;
        this.environment = environment;
        this.mode = mode;
        this.status = status;
        this.expiresAt = expiresAt;
        this.reason = reason;
        this.replaces = replaces;
        this.replaceAction = replaceAction;
        this.leaving = leaving;
        this.foundBusy = foundBusy;
        this.busyOwners = List.copyOf(busyOwners);
    }

    /** A first-round claim of a new port; {@code expiresAt} null for no lease. */
    static Claim of(AllocationRequest request, String host, String environment, AllocationPlan.Mode mode,
                    AllocationStatus status, Instant expiresAt) {
        return new Claim(request, host, environment, mode, status, expiresAt, "", null, HistoryAction.REASSIGNED, 0,
                new BitSet(), List.of());
    }

    /** A first-round move of {@code live} to a port of the request; a search never lands on the port it leaves. */
    static Claim move(AllocationRequest request, Allocation live) {
        return new Claim(request, live.host(), live.environment(), AllocationPlan.Mode.REPLACE, live.status(),
                live.expiresAt().orElse(null), "reassigned from port " + live.port(), live, HistoryAction.REASSIGNED,
                request.exact() ? 0 : live.port(), new BitSet(), List.of());
    }

    /**
     * The next round's claim after the port this one landed on was found busy: that port avoided, its holder named,
     * and a move replacing the allocation it landed on (recorded as CONFLICT_DETECTED) instead of the one it left.
     *
     * @param holder the process holding the port, "" when unseen
     */
    Claim afterConflict(Allocation landed, String holder) {
        BitSet busy = (BitSet) foundBusy.clone();
        busy.set(landed.port());
        List<String> owners = new ArrayList<>(busyOwners);
        if (!holder.isEmpty() && !owners.contains(holder)) {
            owners.add(holder);
        }
        boolean moving = mode == AllocationPlan.Mode.REPLACE;
        return new Claim(request, host, environment, mode, status, expiresAt, reason, moving ? landed : replaces,
                moving ? HistoryAction.CONFLICT_DETECTED : replaceAction, leaving, busy, owners);
    }

    AllocationRequest request() {
        return request;
    }

    String host() {
        return host;
    }

    AllocationPlan.Mode mode() {
        return mode;
    }

    /** Whether this claim moves a service to the one port it asked for. */
    boolean isExactMove() {
        return mode == AllocationPlan.Mode.REPLACE && request.exact();
    }

    /** The allocation a move replaces this round; null for a claim that moves nothing. */
    Allocation replaces() {
        return replaces;
    }

    /** How many ports earlier rounds found busy. */
    int foundBusyCount() {
        return foundBusy.cardinality();
    }

    /** The holders of the ports found busy, in the order found; none when unseen. */
    List<String> busyOwners() {
        return busyOwners;
    }

    /** How many of the ports found busy the candidates do not exclude already. */
    int busyNotExcluded(Candidates candidates) {
        BitSet found = (BitSet) foundBusy.clone();
        found.andNot(candidates.excludedSet());
        return found.cardinality();
    }

    /** The candidates without the ports found busy and the port a move leaves. */
    Candidates avoiding(Candidates candidates) {
        BitSet avoid = (BitSet) foundBusy.clone();
        if (leaving != 0) {
            avoid.set(leaving);
        }
        return candidates.exclude(avoid);
    }

    /** The plan of this round over these candidates. */
    AllocationPlan.Builder plan(Candidates candidates, String allocatedBy) {
        AllocationPlan.Builder b = AllocationPlan.builder(mode, request, candidates).host(host)
                .environment(environment).status(status).allocatedBy(allocatedBy).expiresAt(expiresAt).reason(reason);
        if (replaces != null) {
            b.replaces(replaces.id(), replaceAction);
        }
        return b;
    }

    /** A request for the service of {@code a} as it is, without its range or port. */
    static AllocationRequest.Builder requestFor(Allocation a) {
        AllocationRequest.Builder b = AllocationRequest.builder(a.project(), a.service())
                .environment(a.environment()).host(a.host()).protocol(a.protocol())
                .description(a.description()).metadata(a.metadata());
        a.healthEndpoint().ifPresent(b::healthEndpoint);
        a.owner().ifPresent(b::owner);
        return b;
    }

    /** A request for the service of {@code a} in its range, without its port. */
    static AllocationRequest.Builder requestLike(Allocation a) {
        AllocationRequest.Builder b = requestFor(a);
        a.range().ifPresent(b::range);
        return b;
    }
}
