package dev.portmanager.maven;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.testing.FreeSpan;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM's holder of build claims on a real JSON registry: what the reserve goal checks and says, claims of modules
 * running at once, release, and sticky ports. Real Maven builds are {@link ReserveGoalIT}'s.
 */
class BuildClaimsTest {
    @TempDir
    Path dir;
    private String store;
    private PortManager registry;
    private int first;
    private final BuildClaims claims = new BuildClaims();
    private final RecordingLog log = new RecordingLog();

    /** Keeps what the goal logs, to check its words. */
    static final class RecordingLog extends SystemStreamLog {
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void warn(CharSequence content) {
            warnings.add(content.toString());
            super.warn(content);
        }
    }

    @BeforeEach
    void setUp() {
        store = "json:" + dir.resolve("claims.json");
        registry = PortManager.builder().store(store).build();
        first = FreeSpan.find(32);
        registry.defineRange(PortRange.of("it", first, first + 31));
        registry.defineRange(PortRange.of("two", first, first + 1));
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private BuildClaims.Request request(String module, String range, boolean sticky, String... properties) {
        return new BuildClaims.Request(module, module.substring(module.indexOf(':') + 1), List.of(properties), range,
                sticky, store);
    }

    private Map<Integer, Long> liveOwners() {
        return registry.list(AllocationQuery.all()).stream()
                .collect(Collectors.toMap(Allocation::port, a -> a.owner().orElseThrow().pid()));
    }

    @Test
    void reserve_whenAPropertyIsListedTwice_failsNamingIt_andClaimsNothing() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> claims.reserve(request("g:app", "it", false, "http.port", "db.port", "http.port"), log));
        assertEquals("<ports> lists the property 'http.port' twice; list each property once: every property gets a "
                + "port of its own", e.getMessage());
        assertEquals(Map.of(), liveOwners());
    }

    @Test
    void reserve_whenPortsListsNothing_failsSayingWhatToList() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> claims.reserve(request("g:app", null, false), log));
        assertEquals("<ports> lists no property; name the properties to set, such as "
                + "<ports><port>http.port</port></ports>", e.getMessage());
    }

    @Test
    void reserve_whenAnEntryIsNoPropertyName_failsNamingIt() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> claims.reserve(request("g:app", null, false, "http port"), log));
        assertEquals("<ports> entry 'http port' is not a property name; list names such as <port>http.port</port>, "
                + "without spaces or ${...}", e.getMessage());
    }

    @Test
    void reserve_whenTheRangeDoesNotExist_failsListingTheRanges() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> claims.reserve(request("g:app", "nope", false, "http.port"), log));
        assertEquals("<range>nope</range> names no range of the claim registry " + store + "; it has api 3000-3099, "
                + "cache 6379-6389, database 5432-5439, debug 5555-5564, it " + first + "-" + (first + 31)
                + ", testing 9000-9099, two " + first + "-" + (first + 1) + ", web 8080-8099. Name one of them, or "
                + "leave <range> out to claim any free port", e.getMessage());
    }

    @Test
    void reserve_whenTheRangeIsFull_failsNamingTheRangeAndTheFix_andClaimsNothing() {
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> claims.reserve(request("g:app", "two", false, "a.port", "b.port", "c.port"), log));
        assertEquals("<range>two</range> has no free port left for a.port, b.port, c.port in the claim registry "
                + store + ": no free TCP port in range 'two' " + first + "-" + (first + 1) + " on localhost: 2 "
                + "allocated, 0 busy, 0 excluded; widen the range or release one. Name a wider <range>, or leave "
                + "<range> out to claim any free port; ports held by other builds are free again when they end",
                e.getMessage());
        assertEquals(Map.of(), liveOwners(), "all or none");
    }

    @Test
    @Timeout(60)
    void reserve_fromSixteenModulesAtOnce_givesDistinctPortsOwnedByThisJvm() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Map<String, Integer>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                BuildClaims.Request r = request("g:module-" + i, "it", false, "http.port", "db.port");
                Callable<Map<String, Integer>> reserve = () -> {
                    start.await();
                    return claims.reserve(r, log);
                };
                results.add(pool.submit(reserve));
            }
            start.countDown();
            Set<Integer> ports = new HashSet<>();
            for (Future<Map<String, Integer>> f : results) {
                ports.addAll(f.get().values());
            }
            assertEquals(32, ports.size(), "every port of the range, once: " + ports);
        } finally {
            pool.shutdownNow();
        }
        long me = ProcessHandle.current().pid();
        assertEquals(32, liveOwners().size());
        assertTrue(liveOwners().values().stream().allMatch(pid -> pid == me), liveOwners().toString());
    }

    @Test
    void reserve_again_inTheSameModule_keepsItsPortsAndClaimsOnlyTheNewProperty() throws Exception {
        Map<String, Integer> before = claims.reserve(request("g:app", "it", false, "http.port"), log);
        Map<String, Integer> after = claims.reserve(request("g:app", "it", false, "http.port", "db.port"), log);
        assertEquals(before.get("http.port"), after.get("http.port"));
        assertEquals(List.of("http.port", "db.port"), List.copyOf(after.keySet()));
        assertEquals(2, liveOwners().size());
    }

    @Test
    void release_freesThatModulesClaimsOnly() throws Exception {
        Map<String, Integer> app = claims.reserve(request("g:app", "it", false, "http.port", "db.port"), log);
        Map<String, Integer> other = claims.reserve(request("g:other", "it", false, "http.port"), log);
        assertEquals(app, claims.release("g:app", log));
        assertEquals(Set.of(other.get("http.port")), liveOwners().keySet());
        assertEquals(Map.of(), claims.release("g:app", log), "released already");
        assertEquals(Map.of(), claims.release("g:never", log), "reserved nothing");
    }

    @Test
    void reserve_sticky_givesTheSamePortToTheNextBuild() throws Exception {
        Map<String, Integer> once = claims.reserve(request("g:app", "it", true, "http.port", "db.port"), log);
        claims.release("g:app", log);
        Map<String, Integer> again = new BuildClaims().reserve(request("g:app", "it", true, "http.port", "db.port"),
                log);
        assertEquals(once, again);
        assertEquals(List.of(), log.warnings);
    }

    @Test
    void reserve_sticky_whenAnotherBuildHoldsTheArtifactsPort_claimsAnotherAndSaysSo() throws Exception {
        // Another live process of this machine holds app's http.port: this JVM's parent.
        ProcessOwner other = ProcessOwner.of(ProcessHandle.current().parent().orElseThrow());
        int theirs = registry.allocate(AllocationRequest.builder("app", "http.port").range("it").owner(other).build())
                .port();
        int mine = claims.reserve(request("g:app", "it", true, "http.port"), log).get("http.port");
        assertNotEquals(theirs, mine);
        assertEquals(Map.of(theirs, other.pid(), mine, ProcessHandle.current().pid()), liveOwners());
        assertEquals(List.of("http.port: the sticky port " + theirs + " of app is held by another build (" + other
                + "); this build claims another port for it"), log.warnings);
    }

    @Test
    void reserve_sticky_inTwoModulesWithOneArtifactId_givesEachItsOwnPort() throws Exception {
        int one = claims.reserve(request("g1:app", "it", true, "http.port"), log).get("http.port");
        int two = claims.reserve(request("g2:app", "it", true, "http.port"), log).get("http.port");
        assertNotEquals(one, two);
        assertEquals(List.of("http.port: the sticky port " + one + " of app is held by another module of this build; "
                + "this build claims another port for it"), log.warnings);
    }
}
