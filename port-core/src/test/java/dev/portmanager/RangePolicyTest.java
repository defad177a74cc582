package dev.portmanager;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangePolicyTest {
    private static final PortRange WEB = PortRange.of("web", 8080, 8099);
    private static final PortRange HTTP = PortRange.of("http", 80, 90);

    private static RangePolicy.Builder linux() {
        return RangePolicy.builder().ephemeralRange(32768, 60999);
    }

    private static Map<String, PortRange> ranges(PortRange... all) {
        Map<String, PortRange> out = new LinkedHashMap<>();
        for (PortRange r : all) {
            out.put(r.name(), r);
        }
        return out;
    }

    private static AllocationRequest req(String project, String service) {
        return AllocationRequest.of(project, service);
    }

    // ---- which range ----

    @Test
    void rangeNameFor_followsTheRulesInOrder() {
        RangePolicy policy = linux().build();
        Map<String, PortRange> stored = ranges(WEB, PortRange.of("api", 3000, 3099), PortRange.of("all", 3000, 9000));
        assertEquals(Optional.of("api"), policy.rangeNameFor(AllocationRequest.builder("p", "web").range("api").build(),
                stored), "a named range wins");
        assertEquals(Optional.of("web"), policy.rangeNameFor(AllocationRequest.builder("p", "x").port(8085).build(),
                stored), "an exact port takes the smallest range holding it");
        assertEquals(Optional.empty(), policy.rangeNameFor(AllocationRequest.builder("p", "x").port(9999).build(),
                stored), "an exact port outside every range takes none");
        assertEquals(Optional.of("web"), policy.rangeNameFor(req("p", "web"), stored), "the service names a range");
        assertEquals(Optional.empty(), policy.rangeNameFor(req("p", "backend"), stored), "else any port");
        assertEquals(Optional.of("all"), linux().defaultRange("all").build().rangeNameFor(req("p", "backend"), stored));
        assertEquals(Optional.of("consilio"), linux().projectBlocks(3000, 3999, 100).build()
                .rangeNameFor(req("consilio", "web"), stored), "project blocks take over from service names");
    }

    @Test
    void rangeNameFor_preferredPort_takesTheSmallestRangeHoldingIt_beforeServiceNamesAndTheDefault() {
        Map<String, PortRange> stored = ranges(WEB, PortRange.of("api", 3000, 3099), PortRange.of("all", 3000, 9000));
        assertEquals(Optional.of("api"), linux().defaultRange("all").build().rangeNameFor(
                AllocationRequest.builder("p", "web").preferredPort(3005).build(), stored),
                "the fallback stays in the range that holds the port");
        assertEquals(Optional.of("web"), linux().build().rangeNameFor(
                AllocationRequest.builder("p", "web").preferredPort(9999).build(), stored),
                "a port in no range: the usual rules");
        assertEquals(Optional.of("api"), linux().build().rangeNameFor(
                AllocationRequest.builder("p", "x").range("api").preferredPort(8085).build(), stored),
                "a named range still wins");
        assertEquals(Optional.of("consilio"), linux().projectBlocks(3000, 3999, 100).build().rangeNameFor(
                AllocationRequest.builder("consilio", "x").preferredPort(8085).build(), stored),
                "with project blocks, the project's block");
    }

    @Test
    void rangeNameFor_skipsAServiceNamedRangeThatDoesNotAutoAllocate() {
        Map<String, PortRange> stored = ranges(new PortRange("web", 8080, 8099, "", false));
        assertEquals(Optional.empty(), linux().build().rangeNameFor(req("p", "web"), stored));
    }

    // ---- which ports ----

    @Test
    void candidates_inARange_coverItLowestFirst() {
        Candidates c = linux().build().candidates(req("p", "web"), WEB);
        assertEquals("web", c.range().orElseThrow());
        assertEquals(8080, c.first());
        assertEquals(8099, c.last());
        assertEquals(8080, c.startAt());
        assertEquals(0, c.excludedCount());
    }

    @Test
    void candidates_withoutARange_spanEveryAllowedPort_lessTheEphemeralRange() {
        Candidates c = linux().build().candidates(req("p", "backend"), null);
        assertEquals(1024, c.first(), "system ports are not handed out outside ranges");
        assertEquals(65535, c.last());
        assertEquals(60999 - 32768 + 1, c.excludedCount());
        assertTrue(c.isExcluded(32768));
        assertTrue(c.isExcluded(60999));
        assertTrue(c.allows(61000));
        assertEquals(1, linux().allowSystemPorts().build().candidates(req("p", "b"), null).first());
        assertEquals(0, linux().avoidEphemeralRange(false).build().candidates(req("p", "b"), null).excludedCount());
    }

    @Test
    void candidates_inARangeThatIncludesSystemPorts_mayTakeThem() {
        Candidates c = linux().build().candidates(req("p", "http"), HTTP);
        assertEquals(80, c.first());
        assertEquals(0, c.excludedCount());
    }

    @Test
    void candidates_excludeConfiguredPortsAndTheEphemeralPartOfARange() {
        RangePolicy policy = linux().exclude(8081).excludeRange(8090, 8099).build();
        assertEquals(11, policy.candidates(req("p", "web"), WEB).excludedCount());
        Candidates straddling = policy.candidates(req("p", "x"), PortRange.of("x", 32760, 32779));
        assertEquals(12, straddling.excludedCount());
        assertTrue(straddling.allows(32767));
        assertTrue(!straddling.allows(32768));
    }

    @Test
    void candidates_exactPort_isGrantedInTheEphemeralRange_butRefusedWhenExcludedOrSystem() {
        RangePolicy policy = linux().exclude(8081).build();
        Candidates eph = policy.candidates(AllocationRequest.builder("p", "s").port(40000).build(), null);
        assertTrue(eph.exact());
        assertEquals(40000, eph.first());
        IllegalArgumentException excluded = assertThrows(IllegalArgumentException.class, () -> policy.candidates(
                AllocationRequest.builder("p", "s").port(8081).build(), WEB));
        assertEquals("port 8081 asked for by p/s is excluded by this manager's configuration; ask for another port",
                excluded.getMessage());
        RefusedArgumentException system = assertThrows(RefusedArgumentException.class, () -> policy.candidates(
                AllocationRequest.builder("p", "s").port(80).build(), null));
        assertEquals("port 80 asked for by p/s is a system port (below 1024) and no range includes it; define a range "
                + "that includes it, or call allowSystemPorts() on the builder", system.getMessage());
        assertEquals(RefusedArgumentException.Remedy.RANGE_INCLUDING_PORT, system.remedy());
        assertEquals("80", system.subject());
        assertEquals(80, policy.candidates(AllocationRequest.builder("p", "s").port(80).build(), HTTP).first());
        assertEquals(80, linux().allowSystemPorts().build().candidates(
                AllocationRequest.builder("p", "s").port(80).build(), null).first());
    }

    @Test
    void candidates_preferredPort_isTriedFirst_droppedWhenExcluded_andMustLieInTheRange() {
        RangePolicy policy = linux().exclude(8085).build();
        assertEquals(8090, policy.candidates(AllocationRequest.builder("p", "web").preferredPort(8090).build(), WEB)
                .preferred().getAsInt());
        assertTrue(policy.candidates(AllocationRequest.builder("p", "web").preferredPort(8085).build(), WEB)
                .preferred().isEmpty());
        RefusedArgumentException e = assertThrows(RefusedArgumentException.class, () -> policy.candidates(
                AllocationRequest.builder("p", "web").preferredPort(3000).build(), WEB));
        assertEquals("preferred port 3000 of p/web is outside range 'web' 8080-8099; name the range that holds it with "
                + "range(...), or ask for it exactly with port(3000)", e.getMessage());
        assertEquals("preferred port 3000 of p/web is outside range 'web' 8080-8099", e.problem());
        assertEquals(RefusedArgumentException.Remedy.NAME_RANGE_OR_ASK_EXACTLY, e.remedy());
    }

    @Test
    void candidates_alternatives_followThePreferredPortInTheirOrder_skipExcluded_andMustLieInTheRange() {
        RangePolicy policy = linux().exclude(8085).build();
        Candidates c = policy.candidates(AllocationRequest.builder("p", "web").preferredPort(8090)
                .alternatives(8095, 8085, 8081).build(), WEB);
        int[] order = new int[6];
        PrimitiveIterator.OfInt it = c.iterator();
        for (int i = 0; i < order.length; i++) {
            order[i] = it.nextInt();
        }
        assertArrayEquals(new int[] {8090, 8095, 8081, 8080, 8082, 8083}, order,
                "preferred, alternatives (8085 excluded), then the rest of the range without those tried");
        Candidates only = policy.candidates(AllocationRequest.builder("p", "web").preferredPort(8090)
                .alternatives(8095, 8085).alternativesOnly().build(), WEB);
        PrimitiveIterator.OfInt listed = only.iterator();
        assertEquals(8090, listed.nextInt());
        assertEquals(8095, listed.nextInt());
        assertFalse(listed.hasNext(), "alternatives only: nothing after them");
        assertTrue(only.allows(8095));
        assertFalse(only.allows(8081), "a port of the range that is not listed");
        RefusedArgumentException e = assertThrows(RefusedArgumentException.class, () -> policy.candidates(
                AllocationRequest.builder("p", "web").preferredPort(8090).alternatives(8091, 12001).build(), WEB));
        assertEquals("alternative port 12001 of p/web is outside range 'web' 8080-8099", e.problem());
        assertEquals("12001", e.subject());
    }

    @Test
    void allocationRequest_alternatives_areCheckedAsGiven() {
        assertEquals("alternative port 70000 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class,
                        () -> AllocationRequest.builder("p", "s").alternatives(8001, 70000)).getMessage());
        assertEquals("alternative port 8001 is given twice; name each once", assertThrows(
                IllegalArgumentException.class,
                () -> AllocationRequest.builder("p", "s").alternatives(8001, 8002, 8001)).getMessage());
        assertEquals("port 8000 is asked for exactly, so alternatives [8001] would never be tried; ask with "
                + "preferredPort(8000) instead", assertThrows(IllegalStateException.class,
                () -> AllocationRequest.builder("p", "s").port(8000).alternatives(8001).build()).getMessage());
        assertEquals("alternative port 8000 is the preferred port; leave it out of the alternatives",
                assertThrows(IllegalStateException.class, () -> AllocationRequest.builder("p", "s")
                        .preferredPort(8000).alternatives(8001, 8000).build()).getMessage());
        assertEquals("alternativesOnly limits the request to its alternatives, but none were given; name them with "
                + "alternatives(...)", assertThrows(IllegalStateException.class,
                () -> AllocationRequest.builder("p", "s").alternativesOnly().build()).getMessage());
        AllocationRequest r = AllocationRequest.builder("p", "s").preferredPort(8000).alternatives(8001, 8002)
                .alternativesOnly().build();
        assertEquals(List.of(8001, 8002), r.toBuilder().build().alternatives());
        assertTrue(r.toBuilder().build().alternativesOnly());
    }

    // ---- search order ----

    @Test
    void spread_startsAtRandomPointsOfTheRange() {
        RangePolicy policy = linux().order(SearchOrder.SPREAD).build();
        PortRange wide = PortRange.of("wide", 10000, 19999);
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int start = policy.candidates(req("p", "s" + i), wide).startAt();
            assertTrue(wide.contains(start));
            starts.add(start);
        }
        assertTrue(starts.size() > 40, "50 random starts in 10,000 ports: " + starts.size() + " distinct");
    }

    @Test
    void spreadAndSticky_startOnAllowedPorts_soAnExcludedBlockFunnelsNoSearchToItsEnd() {
        RangePolicy spread = linux().order(SearchOrder.SPREAD).build();
        int[] lowestCount = new int[1];
        for (int i = 0; i < 2000; i++) {
            Candidates c = spread.candidates(req("claims", "s" + i), null);
            assertTrue(c.allows(c.startAt()), "start " + c.startAt() + " is excluded");
            if (c.startAt() == 1024 || c.startAt() == 61000) {
                lowestCount[0]++;
            }
        }
        assertTrue(lowestCount[0] < 10, "the ports after excluded blocks drew " + lowestCount[0] + " of 2000 starts");
        RangePolicy sticky = linux().order(SearchOrder.STICKY).build();
        Candidates c = sticky.candidates(req("consilio", "api"), null);
        assertTrue(c.allows(c.startAt()));
        assertEquals(c.startAt(), sticky.candidates(req("consilio", "api"), null).startAt());
    }

    @Test
    void sticky_startsAtTheSamePortForTheSameServiceOnEveryMachine() {
        PortRange wide = PortRange.of("wide", 10000, 19999);
        RangePolicy one = linux().order(SearchOrder.STICKY).build();
        RangePolicy other = RangePolicy.builder().order(SearchOrder.STICKY).build();
        int start = one.candidates(req("consilio", "api"), wide).startAt();
        assertEquals(start, other.candidates(req("consilio", "api"), wide).startAt());
        assertEquals(10000 + Math.floorMod(RangePolicy.stableHash("consilio\0api"), 10000), start);
        assertEquals(0x4B6322C9, RangePolicy.stableHash("consilio\0api"), "FNV-1a 32 (checked against an independent implementation) must never change: it moves ports");
        assertTrue(start != one.candidates(req("consilio", "web"), wide).startAt());
    }

    @Test
    void requestSearchOrder_overridesThePolicys() {
        Candidates c = linux().build().candidates(AllocationRequest.builder("consilio", "api")
                .searchOrder(SearchOrder.STICKY).build(), PortRange.of("wide", 10000, 19999));
        assertEquals(SearchOrder.STICKY, c.order());
    }

    // ---- checks ----

    @Test
    void checkRange_refusesARangeWhollyInTheAvoidedEphemeralRange() {
        RefusedArgumentException e = assertThrows(RefusedArgumentException.class,
                () -> linux().build().checkRange(PortRange.of("eph", 40000, 40010)));
        assertEquals(RefusedArgumentException.Remedy.RANGE_BELOW_EPHEMERAL, e.remedy());
        assertEquals("32768", e.subject());
        assertEquals("range 'eph' 40000-40010 lies wholly in the OS ephemeral range 32768-60999, which is avoided, so "
                + "none of its ports could be allocated; move the range below 32768 or turn avoidEphemeralRange off",
                e.getMessage());
        linux().avoidEphemeralRange(false).build().checkRange(PortRange.of("eph", 40000, 40010));
        linux().build().checkRange(PortRange.of("straddles", 32000, 33000));
    }

    @Test
    void admits_isFalseOnlyForARangeWhollyInTheAvoidedEphemeralRange() {
        RangePolicy policy = linux().build();
        assertFalse(policy.admits(PortRange.of("eph", 40000, 40010)));
        assertTrue(policy.admits(PortRange.of("straddles", 32000, 33000)));
        assertTrue(policy.admits(WEB));
        assertTrue(linux().avoidEphemeralRange(false).build().admits(PortRange.of("eph", 40000, 40010)));
    }

    @Test
    void excludedOutsideRanges_isExcludedInPlusTheSystemPorts_unlessAllowed() {
        RangePolicy policy = linux().exclude(1500).build();
        BitSet refused = policy.excludedOutsideRanges(1000, 32770);
        assertEquals(24, refused.get(1000, 1024).cardinality(), "1000-1023 are system ports");
        BitSet above = (BitSet) refused.clone();
        above.clear(0, 1024);
        BitSet expected = new BitSet();
        expected.set(1500);
        expected.set(32768, 32771);
        assertEquals(expected, above);
        assertEquals(expected, policy.excludedIn(PortRange.of("r", 1024, 32770)));
        assertEquals(new BitSet(), linux().allowSystemPorts().build().excludedOutsideRanges(1000, 1100));
        assertEquals("span 2000-1000 ends before it starts", assertThrows(IllegalArgumentException.class,
                () -> policy.excludedOutsideRanges(2000, 1000)).getMessage());
    }

    @Test
    void projectBlocks_mustBeAWholeNumberOfBlocks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RangePolicy.builder().projectBlocks(3000, 3549, 100));
        assertEquals("project blocks 3000-3549 hold 550 ports, not a whole number of blocks of 100; the last 50 would "
                + "never be used: end the span at 3499 or 3599", e.getMessage());
        assertEquals("project block size 0 does not fit 3000-3099 (100 ports); give a size from 1 to 100",
                assertThrows(IllegalArgumentException.class, () -> RangePolicy.builder().projectBlocks(3000, 3099, 0))
                        .getMessage());
    }

    @Test
    void builder_refusesAnOptionSetTwice_andConflictingOptions() {
        assertEquals("search order was already set to SPREAD", assertThrows(IllegalStateException.class,
                () -> RangePolicy.builder().order(SearchOrder.SPREAD).order(SearchOrder.STICKY)).getMessage());
        assertEquals("allowSystemPorts was already set", assertThrows(IllegalStateException.class,
                () -> RangePolicy.builder().allowSystemPorts().allowSystemPorts()).getMessage());
        assertThrows(IllegalStateException.class, () -> RangePolicy.builder().avoidEphemeralRange(true)
                .avoidEphemeralRange(false));
        assertThrows(IllegalStateException.class, () -> RangePolicy.builder().defaultRange("web")
                .projectBlocks(3000, 3999, 100));
        assertThrows(IllegalStateException.class, () -> RangePolicy.builder().projectBlocks(3000, 3999, 100)
                .defaultRange("web"));
        assertEquals("excluded port 70000 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> RangePolicy.builder().exclude(1, 70000))
                        .getMessage());
    }
}
