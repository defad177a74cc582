package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationRequest;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.LeaseJudge;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one decision sequence, decided over allocations as a store would read them; a fixed clock for the judge. */
class AllocationDecisionTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ProcessOwner GONE = new ProcessOwner(4242, Instant.EPOCH, "build-7");
    /** Now is NOW; the owner GONE is dead, every other owner alive. */
    private static final LeaseJudge JUDGE = new LeaseJudge() {
        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public boolean isAlive(ProcessOwner owner) {
            return !owner.equals(GONE);
        }
    };
    private static final AllocationDecision.Lookup NONE = id -> Optional.empty();

    private static Allocation held(String id, int port, String service) {
        return Allocation.builder().id(id).port(port).project("p").service(service).allocatedAt(NOW.minusSeconds(60))
                .allocatedBy("me@here").build();
    }

    private static Allocation expired(String id, int port, String service) {
        return held(id, port, service).toBuilder().expiresAt(NOW.minusSeconds(1)).build();
    }

    private static AllocationPlan plan(AllocationPlan.Mode mode, String service, Candidates candidates) {
        return AllocationPlan.builder(mode, AllocationRequest.of("p", service), candidates).host("localhost")
                .environment("default").allocatedBy("me@here").build();
    }

    private static AllocationPlan span(AllocationPlan.Mode mode, String service, int first, int last) {
        return plan(mode, service, Candidates.of(PortRange.of("r", first, last)));
    }

    private static List<Integer> ports(AllocationDecision d) {
        List<Integer> out = new ArrayList<>();
        for (PrimitiveIterator.OfInt it = d.ports(); it.hasNext(); ) {
            out.add(it.nextInt());
        }
        return out;
    }

    @Test
    void decide_getOrAllocateWithALiveAllocation_returnsItAndNothingElse() {
        Allocation live = held("a", 20001, "api");
        AllocationDecision d = AllocationDecision.decide(span(AllocationPlan.Mode.GET_OR_ALLOCATE, "api", 20000, 20009),
                List.of(expired("old", 20005, "api"), live), NONE, JUDGE, NOW);
        assertEquals(live, d.existing().orElseThrow());
        assertEquals(List.of(), d.lapsed());
        assertEquals(0, d.returning());
    }

    @Test
    void decide_allocateWhenTheServiceHoldsAPort_throwsAllocationExists() {
        AllocationExistsException e = assertThrows(AllocationExistsException.class, () -> AllocationDecision.decide(
                span(AllocationPlan.Mode.ALLOCATE, "api", 20000, 20009), List.of(held("a", 20001, "api")), NONE, JUDGE,
                NOW));
        assertEquals("p/api already holds 20001/TCP on localhost (environment default); use getOrAllocate to reuse "
                + "it, reassign to move it, or release it first", e.getMessage());
    }

    @Test
    void decide_getOrAllocateWithALapsedAllocation_reclaimsItAndTriesItsPortFirst() {
        Allocation lapsed = expired("old", 20005, "api");
        AllocationDecision d = AllocationDecision.decide(span(AllocationPlan.Mode.GET_OR_ALLOCATE, "api", 20000, 20009),
                List.of(lapsed), NONE, JUDGE, NOW);
        assertTrue(d.existing().isEmpty());
        assertEquals(List.of(lapsed), d.lapsed());
        assertEquals(20005, d.returning());
        assertEquals(List.of(20005, 20000, 20001, 20002, 20003, 20004, 20006, 20007, 20008, 20009), ports(d));
        HistoryEntry entry = d.expired(lapsed);
        assertEquals(HistoryAction.EXPIRED, entry.action());
        assertEquals("lease expired at " + NOW.minusSeconds(1), entry.reason());
        assertEquals(NOW, entry.at());
    }

    @Test
    void decide_lapsedPortOutsideTheCandidates_isReclaimedButNotTriedFirst() {
        Allocation lapsed = expired("old", 21000, "api");
        AllocationDecision d = AllocationDecision.decide(span(AllocationPlan.Mode.GET_OR_ALLOCATE, "api", 20000, 20002),
                List.of(lapsed), NONE, JUDGE, NOW);
        assertEquals(List.of(lapsed), d.lapsed());
        assertEquals(0, d.returning());
        assertEquals(List.of(20000, 20001, 20002), ports(d));
    }

    @Test
    void decide_replace_endsTheNamedAllocationAndNeverTakesItsPort() {
        Allocation live = held("a", 20001, "api");
        AllocationPlan plan = AllocationPlan.builder(AllocationPlan.Mode.REPLACE, AllocationRequest.of("p", "api"),
                        Candidates.of(PortRange.of("r", 20000, 20003))).host("localhost").environment("default")
                .allocatedBy("me@here").reason("reassigned from port 20001").replaces("a", HistoryAction.REASSIGNED)
                .build();
        AllocationDecision d = AllocationDecision.decide(plan, List.of(live), id -> Optional.of(live), JUDGE, NOW);
        assertEquals(live, d.replaced().orElseThrow());
        assertEquals(20001, d.leaving());
        assertEquals(List.of(20000, 20002, 20003), ports(d));
        Allocation moved = plan.toAllocation("b", 20000, NOW);
        List<HistoryEntry> history = d.historyFor(moved);
        assertEquals(List.of(HistoryAction.REASSIGNED, HistoryAction.ALLOCATED),
                history.stream().map(HistoryEntry::action).collect(Collectors.toList()));
        assertEquals(20001, history.get(0).port());
        assertEquals("reassigned from port 20001; moved to port 20000", history.get(0).reason());
        assertEquals(20000, history.get(1).port());
    }

    @Test
    void decide_replaceOfAnEndedAllocation_throwsAllocationNotFound() {
        AllocationPlan plan = AllocationPlan.builder(AllocationPlan.Mode.REPLACE, AllocationRequest.of("p", "api"),
                        Candidates.of(PortRange.of("r", 20000, 20003))).host("localhost").environment("default")
                .allocatedBy("me@here").replaces("gone", HistoryAction.REASSIGNED).build();
        AllocationNotFoundException e = assertThrows(AllocationNotFoundException.class,
                () -> AllocationDecision.decide(plan, List.of(), NONE, JUDGE, NOW));
        assertEquals("p/api on localhost (environment default) no longer holds the allocation gone: it was released or "
                + "reclaimed meanwhile; ask for a port again", e.getMessage());
    }

    @Test
    void mayTake_whenALiveAllocationCollides_isFalse_andLapsedOccupantsAreReclaimed() {
        AllocationDecision d = AllocationDecision.decide(span(AllocationPlan.Mode.ALLOCATE, "api", 20000, 20009),
                List.of(), NONE, JUDGE, NOW);
        List<Allocation> reclaim = new ArrayList<>();
        assertFalse(d.mayTake(List.of(held("x", 20000, "web")), reclaim));
        Allocation udp = held("u", 20000, "dns").toBuilder().protocol(Protocol.UDP).build();
        Allocation dead = held("d", 20000, "web").toBuilder().owner(GONE).build();
        assertTrue(d.mayTake(List.of(udp, dead), reclaim));
        assertEquals(List.of(dead), reclaim);
        assertEquals("owner pid 4242 on build-7 is gone", d.expired(dead).reason());
    }

    @Test
    void mayTake_exactPortHeldLive_throwsPortConflictNamingTheHolder() {
        AllocationDecision d = AllocationDecision.decide(plan(AllocationPlan.Mode.ALLOCATE, "api",
                Candidates.exactly(20000, null)), List.of(), NONE, JUDGE, NOW);
        PortConflictException e = assertThrows(PortConflictException.class,
                () -> d.mayTake(List.of(held("x", 20000, "web")), new ArrayList<>()));
        assertEquals("port 20000/TCP on localhost asked for by p/api is allocated to p/web (TCP, since "
                + NOW.minusSeconds(60) + "); ask for another port or release it first", e.getMessage());
        assertEquals("x", e.holder().orElseThrow().id());
    }

    @Test
    void checkPlans_withNoPlans_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationDecision.checkPlans(List.of()));
        assertEquals("no plans to allocate; pass at least one", e.getMessage());
    }
}
