package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.Protocol;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Registry#ORDER}, written out as a class for start-up (issue 20), orders as the comparator chain it replaced. */
class RegistryOrderTest {
    private static final Comparator<Allocation> CHAIN = Comparator.comparing(Allocation::host)
            .thenComparingInt(Allocation::port).thenComparing(Allocation::protocol)
            .thenComparing(Allocation::project).thenComparing(Allocation::service)
            .thenComparing(Allocation::environment);

    @Test
    void order_isHostPortProtocolProjectServiceEnvironment_asTheComparatorChain() {
        Random random = new Random(20);
        String[] names = {"a", "b", "ab", "B"};
        List<Allocation> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(Allocation.builder().id("id-" + i).host(names[random.nextInt(4)]).port(3000 + random.nextInt(3))
                    .protocol(Protocol.values()[random.nextInt(Protocol.values().length)])
                    .project(names[random.nextInt(4)]).service(names[random.nextInt(4)])
                    .environment(names[random.nextInt(4)]).allocatedAt(Instant.EPOCH).allocatedBy("me@here").build());
        }
        for (Allocation a : all) {
            for (Allocation b : all) {
                assertEquals(Integer.signum(CHAIN.compare(a, b)), Integer.signum(Registry.ORDER.compare(a, b)),
                        a + " against " + b);
            }
        }
        List<Allocation> sorted = new ArrayList<>(all);
        sorted.sort(Registry.ORDER);
        List<Allocation> expected = new ArrayList<>(all);
        expected.sort(CHAIN);
        assertEquals(expected, sorted);
    }
}
