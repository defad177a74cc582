package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortClaim;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.SearchOrder;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.testing.ChildProcess;
import dev.portmanager.testing.FreeSpan;
import dev.portmanager.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims on any store: owned by this JVM, optionally held, released on close. */
class PortClaimTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final PortProbe probe = PortProbe.bindOnly();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PortManager manager() {
        PortManager pm = PortManager.builder().store("memory:").build();
        open.add(pm);
        return pm;
    }

    @Test
    void claim_givesThisJvmAPortOutsideTheEphemeralRange_untilClosed() {
        PortManager pm = manager();
        PortClaim claim = pm.claim();
        Allocation a = claim.allocation();
        assertEquals(claim.port(), a.port());
        assertEquals(ProcessOwner.current(), a.owner().orElseThrow());
        assertEquals("claims", a.project());
        assertTrue(a.service().startsWith("jvm-" + ProcessHandle.current().pid() + "-"), a.service());
        assertTrue(a.port() >= 1024);
        assertFalse(pm.policy().ephemeralRange().contains(a.port()));
        assertTrue(a.range().isEmpty());
        PortClaim other = pm.claim();
        assertTrue(claim.port() != other.port());
        claim.close();
        claim.close();
        assertTrue(pm.find(a.port()).isEmpty());
        assertEquals(1, pm.list(AllocationQuery.project("claims")).size());
    }

    @Test
    void claim_fromARange_andSeveralAtOnce_allOrNothing() {
        int first = FreeSpan.find(3);
        PortManager pm = PortManager.builder().store("memory:").range("three", first, first + 2)
                .defaultRange("three").build();
        open.add(pm);
        PortClaim one = pm.claim("three");
        assertTrue(one.port() >= first && one.port() <= first + 2);
        List<PortClaim> two = pm.claim(2);
        assertEquals(2, two.stream().map(PortClaim::port).distinct().count());
        one.close();
        assertThrows(NoFreePortException.class, () -> pm.claim(2));
        assertEquals(2, pm.list(AllocationQuery.all()).size(), "a failed claim of two took neither");
        assertEquals(1, pm.claim(1).size());
        assertEquals("claim count 0 is not positive; claim 1 or more ports",
                assertThrows(IllegalArgumentException.class, () -> pm.claim(0)).getMessage());
    }

    @Test
    void hold_keepsThePortBoundUntilHandOff() throws IOException {
        PortManager pm = manager();
        try (PortClaim claim = pm.claim().hold()) {
            assertTrue(claim.isHeld());
            assertFalse(probe.isFree(claim.port(), Protocol.TCP), "held: nothing else can bind it");
            claim.handOff();
            assertFalse(claim.isHeld());
            try (ServerSocket server = new ServerSocket(claim.port())) {
                assertEquals(claim.port(), server.getLocalPort(), "the code under test binds it after the hand-off");
            }
            assertTrue(pm.find(claim.port()).isPresent(), "handing off keeps the claim");
        }
    }

    @Test
    void hold_ofAPortSomeoneElseBound_failsClearly() throws IOException {
        PortManager pm = manager();
        PortClaim claim = pm.claim();
        try (ServerSocket intruder = new ServerSocket(claim.port(), 50, InetAddress.getByName("0.0.0.0"))) {
            PortConflictException e = assertThrows(PortConflictException.class, claim::hold);
            assertTrue(e.getMessage().startsWith("claimed port " + claim.port() + "/TCP cannot be held: "), e.getMessage());
            assertFalse(claim.isHeld());
        }
        claim.close();
        assertThrows(IllegalStateException.class, claim::hold);
    }

    @Test
    void claim_withARequest_isOwnedByThisJvmUnlessTheRequestNamesAnOwner() throws Exception {
        PortManager pm = manager();
        PortClaim mine = pm.claim(AllocationRequest.builder("tests", "web").searchOrder(SearchOrder.SPREAD).build());
        assertEquals(ProcessOwner.current(), mine.allocation().owner().orElseThrow());
        try (ChildProcess child = ChildProcess.start()) {
            PortClaim theirs = pm.claim(AllocationRequest.builder("tests", "db").owner(child.owner()).build());
            assertEquals(child.owner(), theirs.allocation().owner().orElseThrow());
        }
    }

    @Test
    void claimOfAKilledProcess_canBeClaimedAgain() throws Exception {
        PortManager pm = manager();
        int port;
        try (ChildProcess child = ChildProcess.start()) {
            port = pm.claim(AllocationRequest.builder("tests", "server").owner(child.owner()).build()).port();
            assertThrows(PortConflictException.class,
                    () -> pm.claim(AllocationRequest.builder("tests", "other").port(port).build()));
        }
        assertEquals(port, pm.claim(AllocationRequest.builder("tests", "other").port(port).build()).port());
    }

    @Test
    void reclaimLapsed_clearsExpiredAndOrphanedAllocations() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        PortManager pm = PortManager.builder().store("memory:").clock(clock).build();
        open.add(pm);
        pm.reserve(AllocationRequest.of("p", "a"), Duration.ofMinutes(1));
        pm.reserve(AllocationRequest.of("p", "b"), Duration.ofMinutes(1));
        pm.allocate(AllocationRequest.of("p", "kept"));
        assertEquals(0, pm.reclaimLapsed());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, pm.reclaimLapsed());
        assertEquals(List.of("kept"), pm.list(AllocationQuery.all()).stream().map(Allocation::service)
                .collect(Collectors.toList()));
        assertEquals(2, pm.history(HistoryQuery.builder().action(HistoryAction.EXPIRED).build()).size());
    }
}
