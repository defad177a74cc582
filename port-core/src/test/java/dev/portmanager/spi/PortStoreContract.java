package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.RangeConflictException;
import dev.portmanager.RangeSummary;
import dev.portmanager.testing.ChildProcess;
import dev.portmanager.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything a {@link PortStore} owes, run through a real {@link PortManager} over the store under test. Each store
 * module's test class extends this and implements {@link #openStore()}; it adds only what is its own.
 *
 * <p>The probe here reports every port free: the contract tests the store's decisions, and a port some other program
 * on the test machine happens to hold must not change them. The manager's probe handling is tested on its own, with
 * real sockets. The clock is the one stand-in: leases are tested by moving it.
 */
public abstract class PortStoreContract {
    /** A probe that reports every port free. */
    protected static final PortProbe ALL_FREE = (port, protocol) -> true;
    /** When every contract test starts. */
    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    protected final MutableClock clock = new MutableClock(START);
    private final List<PortManager> managers = new ArrayList<>();
    private final List<PortStore> stores = new ArrayList<>();
    protected PortStore store;

    /** A new, empty store. Called once per test. */
    protected abstract PortStore openStore() throws Exception;

    /**
     * Another handle on the registry of {@code store}, as another process would open it (the same file, the same
     * database). Stores that cannot be opened twice return {@code store} itself.
     */
    protected PortStore reopen(PortStore store) throws Exception {
        return store;
    }

    @BeforeEach
    void openContractStore() throws Exception {
        store = openStore();
        stores.add(store);
    }

    @AfterEach
    void closeContractStore() {
        managers.forEach(PortManager::close);
        stores.forEach(PortStore::close);
    }

    /** A manager over the store with the contract's ranges, clock and probe. */
    protected PortManager manager() {
        return manager(b -> { });
    }

    /** A manager over the store, further configured. */
    protected PortManager manager(Consumer<PortManagerBuilder> config) {
        return managerOn(store, config);
    }

    /** A manager over another handle on the same registry. */
    protected PortManager managerOnReopened(Consumer<PortManagerBuilder> config) throws Exception {
        PortStore again = reopen(store);
        if (again != store) {
            stores.add(again);
        }
        return managerOn(again, config);
    }

    private PortManager managerOn(PortStore target, Consumer<PortManagerBuilder> config) {
        PortManagerBuilder b = PortManager.builder().store(target).clock(clock).probe(ALL_FREE)
                .allocatedBy("tester@contract")
                .range("tiny", 20000, 20002, "three ports")
                .range("small", 20010, 20019)
                .range("wide", 21000, 25999);
        config.accept(b);
        PortManager pm = b.build();
        managers.add(pm);
        return pm;
    }

    private static AllocationRequest in(String range, String project, String service) {
        return AllocationRequest.builder(project, service).range(range).build();
    }

    private List<HistoryEntry> history(PortManager pm) {
        return pm.history(HistoryQuery.all());
    }

    // ---- getOrAllocate: idempotent, lowest first ----

    @Test
    void getOrAllocate_calledTwice_returnsTheSamePortAndRecordsOneAllocation() {
        PortManager pm = manager();
        Allocation first = pm.getOrAllocate(in("small", "consilio", "api"));
        Allocation again = pm.getOrAllocate(in("small", "consilio", "api"));
        assertEquals(20010, first.port());
        assertEquals(first, again);
        List<HistoryEntry> history = history(pm);
        assertEquals(1, history.size());
        assertEquals(HistoryAction.ALLOCATED, history.get(0).action());
        assertEquals("tester@contract", history.get(0).by());
    }

    @Test
    void getOrAllocate_fromASecondManagerOnTheSameRegistry_returnsTheSamePort() throws Exception {
        int port = manager().getOrAllocate(in("small", "consilio", "api")).port();
        PortManager other = managerOnReopened(b -> { });
        assertEquals(port, other.getOrAllocate(in("small", "consilio", "api")).port());
        assertEquals(1, other.list(AllocationQuery.all()).size());
    }

    @Test
    void getOrAllocate_byProjectAndService_takesTheRangeNamedLikeTheService() {
        PortManager pm = manager();
        assertEquals(20010, pm.getOrAllocate("consilio", "small"));
        assertEquals(20010, pm.getOrAllocate("consilio", "small"));
        assertEquals(20011, pm.getOrAllocate("odin", "small"));
    }

    @Test
    void allocate_recordsEveryValueOfTheRequest() {
        PortManager pm = manager(b -> b.environment("dev"));
        Allocation a = pm.allocate(AllocationRequest.builder("consilio", "api").range("small").protocol(Protocol.UDP)
                .description("Main API server").metadata("cloudflare_hostname", "api.consilio.153.se")
                .healthEndpoint("http://localhost:20010/health").build());
        assertEquals(20010, a.port());
        assertEquals(Protocol.UDP, a.protocol());
        assertEquals("localhost", a.host());
        assertEquals("dev", a.environment());
        assertEquals("small", a.range().orElseThrow());
        assertEquals(AllocationStatus.ACTIVE, a.status());
        assertEquals("Main API server", a.description());
        assertEquals(Map.of("cloudflare_hostname", "api.consilio.153.se"), a.metadata());
        assertEquals(URI.create("http://localhost:20010/health"), a.healthEndpoint().orElseThrow());
        assertEquals(START, a.allocatedAt());
        assertEquals("tester@contract", a.allocatedBy());
        assertEquals(a, pm.find(20010).orElseThrow());
        assertEquals(a, pm.find("consilio", "api").orElseThrow());
    }

    @Test
    void allocate_whenTheServiceHoldsAPort_throwsAllocationExistsAndStoresNothing() {
        PortManager pm = manager();
        pm.allocate(in("small", "consilio", "api"));
        AllocationExistsException e = assertThrows(AllocationExistsException.class,
                () -> pm.allocate(in("small", "consilio", "api")));
        assertEquals("consilio/api already holds 20010/TCP on localhost (environment default); use getOrAllocate to "
                + "reuse it, reassign to move it, or release it first", e.getMessage());
        assertEquals(1, pm.list(AllocationQuery.all()).size());
        assertEquals(1, history(pm).size());
    }

    // ---- invariant 1: (host, port) unique per protocol among live allocations, BOTH collides with either ----

    @Test
    void invariant1_tcpAndUdpMayShareAPort_butBothCollidesWithEither() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "tcp").port(20011).build());
        pm.allocate(AllocationRequest.builder("p", "udp").port(20011).protocol(Protocol.UDP).build());
        PortConflictException e = assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "both").port(20011).protocol(Protocol.BOTH).build()));
        assertEquals(20011, e.port());
        assertEquals("p", e.holder().orElseThrow().project());
        assertTrue(e.getMessage().startsWith("port 20011/BOTH on localhost asked for by p/both is allocated to p/"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; ask for another port or release it first"), e.getMessage());

        pm.allocate(AllocationRequest.builder("p", "both2").port(20012).protocol(Protocol.BOTH).build());
        assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "tcp2").port(20012).build()));
        assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "udp2").port(20012).protocol(Protocol.UDP).build()));
        assertEquals(3, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void invariant1_automaticAllocation_skipsPortsHeldForACollidingProtocol() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "a").range("tiny").protocol(Protocol.BOTH).build());
        pm.allocate(AllocationRequest.builder("p", "b").range("tiny").protocol(Protocol.UDP).build());
        Allocation c = pm.allocate(AllocationRequest.builder("p", "c").range("tiny").protocol(Protocol.TCP).build());
        assertEquals(20000, pm.find("p", "a").orElseThrow().port());
        assertEquals(20001, pm.find("p", "b").orElseThrow().port());
        assertEquals(20001, c.port(), "TCP may share a port with a UDP allocation");
    }

    @Test
    void invariant1_holdsPerHost() {
        PortManager pm = manager();
        Allocation a = pm.allocate(AllocationRequest.builder("p", "api").range("small").host("build-1").build());
        Allocation b = pm.allocate(AllocationRequest.builder("p", "api").range("small").host("build-2").build());
        assertEquals(20010, a.port());
        assertEquals(20010, b.port());
        assertEquals(2, pm.list(AllocationQuery.all()).size());
        assertEquals(1, pm.list(AllocationQuery.builder().host("build-2").build()).size());
    }

    @Test
    void invariant1_loopbackAliasesAreOneHost() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "a").port(20010).host("127.0.0.1").build());
        assertThrows(PortConflictException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "b").port(20010).host("LOCALHOST").build()));
    }

    // ---- invariant 2: one live allocation per (host, project, service, environment) ----

    @Test
    void invariant2_environmentsAreSeparateServices() {
        PortManager pm = manager();
        Allocation dev = pm.getOrAllocate(AllocationRequest.builder("p", "api").range("small").environment("dev").build());
        Allocation prod = pm.getOrAllocate(AllocationRequest.builder("p", "api").range("small").environment("prod").build());
        assertNotEquals(dev.port(), prod.port());
        assertEquals(dev, pm.getOrAllocate(AllocationRequest.builder("p", "api").range("small").environment("dev").build()));
    }

    @Test
    @Timeout(120)
    void invariant2_manyThreadsAskingForOneService_allGetOnePort() throws Exception {
        PortManager a = manager();
        PortManager b = managerOnReopened(x -> { });
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> ports = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                PortManager pm = t % 2 == 0 ? a : b;
                ports.add(pool.submit(() -> {
                    go.await();
                    return pm.getOrAllocate(in("wide", "consilio", "api")).port();
                }));
            }
            go.countDown();
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> f : ports) {
                distinct.add(f.get());
            }
            assertEquals(1, distinct.size(), "ports handed out: " + distinct);
            assertEquals(1, a.list(AllocationQuery.all()).size());
            assertEquals(1, a.history(HistoryQuery.builder().action(HistoryAction.ALLOCATED).build()).size());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- exhaustion ----

    @Test
    void allocate_whenTheRangeIsFull_throwsNoFreePortSayingWhatIsTaken() {
        PortManager pm = manager();
        for (int i = 0; i < 3; i++) {
            pm.allocate(in("tiny", "p", "s" + i));
        }
        NoFreePortException e = assertThrows(NoFreePortException.class, () -> pm.allocate(in("tiny", "p", "s3")));
        assertEquals("no free TCP port in range 'tiny' 20000-20002 on localhost: 3 allocated, 0 busy, 0 excluded; "
                + "widen the range or release one", e.getMessage());
        assertEquals(3, e.allocated());
        assertEquals("tiny", e.range().orElseThrow());
        assertEquals(3, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocate_countsExcludedPortsInTheMessage_andNeverHandsThemOut() {
        PortManager pm = manager(b -> b.exclude(20000, 20002));
        assertEquals(20001, pm.allocate(in("tiny", "p", "a")).port());
        NoFreePortException e = assertThrows(NoFreePortException.class, () -> pm.allocate(in("tiny", "p", "b")));
        assertEquals("no free TCP port in range 'tiny' 20000-20002 on localhost: 1 allocated, 0 busy, 2 excluded; "
                + "widen the range or release one", e.getMessage());
        IllegalArgumentException exact = assertThrows(IllegalArgumentException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "c").port(20002).build()));
        assertEquals("port 20002 asked for by p/c is excluded by this manager's configuration; ask for another port",
                exact.getMessage());
    }

    // ---- leases: expiry, renewal, owners ----

    @Test
    void reserve_holdsThePortUntilItExpires_thenItIsReclaimedAsExpired() {
        PortManager pm = manager();
        Allocation held = pm.reserve(in("tiny", "p", "held"), Duration.ofMinutes(1));
        assertEquals(AllocationStatus.RESERVED, held.status());
        assertEquals(START.plus(Duration.ofMinutes(1)), held.expiresAt().orElseThrow());
        assertEquals(20001, pm.allocate(in("tiny", "p", "other")).port());

        clock.advance(Duration.ofMinutes(2));
        assertTrue(pm.find("p", "held").isEmpty(), "an expired reservation is not live");
        assertEquals(1, pm.list(AllocationQuery.all()).size());
        assertEquals(20000, pm.allocate(in("tiny", "p", "next")).port());

        List<HistoryEntry> expired = pm.history(HistoryQuery.builder().action(HistoryAction.EXPIRED).build());
        assertEquals(1, expired.size());
        assertEquals(20000, expired.get(0).port());
        assertEquals("held", expired.get(0).service());
        assertEquals("lease expired at 2026-01-01T00:01:00Z", expired.get(0).reason());
        assertEquals(HistoryAction.RESERVED, history(pm).get(0).action());
    }

    @Test
    void renew_extendsTheLeaseFromNow() {
        PortManager pm = manager();
        Allocation held = pm.reserve(in("tiny", "p", "held"), Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(50));
        Allocation renewed = pm.renew(held, Duration.ofMinutes(1));
        assertEquals(START.plusSeconds(110), renewed.expiresAt().orElseThrow());
        clock.advance(Duration.ofSeconds(50));
        assertEquals(renewed, pm.find("p", "held").orElseThrow());
        assertEquals(START.plusSeconds(160), pm.renew("p", "held", Duration.ofMinutes(1)).expiresAt().orElseThrow());
        HistoryEntry last = history(pm).get(history(pm).size() - 1);
        assertEquals(HistoryAction.UPDATED, last.action());
        assertEquals("lease until 2026-01-01T00:02:40Z", last.reason());
    }

    @Test
    void renew_afterThePortWasReclaimed_throwsAllocationNotFound() {
        PortManager pm = manager();
        Allocation held = pm.reserve(in("tiny", "p", "held"), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        pm.allocate(in("tiny", "p", "taker"));
        AllocationNotFoundException e = assertThrows(AllocationNotFoundException.class,
                () -> pm.renew(held, Duration.ofMinutes(1)));
        assertEquals("cannot renew p/held 20000/TCP on localhost: it was released, or its lease lapsed and the port was "
                + "reclaimed; reserve a port again", e.getMessage());
    }

    @Test
    @Timeout(120)
    void ownedAllocation_isFreedWhenItsOwnerProcessDies() throws Exception {
        PortManager pm = manager();
        ChildProcess child = ChildProcess.start();
        Allocation owned = pm.allocate(AllocationRequest.builder("p", "owned").range("tiny").owner(child.owner()).build());
        assertEquals(child.owner(), owned.owner().orElseThrow());
        assertEquals(20001, pm.allocate(in("tiny", "p", "while-alive")).port(), "a live owner keeps its port");

        child.kill();
        assertTrue(pm.find("p", "owned").isEmpty());
        assertEquals(20000, pm.allocate(in("tiny", "p", "after-death")).port());
        List<HistoryEntry> expired = pm.history(HistoryQuery.builder().action(HistoryAction.EXPIRED).build());
        assertEquals(1, expired.size());
        assertEquals("owner " + child.owner() + " is gone", expired.get(0).reason());
    }

    @Test
    void getOrAllocate_afterTheServicesLeaseLapsed_givesItsOldPortBack() {
        PortManager pm = manager();
        AllocationRequest api = AllocationRequest.builder("p", "api").range("small").preferredPort(20015)
                .ttl(Duration.ofMinutes(1)).build();
        assertEquals(20015, pm.getOrAllocate(api).port());
        clock.advance(Duration.ofMinutes(5));
        Allocation again = pm.getOrAllocate(in("small", "p", "api"));
        assertEquals(20015, again.port(), "a restarted service gets its port back");
        assertEquals(1, pm.list(AllocationQuery.all()).size());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.EXPIRED, HistoryAction.ALLOCATED),
                history(pm).stream().map(HistoryEntry::action).collect(Collectors.toList()));
    }

    @Test
    void allocate_withAlternatives_takesTheFirstFreeInTheirOrder_thenTheRestOfTheRange() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "x").port(20015).build());
        pm.allocate(AllocationRequest.builder("p", "y").port(20017).build());
        Allocation alt = pm.allocate(AllocationRequest.builder("p", "api").range("small").preferredPort(20015)
                .alternatives(20017, 20013, 20011).build());
        assertEquals(20013, alt.port(), "the preferred port and the first alternative are taken");
        Allocation rest = pm.allocate(AllocationRequest.builder("p", "web").range("small").preferredPort(20015)
                .alternatives(20017, 20013).build());
        assertEquals(20010, rest.port(), "every alternative taken: the rest of the range, lowest first");
        Allocation noPreferred = pm.allocate(AllocationRequest.builder("p", "db").alternatives(20013, 20019).build());
        assertEquals(20019, noPreferred.port());
        assertEquals("small", noPreferred.range().orElseThrow(), "the range holding the first alternative");
    }

    @Test
    void allocate_alternativesOnly_whenEveryOneIsTaken_throwsNoFreePortAndTakesNoOtherPort() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "x").port(20015).build());
        pm.allocate(AllocationRequest.builder("p", "y").port(20017).build());
        NoFreePortException e = assertThrows(NoFreePortException.class, () -> pm.allocate(AllocationRequest
                .builder("p", "api").range("small").preferredPort(20015).alternatives(20017).alternativesOnly()
                .build()));
        assertEquals("no free TCP port for p/api on localhost among its ports [20015, 20017] (alternatives only): "
                + "each is allocated, busy or excluded; free one of them, or let the request fall back to the rest "
                + "of the range", e.getMessage());
        assertTrue(pm.find("p", "api").isEmpty());
        assertEquals(20018, pm.allocate(AllocationRequest.builder("p", "api").range("small").preferredPort(20015)
                .alternatives(20017, 20018).alternativesOnly().build()).port());
    }

    // ---- bulk: all or nothing ----

    @Test
    void allocateAll_givesEveryRequestAPortInOneStep() {
        PortManager pm = manager();
        List<Allocation> all = pm.allocateAll(List.of(in("tiny", "stack", "web"), in("tiny", "stack", "api"),
                in("small", "stack", "db")));
        assertEquals(List.of(20000, 20001, 20010), all.stream().map(Allocation::port).collect(Collectors.toList()));
        assertEquals(3, history(pm).size());
    }

    @Test
    void allocateAll_whenOneRequestFindsNoPort_allocatesNothing() {
        PortManager pm = manager();
        pm.allocate(in("tiny", "other", "x"));
        assertThrows(NoFreePortException.class, () -> pm.allocateAll(List.of(in("tiny", "stack", "a"),
                in("tiny", "stack", "b"), in("tiny", "stack", "c"))));
        assertEquals(1, pm.list(AllocationQuery.all()).size());
        assertEquals(1, history(pm).size());
    }

    @Test
    void allocateAll_whenOneServiceAlreadyHoldsAPort_allocatesNothing() {
        PortManager pm = manager();
        pm.allocate(in("small", "stack", "db"));
        assertThrows(AllocationExistsException.class, () -> pm.allocateAll(List.of(in("tiny", "stack", "web"),
                in("small", "stack", "db"))));
        assertEquals(1, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void allocateAll_theSameServiceTwiceInOneCall_isRefused() {
        PortManager pm = manager();
        assertThrows(AllocationExistsException.class, () -> pm.allocateAll(List.of(in("tiny", "stack", "web"),
                in("tiny", "stack", "web"))));
        assertEquals(0, pm.list(AllocationQuery.all()).size());
    }

    // ---- release ----

    @Test
    void release_byService_releasesOnce_andSaysSoTheSecondTime() {
        PortManager pm = manager();
        pm.allocate(in("small", "p", "api"));
        assertTrue(pm.release("p", "api"));
        assertFalse(pm.release("p", "api"));
        assertTrue(pm.find("p", "api").isEmpty());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.RELEASED),
                history(pm).stream().map(HistoryEntry::action).collect(Collectors.toList()));
        assertEquals(20010, pm.allocate(in("small", "p", "next")).port(), "a released port is free again");
    }

    @Test
    void release_byPort_releasesEveryProtocolOfThePort() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "tcp").port(20011).build());
        pm.allocate(AllocationRequest.builder("p", "udp").port(20011).protocol(Protocol.UDP).build());
        assertFalse(pm.release(20012));
        assertTrue(pm.release(20011));
        assertEquals(0, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void release_byPortAndProtocol_releasesOnlyTheAllocationServingIt() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "tcp").port(20011).build());
        assertFalse(pm.release(20011, Protocol.UDP));
        assertFalse(pm.release(20011, Protocol.TCP, "elsewhere"));
        assertTrue(pm.release(20011, Protocol.TCP));
        pm.allocate(AllocationRequest.builder("p", "both").port(20012).protocol(Protocol.BOTH).build());
        assertTrue(pm.release(20012, Protocol.UDP), "a BOTH allocation serves UDP");
        assertEquals(0, pm.list(AllocationQuery.all()).size());
    }

    @Test
    void release_ofAStaleCopy_neverReleasesTheNextHoldersAllocation() {
        PortManager pm = manager();
        Allocation mine = pm.reserve(in("tiny", "p", "mine"), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        Allocation theirs = pm.allocate(in("tiny", "p", "theirs"));
        assertEquals(mine.port(), theirs.port());
        assertFalse(pm.release(mine));
        assertEquals(theirs, pm.find(theirs.port()).orElseThrow());
    }

    // ---- update and reassign ----

    @Test
    void update_changesDescriptionAndMetadata_andRecordsWhat() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("p", "api").range("small").metadata("keep", "1").metadata("drop", "2").build());
        Allocation updated = pm.update("p", "api", AllocationUpdate.builder().description("Updated API server")
                .putMetadata("cloudflare_hostname", "api.consilio.153.se").removeMetadata("drop").build());
        assertEquals("Updated API server", updated.description());
        assertEquals(Map.of("keep", "1", "cloudflare_hostname", "api.consilio.153.se"), updated.metadata());
        assertEquals(updated, pm.find("p", "api").orElseThrow());
        HistoryEntry last = history(pm).get(1);
        assertEquals(HistoryAction.UPDATED, last.action());
        assertEquals("description, metadata", last.reason());

        pm.update("p", "api", AllocationUpdate.builder().description("Updated API server").build());
        assertEquals(2, history(pm).size(), "an update that changes nothing writes no history");
        AllocationNotFoundException e = assertThrows(AllocationNotFoundException.class,
                () -> pm.update("p", "nope", AllocationUpdate.builder().description("x").build()));
        assertEquals("cannot update p/nope: it holds no port on localhost (environment default); allocate one first",
                e.getMessage());
    }

    @Test
    void reassign_movesTheServiceToAnotherPort_inOneStep() {
        PortManager pm = manager();
        Allocation before = pm.allocate(AllocationRequest.builder("p", "api").range("small").description("d").build());
        Allocation after = pm.reassign("p", "api");
        assertEquals(20010, before.port());
        assertEquals(20011, after.port());
        assertEquals("d", after.description());
        assertEquals(after, pm.find("p", "api").orElseThrow());
        assertTrue(pm.find(20010).isEmpty());
        List<HistoryEntry> history = history(pm);
        assertEquals(HistoryAction.REASSIGNED, history.get(1).action());
        assertEquals(20010, history.get(1).port());
        assertEquals("reassigned from port 20010; moved to port 20011", history.get(1).reason());
        assertEquals(HistoryAction.ALLOCATED, history.get(2).action());
        assertEquals(20011, history.get(2).port());
    }

    @Test
    void reassign_toAPortHeldByAnotherService_throwsAndChangesNothing() {
        PortManager pm = manager();
        pm.allocate(in("small", "p", "api"));
        pm.allocate(in("small", "p", "web"));
        assertThrows(PortConflictException.class, () -> pm.reassign("p", "api", 20011));
        assertEquals(20010, pm.find("p", "api").orElseThrow().port());
        Allocation moved = pm.reassign("p", "api", 20019);
        assertEquals(20019, moved.port());
        assertEquals("small", moved.range().orElseThrow());
        AllocationNotFoundException e = assertThrows(AllocationNotFoundException.class,
                () -> pm.reassign("p", "nope"));
        assertEquals("cannot reassign p/nope: it holds no port on localhost (environment default); allocate one first",
                e.getMessage());
    }

    // ---- history ----

    @Test
    void history_recordsEveryAction_andFiltersAndLimits() {
        PortManager pm = manager();
        pm.allocate(in("small", "p", "a"));
        pm.reserve(in("small", "p", "r"), Duration.ofMinutes(1));
        pm.update("p", "a", AllocationUpdate.builder().description("x").build());
        pm.reassign("p", "a");
        clock.advance(Duration.ofMinutes(2));
        pm.allocate(AllocationRequest.builder("p", "b").port(20011).build());
        pm.release("p", "b");
        Allocation c = pm.allocate(in("small", "p", "c"));
        store.release(c.id(), HistoryAction.CONFLICT_DETECTED, "found in use", "tester@contract", clock.instant());

        List<HistoryAction> actions = history(pm).stream().map(HistoryEntry::action).collect(Collectors.toList());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.RESERVED, HistoryAction.UPDATED,
                HistoryAction.REASSIGNED, HistoryAction.ALLOCATED, HistoryAction.EXPIRED, HistoryAction.ALLOCATED,
                HistoryAction.RELEASED, HistoryAction.ALLOCATED, HistoryAction.CONFLICT_DETECTED), actions);
        assertEquals(List.of(HistoryAction.RELEASED, HistoryAction.ALLOCATED, HistoryAction.CONFLICT_DETECTED),
                pm.history(HistoryQuery.builder().limit(3).build()).stream().map(HistoryEntry::action)
                        .collect(Collectors.toList()));
        assertEquals(4, pm.history(HistoryQuery.builder().port(20011).build()).size());
        assertEquals(4, pm.history(HistoryQuery.builder().service("a").build()).size());
        assertEquals(5, pm.history(HistoryQuery.builder().since(START.plusSeconds(60)).build()).size());
        assertEquals(5, pm.history(HistoryQuery.builder().until(START.plusSeconds(60)).build()).size());
    }

    // ---- ranges ----

    @Test
    void ranges_declaredOnce_areSeenByEveryManagerOfTheRegistry() throws Exception {
        manager(b -> b.range("extra", 20100, 20199, "declared by the first"));
        PortManager other = managerOnReopened(b -> { });
        PortRange extra = other.ranges().stream().filter(r -> r.name().equals("extra")).findFirst().orElseThrow();
        assertEquals(new PortRange("extra", 20100, 20199, "declared by the first", true), extra);
        assertEquals(20100, other.getOrAllocate(in("extra", "p", "s")).port());
    }

    @Test
    void ranges_aContradictingRedeclaration_isRefused() {
        PortManager pm = manager();
        RangeConflictException e = assertThrows(RangeConflictException.class,
                () -> pm.defineRange(PortRange.of("tiny", 20000, 20005)));
        assertEquals("range 'tiny' is 20000-20002 in " + store.name() + ", not 20000-20005 as declared; declare it "
                + "as stored, or give the new range another name", e.getMessage());
        assertEquals(PortRange.of("tiny", 20000, 20002, "three ports"),
                pm.defineRange(PortRange.of("tiny", 20000, 20002)), "the same ports again are fine");
        assertThrows(RangeConflictException.class,
                () -> PortManager.builder().store(store).range("small", 20010, 20020).build());
    }

    @Test
    void defineRanges_storesEachUnlessStored_givesTheStoredOnesInOrder_andRefusesAContradiction() {
        List<PortRange> stored = store.defineRanges(List.of(PortRange.of("b", 20300, 20309),
                PortRange.of("a", 20310, 20319, "first")));
        assertEquals(List.of(PortRange.of("b", 20300, 20309), PortRange.of("a", 20310, 20319, "first")), stored);
        assertEquals(List.of(PortRange.of("a", 20310, 20319, "first")),
                store.defineRanges(List.of(PortRange.of("a", 20310, 20319, "again"))), "the stored one, kept");
        assertEquals(List.of(), store.defineRanges(List.of()));
        assertThrows(RangeConflictException.class, () -> store.defineRanges(List.of(PortRange.of("a", 20310,
                20320))));
        assertEquals(PortRange.of("a", 20310, 20319, "first"), store.ranges().stream()
                .filter(r -> r.name().equals("a")).findFirst().orElseThrow());
    }

    @Test
    void ranges_anEmptyStore_getsTheSixAtlasRanges() {
        PortManager pm = PortManager.builder().store(store).clock(clock).probe(ALL_FREE).build();
        managers.add(pm);
        assertEquals(List.of("api 3000-3099", "cache 6379-6389", "database 5432-5439", "debug 5555-5564",
                "testing 9000-9099", "web 8080-8099"), pm.ranges().stream()
                .map(r -> r.name() + " " + r.start() + "-" + r.end()).collect(Collectors.toList()));
        assertEquals(3000, pm.getOrAllocate("consilio", "api"));
    }

    @Test
    void projectBlocks_giveEachNewProjectTheNextFreeBlock() throws Exception {
        PortManager pm = manager(b -> b.projectBlocks(20000, 20399, 100));
        assertEquals(20100, pm.getOrAllocate("meta-supervisor", "dashboard"), "20000-20099 overlaps 'tiny'");
        assertEquals(20101, pm.getOrAllocate("meta-supervisor", "api"));
        assertEquals(20200, pm.getOrAllocate("consilio", "web"));
        PortManager other = managerOnReopened(b -> b.projectBlocks(20000, 20399, 100));
        assertEquals(20201, other.getOrAllocate("consilio", "api"));
        assertEquals(20300, other.getOrAllocate("odin", "web"));
        NoFreePortException e = assertThrows(NoFreePortException.class, () -> pm.getOrAllocate("late", "web"));
        assertTrue(e.getMessage().startsWith("no free block of 100 ports in 20000-20399 for project 'late'"),
                e.getMessage());
        RangeSummary summary = pm.summary("consilio");
        assertEquals(new RangeSummary("consilio", 20200, 20299, 100, 2, 0, 98, 2.0), summary);
    }

    @Test
    void summary_countsLiveAllocationsOfTheRange() {
        PortManager pm = manager(b -> b.exclude(20019));
        pm.allocate(in("small", "p", "a"));
        pm.allocate(in("small", "p", "b"));
        pm.reserve(in("small", "p", "gone"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(new RangeSummary("small", 20010, 20019, 10, 2, 1, 7, 20.0), pm.summary("small"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pm.summary("nope"));
        assertTrue(e.getMessage().startsWith("no range named 'nope' in " + store.name() + " (ranges: "), e.getMessage());
    }

    // ---- queries ----

    @Test
    void list_filtersByEveryField() {
        PortManager pm = manager();
        pm.allocate(AllocationRequest.builder("a", "web").range("small").environment("dev").build());
        pm.allocate(AllocationRequest.builder("a", "dns").range("small").protocol(Protocol.UDP).build());
        pm.reserve(AllocationRequest.builder("b", "web").range("tiny").host("build-1").build(), Duration.ofHours(1));
        assertEquals(3, pm.list(AllocationQuery.all()).size());
        assertEquals(2, pm.list(AllocationQuery.project("a")).size());
        assertEquals(1, pm.list(AllocationQuery.builder().range("tiny").build()).size());
        assertEquals(1, pm.list(AllocationQuery.builder().environment("dev").build()).size());
        assertEquals(1, pm.list(AllocationQuery.builder().status(AllocationStatus.RESERVED).build()).size());
        assertEquals(1, pm.list(AllocationQuery.builder().host("build-1").build()).size());
        assertEquals(1, pm.list(AllocationQuery.builder().protocol(Protocol.UDP).build()).size());
        assertEquals(2, pm.list(AllocationQuery.builder().service("web").build()).size());
        assertEquals(List.of("build-1", "localhost", "localhost"), pm.list(AllocationQuery.all()).stream()
                .map(Allocation::host).collect(Collectors.toList()), "ordered by host, then port");
    }

    @Test
    void names_withQuotesUnicodeAndSqlKeywords_roundTrip() throws Exception {
        PortManager pm = manager();
        String project = "Ünïcødé 'quoted' \"double\" 東京 \uD83D\uDE80";
        String service = "select * from port_allocations; -- drop";
        Allocation a = pm.allocate(AllocationRequest.builder(project, service).range("small").environment("prod's")
                .description("line one\nline two\ttabbed").metadata("key with space", "väl'ue").build());
        PortManager other = managerOnReopened(b -> b.environment("prod's"));
        Allocation found = other.find(project, service).orElseThrow();
        assertEquals(a, found);
        assertEquals(project, other.history(HistoryQuery.all()).get(0).project());
    }

    // ---- bad input: refused with a message naming the value, nothing stored ----

    @Test
    void badInput_isRefusedNamingTheValue_andNothingIsStored() {
        PortManager pm = manager();
        List<PortRange> rangesBefore = pm.ranges();
        String longName = "x".repeat(10_000);
        assertIllegal("port 0 is outside 1-65535; ports are numbered 1 to 65535",
                () -> AllocationRequest.builder("p", "s").port(0));
        assertIllegal("port -1 is outside 1-65535; ports are numbered 1 to 65535",
                () -> AllocationRequest.builder("p", "s").port(-1));
        assertIllegal("port 65536 is outside 1-65535; ports are numbered 1 to 65535",
                () -> AllocationRequest.builder("p", "s").port(65536));
        assertIllegal("range 'r' start 0 is outside 1-65535; ports are numbered 1 to 65535",
                () -> pm.defineRange(PortRange.of("r", 0, 10)));
        assertIllegal("range 'r' end 65536 is outside 1-65535; ports are numbered 1 to 65535",
                () -> pm.defineRange(PortRange.of("r", 10, 65536)));
        assertIllegal("range 'r' start 20 is after its end 10; swap them (10-20)",
                () -> pm.defineRange(PortRange.of("r", 20, 10)));
        assertIllegal("project must not be blank (was '  '); give a name such as 'api'",
                () -> pm.getOrAllocate("  ", "api"));
        assertIllegal("service must not be blank (was ''); give a name such as 'api'",
                () -> pm.getOrAllocate("p", ""));
        assertIllegal("project '" + "x".repeat(40) + "'... (10000 characters) is 10000 characters long; the limit is 255",
                () -> pm.getOrAllocate(longName, "api"));
        assertIllegal("service 'a\\u0007b' contains the control character U+0007 at index 1; use printable characters only",
                () -> pm.getOrAllocate("p", "a\u0007b"));
        assertIllegal("project 'a\\u0000' contains the control character U+0000 at index 1; use printable characters only",
                () -> pm.getOrAllocate("a\u0000", "s"));
        assertIllegal("range name ' web' has leading or trailing white space; remove it",
                () -> pm.defineRange(PortRange.of(" web", 1, 2)));
        assertIllegal("no range named 'nope' in " + store.name() + " (ranges: small 20010-20019, tiny 20000-20002, "
                + "wide 21000-25999); define it with defineRange(PortRange.of(\"nope\", start, end)) or name another",
                () -> pm.allocate(in("nope", "p", "s")));
        assertEquals("project == null", assertThrows(NullPointerException.class,
                () -> pm.getOrAllocate(null, "api")).getMessage());
        assertEquals("request == null", assertThrows(NullPointerException.class,
                () -> pm.allocate(null)).getMessage());
        assertEquals("range == null", assertThrows(NullPointerException.class,
                () -> pm.defineRange(null)).getMessage());

        assertEquals(List.of(), pm.list(AllocationQuery.all()));
        assertEquals(List.of(), history(pm));
        assertEquals(rangesBefore, pm.ranges());
    }

    private static void assertIllegal(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
    }

    // ---- concurrency: 8 threads x 500 allocations, no port twice ----

    @Test
    @Timeout(600)
    void concurrency_eightThreadsOfFiveHundredAllocations_neverHandOutAPortTwice() throws Exception {
        int threads = 8;
        int each = 500;
        List<PortManager> pms = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            pms.add(t % 2 == 0 ? manager() : managerOnReopened(b -> { }));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, String> owners = new ConcurrentHashMap<>();
        List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                PortManager pm = pms.get(t);
                String thread = "t" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        String service = thread + "-" + i;
                        int port = pm.allocate(in("wide", "load", service)).port();
                        String previous = owners.putIfAbsent(port, service);
                        if (previous != null) {
                            duplicates.add(port + ": " + previous + " and " + service);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(600, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), duplicates);
        assertEquals(threads * each, owners.size());
        List<Allocation> stored = pms.get(0).list(AllocationQuery.all());
        assertEquals(threads * each, stored.size());
        assertEquals(threads * each, stored.stream().map(Allocation::port).distinct().count());
    }
}
