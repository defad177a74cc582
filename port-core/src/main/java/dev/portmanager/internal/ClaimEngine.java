package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryAction;
import dev.portmanager.ListeningSocket;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.RangePolicy;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claim: each round plans every request (the policy's candidates less the ports the probe sees in use), lets the
 * store's {@link dev.portmanager.spi.Allocator} take ports for all of them in one atomic step, and checks each new
 * port with the probe. When some turn out held by a process the registry does not know, the round gives back what it
 * made (all or nothing) and the next round, a new list of {@link Claim} values that avoid those ports, tries again, at
 * most {@link #MAX_ROUNDS} times. A port asked for by number that is found busy ends the claim with
 * {@link PortConflictException}; a service moved to such a port is first moved back ({@link #moveBack}).
 *
 * <p>Thread-safe: holds nothing between calls; every decision is the store's.
 */
final class ClaimEngine {
    /** How many claim rounds a request gets when claimed ports keep turning out busy. */
    static final int MAX_ROUNDS = 32;
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);
    private static final String UNKNOWN = "a process the registry does not know";

    private final String name;
    private final PortStore store;
    private final RangePolicy policy;
    private final PortProbe probe;
    private final Ranges ranges;
    private final SystemLeaseJudge judges;
    private final Events events;
    private final Clock clock;
    private final String allocatedBy;

    ClaimEngine(String name, PortStore store, RangePolicy policy, PortProbe probe, Ranges ranges,
                SystemLeaseJudge judges, Events events, Clock clock, String allocatedBy) {
        this.name = name;
        this.store = store;
        this.policy = policy;
        this.probe = probe;
        this.ranges = ranges;
        this.judges = judges;
        this.events = events;
        this.clock = clock;
        this.allocatedBy = allocatedBy;
    }

    /** A claimed port the probe found busy: the claim's index in its round, what the store made, who holds it. */
    private record Busy(int index, Allocation landed, String holder) {
        /** Why the port is given back, for history and messages. */
        String reason() {
            return "port found in use by " + (holder.isEmpty() ? UNKNOWN : holder);
        }
    }

    /**
     * Claims a port for every claim, all or nothing.
     *
     * @return one allocation per claim, in order
     * @throws NoFreePortException   if a claim's candidates hold no free port, or the rounds ran out
     * @throws PortConflictException if a port asked for by number is held
     */
    List<Allocation> claim(List<Claim> first) {
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            return rounds(first);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            events.timed(operation(first), Duration.ofNanos(System.nanoTime() - start), failure);
        }
    }

    /** The operation a claim serves, as {@link dev.portmanager.PortEventListener#onAllocationTimed} names it. */
    private static String operation(List<Claim> claims) {
        if (claims.size() > 1) {
            return "allocate_all";
        }
        Claim c = claims.get(0);
        switch (c.mode()) {
            case GET_OR_ALLOCATE:
                return "get_or_allocate";
            case REPLACE:
                return "reassign";
            default:
                return c.reserves() ? "reserve" : "allocate";
        }
    }

    private List<Allocation> rounds(List<Claim> first) {
        List<Claim> round = List.copyOf(first);
        for (int attempt = 1; attempt <= MAX_ROUNDS; attempt++) {
            StoreChange change = store.allocator().allocate(plans(round), judges.forOperation());
            events.publish(change);
            List<Busy> busy = verify(round, change);
            if (busy.isEmpty()) {
                for (Allocation a : change.created()) {
                    LOG.debug("[{}] {} {}", name, a.status() == AllocationStatus.RESERVED ? "reserved" : "allocated",
                            a.describe());
                }
                return change.allocations();
            }
            for (Busy b : busy) {
                LOG.info("[{}] {}: {}", name, b.landed().describe(), b.reason());
                if (round.get(b.index()).isExactMove()) {
                    throw moveBack(round.get(b.index()), b);
                }
            }
            round = giveBack(round, change, busy);
        }
        throw gaveUp(round);
    }

    /** This round's plans; the probe is asked once per span the round's requests search. */
    private List<AllocationPlan> plans(List<Claim> round) {
        Map<String, List<ListeningSocket>> seen = new HashMap<>();
        List<AllocationPlan> plans = new ArrayList<>(round.size());
        for (Claim c : round) {
            plans.add(plan(c, seen));
        }
        return plans;
    }

    private AllocationPlan plan(Claim c, Map<String, List<ListeningSocket>> seen) {
        PortRange range = ranges.forRequest(c.request());
        Candidates candidates = policy.candidates(c.request(), range);
        Protocol protocol = c.request().protocol();
        Set<String> owners = new LinkedHashSet<>(c.busyOwners());
        int busy = 0;
        if (LocalMachine.isLocalHost(c.host()) && !c.request().alreadyListening()) {
            Candidates span = candidates;
            BitSet inUse = new BitSet();
            // get and put, not computeIfAbsent with a lambda: on the path of a first allocation (start-up, issue 20).
            String spanKey = span.first() + "-" + span.last() + "/" + protocol;
            List<ListeningSocket> listening = seen.get(spanKey);
            if (listening == null) {
                listening = probe.listening(span.first(), span.last(), protocol);
                seen.put(spanKey, listening);
            }
            for (ListeningSocket s : listening) {
                if (candidates.exact()) {
                    throw portInUse(s.port(), protocol, c.host(), c.request().project() + "/" + c.request().service(),
                            "in use by " + s.process().map(Object::toString).orElse(UNKNOWN),
                            "stop it or ask for another port");
                }
                if (candidates.allows(s.port())) {
                    inUse.set(s.port());
                    s.process().ifPresent(p -> owners.add("pid " + p.pid()));
                }
            }
            busy = inUse.cardinality();
            candidates = candidates.exclude(inUse);
        }
        busy += c.busyNotExcluded(candidates);
        return c.plan(c.avoiding(candidates), allocatedBy).busy(busy, String.join(", ", owners)).build();
    }

    /** The claims whose new port the probe finds busy; their holders are looked up only then. */
    private List<Busy> verify(List<Claim> round, StoreChange change) {
        List<Busy> busy = new ArrayList<>(0);
        for (int i = 0; i < round.size(); i++) {
            Allocation a = change.allocations().get(i);
            if (change.wasCreated(a) && !round.get(i).request().alreadyListening()
                    && LocalMachine.isLocalHost(a.host()) && !probe.isFree(a.port(), a.protocol())) {
                busy.add(new Busy(i, a, holderOf(a.port(), a.protocol())));
            }
        }
        return busy;
    }

    /**
     * Gives back what a round made after some claimed ports turned out busy, and returns the next round: a busy
     * port is released as CONFLICT_DETECTED and avoided from then on, the rest of a bulk round is released with it (all
     * or nothing), a moved service moves on from the busy port in the next round.
     *
     * @throws PortConflictException if a busy port was asked for by number
     */
    private List<Claim> giveBack(List<Claim> round, StoreChange change, List<Busy> busy) {
        Instant now = clock.instant();
        List<Claim> next = new ArrayList<>(round);
        Set<Integer> given = new LinkedHashSet<>();
        PortConflictException exact = null;
        for (Busy b : busy) {
            Claim c = round.get(b.index());
            next.set(b.index(), c.afterConflict(b.landed(), b.holder()));
            given.add(b.index());
            if (c.mode() == AllocationPlan.Mode.REPLACE) {
                continue;
            }
            events.publish(store.release(b.landed().id(), HistoryAction.CONFLICT_DETECTED, b.reason(), allocatedBy,
                    now));
            if (c.request().exact() && exact == null) {
                exact = portInUse(b.landed(), b.reason(), "stop it or ask for another port");
            }
        }
        String why = "port " + busy.get(0).landed().port() + " was found in use";
        for (int i = 0; i < round.size(); i++) {
            Allocation a = change.allocations().get(i);
            if (!given.contains(i) && change.wasCreated(a)) {
                events.publish(store.release(a.id(), HistoryAction.RELEASED, "undone with the rest of a bulk "
                        + "allocation: " + why, allocatedBy, now));
            }
        }
        if (exact != null) {
            throw exact;
        }
        return List.copyOf(next);
    }

    /**
     * The step after a service moved to the port it asked for and found it busy: the store ends the allocation on
     * the busy port (CONFLICT_DETECTED) and gives the service back the port it left, as one more move. The port is
     * not planned or probed again: it is the service's own, held a moment ago. If the store refuses, the service
     * stays on the busy port and a warning says so.
     *
     * @return the exception for the caller
     */
    private PortConflictException moveBack(Claim c, Busy b) {
        Allocation original = c.replaces();
        Allocation landed = b.landed();
        AllocationPlan back = AllocationPlan.builder(AllocationPlan.Mode.REPLACE,
                        Claim.requestLike(original).port(original.port()).build(),
                        Candidates.exactly(original.port(), original.range().orElse(null)))
                .host(original.host()).environment(original.environment()).status(original.status())
                .allocatedBy(allocatedBy).expiresAt(original.expiresAt().orElse(null))
                .reason("moved back: " + b.reason()).replaces(landed.id(), HistoryAction.CONFLICT_DETECTED).build();
        try {
            events.publish(store.allocator().allocate(List.of(back), judges.forOperation()));
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not move {} back to port {} after its new port was {}: {}", name,
                    landed.describe(), original.port(), b.reason(), e.getMessage());
        }
        return portInUse(landed, b.reason(), "the service stays on port " + original.port()
                + "; stop that process or ask for another port");
    }

    private NoFreePortException gaveUp(List<Claim> round) {
        Claim worst = round.get(0);
        for (Claim c : round) {
            if (c.foundBusyCount() > worst.foundBusyCount()) {
                worst = c;
            }
        }
        String owners = worst.busyOwners().isEmpty() ? "" : " (" + String.join(", ", worst.busyOwners()) + ")";
        return new NoFreePortException("gave up on " + worst.request().project() + "/" + worst.request().service()
                + " after " + MAX_ROUNDS + " claims: " + worst.foundBusyCount() + " claimed ports were found "
                + "in use by processes the registry does not know" + owners
                + "; stop them, exclude their ports, or use a probe that sees the socket table (port-probe)");
    }

    /** The holder of a port the probe found busy, as the probe names it; "" when it cannot see one. */
    private String holderOf(int port, Protocol protocol) {
        for (ListeningSocket s : probe.listening(port, port, protocol)) {
            if (s.process().isPresent()) {
                return s.process().get().toString();
            }
        }
        return "";
    }

    private static PortConflictException portInUse(Allocation a, String what, String advice) {
        return portInUse(a.port(), a.protocol(), a.host(), a.project() + "/" + a.service(), what, advice);
    }

    /** The one message for a port asked for by number and found in use by a process outside the registry. */
    private static PortConflictException portInUse(int port, Protocol protocol, String host, String service,
                                                   String what, String advice) {
        return new PortConflictException(port, null, "port " + port + "/" + protocol + " on " + host + " asked for by "
                + service + " is " + what + "; " + advice);
    }
}
