package dev.portmanager.junit;

import dev.portmanager.Allocation;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortClaim;
import dev.portmanager.PortRange;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads of one JVM claiming from one small range at once: POSIX locks belong to the process, so it is the JVM's
 * own guard that keeps two of its claims off one port.
 */
class FreePortsThreadsTest {
    @Test
    @Timeout(120)
    void eightThreadsClaimingARangeDryAtOnce_neverGetOnePortTwice() throws Exception {
        int first = FreeSpan.find(120);
        String range = "threads-" + first;
        FreePorts.registry().defineRange(PortRange.of(range, first, first + 119));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<PortClaim> all = new ArrayList<>();
        try {
            List<Future<List<PortClaim>>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(pool.submit((Callable<List<PortClaim>>) () -> {
                    go.await();
                    List<PortClaim> mine = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        mine.add(FreePorts.claim(range));
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (Future<List<PortClaim>> f : threads) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            Set<Integer> ports = all.stream().map(PortClaim::port).collect(Collectors.toSet());
            assertEquals(120, all.size());
            assertEquals(120, ports.size(), "no port twice");
            assertTrue(ports.stream().allMatch(p -> p >= first && p < first + 120), ports.toString());
            NoFreePortException full = assertThrows(NoFreePortException.class, () -> FreePorts.claim(range));
            assertEquals("no free TCP port in range '" + range + "' " + first + "-" + (first + 119) + " on localhost: "
                    + "120 allocated, 0 busy, 0 excluded; widen the range or release one", full.getMessage());
            Set<Integer> listed = new HashSet<>();
            for (Allocation a : FreePorts.claims()) {
                if (ports.contains(a.port())) {
                    assertEquals(ProcessHandle.current().pid(), a.owner().orElseThrow().pid());
                    assertEquals(range, a.range().orElseThrow());
                    listed.add(a.port());
                }
            }
            assertEquals(ports, listed, "every claim listed, with this JVM as owner");
        } finally {
            pool.shutdownNow();
            all.forEach(PortClaim::close);
        }
        assertTrue(FreePorts.claims().stream().noneMatch(a -> a.range().orElse("").equals(range)),
                "closed claims are released");
    }
}
