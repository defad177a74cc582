package dev.portmanager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PrimitiveIterator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CandidatesTest {

    private static List<Integer> walk(Candidates c) {
        List<Integer> out = new ArrayList<>();
        PrimitiveIterator.OfInt it = c.iterator();
        while (it.hasNext()) {
            out.add(it.nextInt());
        }
        return out;
    }

    private static BitSet bits(int... ports) {
        BitSet b = new BitSet();
        for (int p : ports) {
            b.set(p);
        }
        return b;
    }

    @Test
    void iterator_lowestFirst_walksTheSpanInOrder() {
        assertEquals(List.of(100, 101, 102, 103), walk(new Candidates("r", 100, 103, 100, 0, false, new BitSet(),
                SearchOrder.LOWEST_FIRST)));
    }

    @Test
    void iterator_fromAStartPoint_wrapsAround() {
        assertEquals(List.of(102, 103, 100, 101), walk(new Candidates("r", 100, 103, 102, 0, false, new BitSet(),
                SearchOrder.SPREAD)));
    }

    @Test
    void iterator_triesThePreferredPortFirst_andNeverTwice() {
        assertEquals(List.of(102, 100, 101, 103), walk(new Candidates("r", 100, 103, 100, 102, false, new BitSet(),
                SearchOrder.LOWEST_FIRST)));
    }

    @Test
    void iterator_skipsExcludedPorts_includingAnExcludedPreferredOne() {
        Candidates c = new Candidates("r", 100, 105, 103, 101, false, bits(101, 104), SearchOrder.SPREAD);
        assertEquals(List.of(103, 105, 100, 102), walk(c));
        assertEquals(2, c.excludedCount());
    }

    @Test
    void exact_yieldsItsPortOnly_andNothingOnceExcluded() {
        assertEquals(List.of(8080), walk(Candidates.exactly(8080, "web")));
        assertEquals(List.of(), walk(Candidates.exactly(8080, "web").exclude(bits(8080))));
    }

    @Test
    void exclude_addsToTheExclusions_andDropsAnExcludedPreference() {
        Candidates c = new Candidates("r", 100, 103, 100, 101, false, new BitSet(), SearchOrder.LOWEST_FIRST)
                .exclude(bits(101, 103, 999));
        assertEquals(List.of(100, 102), walk(c));
        assertEquals(2, c.excludedCount(), "ports outside the span are not counted");
        assertEquals("[101, 103]", java.util.Arrays.toString(c.excludedPorts()));
    }
}
