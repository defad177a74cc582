package dev.portmanager;

import dev.portmanager.internal.LocalMachine;
import dev.portmanager.internal.MemoryStoreProvider;
import dev.portmanager.spi.PortStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortManagerBuilderTest {

    private static void refusedTwice(String message, Consumer<PortManagerBuilder> twice) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> twice.accept(PortManager.builder()));
        assertEquals(message, e.getMessage());
    }

    @Test
    void everySingleValuedOption_isRefusedTheSecondTime() {
        refusedTwice("manager name was already set to 'a'", b -> b.name("a").name("b"));
        refusedTwice("host was already set to 'a'", b -> b.host("a").host("b"));
        refusedTwice("environment was already set to 'dev'", b -> b.environment("dev").environment("prod"));
        refusedTwice("allocatedBy was already set to 'me'", b -> b.allocatedBy("me").allocatedBy("you"));
        refusedTwice("a store was already given (memory:); give one store", b -> b.store("memory:").store("memory:"));
        refusedTwice("a store was already given (memory:x); give one store",
                b -> b.store(new MemoryStoreProvider().open("memory:x")).store("memory:"));
        refusedTwice("search order was already set to SPREAD",
                b -> b.searchOrder(SearchOrder.SPREAD).searchOrder(SearchOrder.SPREAD));
        refusedTwice("avoidEphemeralRange was already set to true",
                b -> b.avoidEphemeralRange(true).avoidEphemeralRange(true));
        refusedTwice("allowSystemPorts was already set", b -> b.allowSystemPorts().allowSystemPorts());
        refusedTwice("range 'web' was already declared as 'web' 8080-8099",
                b -> b.range("web", 8080, 8099).range("web", 8080, 8099));
        assertThrows(IllegalStateException.class, () -> PortManager.builder().clock(Clock.systemUTC())
                .clock(Clock.systemUTC()));
        assertThrows(IllegalStateException.class, () -> PortManager.builder().probe((p, q) -> true)
                .probe((p, q) -> true));
        assertThrows(IllegalStateException.class, () -> PortManager.builder().projectBlocks(3000, 3999, 100)
                .projectBlocks(3000, 3999, 100));
    }

    @Test
    void arguments_areCheckedAsTheyAreGiven() {
        assertEquals("store URI 'ports.json' has no scheme; write memory:, json:<path>, jdbc:h2:<...> or "
                        + "jdbc:postgresql://<host>/<db>",
                assertThrows(IllegalArgumentException.class, () -> PortManager.builder().store("ports.json")).getMessage());
        assertEquals("clock == null", assertThrows(NullPointerException.class,
                () -> PortManager.builder().clock(null)).getMessage());
        assertEquals("listener == null", assertThrows(NullPointerException.class,
                () -> PortManager.builder().listener(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PortManager.builder().range("web", 9000, 8000));
        assertThrows(IllegalArgumentException.class, () -> PortManager.builder().exclude(0));
        assertThrows(IllegalArgumentException.class, () -> PortManager.builder().host(" "));
    }

    @Test
    void build_refusesAnUnknownStoreScheme_listingTheKnownForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PortManager.builder().store("redis://localhost").build());
        assertEquals("no store provider opens 'redis://localhost'; known forms: memory: or memory:<name> (port-core). "
                + "For json:<path> add dev.portmanager:port-store-json to the classpath, for jdbc:h2:... or "
                + "jdbc:postgresql://... add dev.portmanager:port-store-jdbc", e.getMessage());
    }

    @Test
    void build_withNoStoreAndNoJsonModule_saysWhatToAdd() {
        Assumptions.assumeTrue(System.getenv("PORTMANAGER_STORE") == null, "PORTMANAGER_STORE is set here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PortManager.builder().build());
        assertTrue(e.getMessage().startsWith("no store given, and the default store json:"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" needs dev.portmanager:port-store-json on the classpath; add it, or call "
                + "store(...), for example store(\"memory:\") for a registry that lives only in this JVM"), e.getMessage());
    }

    @Test
    void build_checksRulesBetweenOptions() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PortManager.builder().store("memory:").defaultRange("backend").build());
        assertEquals("default range 'backend' is neither declared nor stored in memory:; declare it with "
                + "range(\"backend\", start, end)", missing.getMessage());
        int inside = LocalMachine.ephemeralRange().start() + 10;
        IllegalArgumentException ephemeral = assertThrows(IllegalArgumentException.class,
                () -> PortManager.builder().store("memory:").range("eph", inside, inside + 10).build());
        assertTrue(ephemeral.getMessage().startsWith("range 'eph' " + inside + "-" + (inside + 10) + " lies wholly in the "
                + "OS ephemeral range " + LocalMachine.ephemeralRange().start() + "-"), ephemeral.getMessage());
        PortManager.builder().store("memory:").range("eph", inside, inside + 10).avoidEphemeralRange(false).build()
                .close();
    }

    @Test
    void build_storesTheAtlasRangesOnlyInAnEmptyStoreWithNoneDeclared() {
        PortStore store = new MemoryStoreProvider().open("memory:atlas");
        try (PortManager declared = PortManager.builder().store(store).range("mine", 20000, 20009).build()) {
            assertEquals(List.of("mine"), declared.ranges().stream().map(PortRange::name).collect(Collectors.toList()));
        }
        try (PortManager later = PortManager.builder().store(store).build()) {
            assertEquals(1, later.ranges().size(), "a store with ranges gets no defaults");
        }
        try (PortManager fresh = PortManager.builder().store("memory:").build()) {
            assertEquals(PortRange.standardRanges().size(), fresh.ranges().size());
        }
    }

    @Test
    void builder_isReusable_andEachBuildOpensItsOwnStoreFromAUri() {
        PortManagerBuilder b = PortManager.builder().store("memory:").range("r", 20000, 20009);
        try (PortManager one = b.build(); PortManager two = b.build()) {
            assertEquals(20000, one.getOrAllocate("p", "r"));
            assertEquals(20000, two.getOrAllocate("p", "r"), "two fresh memory stores");
            assertNotEquals(one.toString(), two.toString());
        }
    }

    @Test
    void defaults_areLocalhostTheDefaultEnvironmentAndUserAtHost() {
        try (PortManager pm = PortManager.builder().store("memory:").build()) {
            assertEquals("localhost", pm.host());
            assertEquals("default", pm.environment());
            assertEquals(SearchOrder.LOWEST_FIRST, pm.policy().order());
            assertTrue(pm.policy().avoidsEphemeralRange());
            assertEquals("memory:", pm.storeName());
            Allocation a = pm.allocate(AllocationRequest.of("p", "api"));
            assertEquals(System.getProperty("user.name"), a.allocatedBy().substring(0, a.allocatedBy().indexOf('@')));
        }
    }
}
