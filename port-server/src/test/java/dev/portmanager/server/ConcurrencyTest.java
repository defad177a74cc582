package dev.portmanager.server;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 32 HTTP clients allocating and releasing against one server while another JVM allocates straight into the same
 * JSON registry: no port is handed out twice, nothing is lost.
 */
class ConcurrencyTest {
    private static final int CLIENTS = 32;
    private static final int EACH = 4;
    private static final int OTHER = 20;

    @TempDir
    Path dir;

    @Test
    void thirtyTwoClientsAndAnotherJvm_neverShareAPort_andLoseNothing() throws Exception {
        try (TestServer t = TestServer.start(dir, 200, b -> b.token(TestServer.TOKEN).threads(32))) {
            Map<String, Integer> handedOut = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            Process other = OtherProcess.start(t.storeUri(), "direct", "srv", "svc", OTHER, true);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < EACH; i++) {
                        String service = "c" + client + "-" + i;
                        TestServer.Response r = t.post("/allocate", "{\"project\": \"load\", \"service\": \""
                                + service + "\", \"range\": \"srv\", \"search_order\": \"lowest-first\"}");
                        assertEquals(201, r.status(), r.body());
                        handedOut.put(service, r.json().get("port").asInt());
                        if (i % 2 == 1) {
                            TestServer.Response released = t.write("DELETE", "/services/load/" + service, null);
                            assertEquals("{\"target\":\"load/" + service + "\",\"released\":true}",
                                    released.json().toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(5, TimeUnit.MINUTES);
            }
            List<Integer> direct = OtherProcess.ports(other);
            pool.shutdown();

            List<Allocation> live = t.pm.list(AllocationQuery.all());
            Map<String, Integer> livePorts = new HashMap<>();
            Set<Integer> distinct = new HashSet<>();
            for (Allocation a : live) {
                livePorts.put(a.project() + "/" + a.service(), a.port());
                assertTrue(distinct.add(a.port()), "port " + a.port() + " is allocated twice: " + live);
            }
            for (int c = 0; c < CLIENTS; c++) {
                for (int i = 0; i < EACH; i++) {
                    String service = "c" + c + "-" + i;
                    assertEquals(i % 2 == 1 ? null : handedOut.get(service), livePorts.get("load/" + service),
                            service);
                }
            }
            for (int i = 0; i < OTHER; i++) {
                assertEquals(i % 2 == 1 ? null : direct.get(i), livePorts.get("direct/svc-" + i), "svc-" + i);
            }
            assertEquals(CLIENTS * EACH / 2 + OTHER / 2, live.size());
            assertEachPortHeldByOneAtATime(t.pm.history(HistoryQuery.builder().limit(100_000).build()));
        }
    }

    /** In the history, a port is never allocated again before it was released. */
    private static void assertEachPortHeldByOneAtATime(List<HistoryEntry> history) {
        Map<Integer, String> holder = new HashMap<>();
        int allocations = 0;
        for (HistoryEntry e : history) {
            String who = e.project() + "/" + e.service();
            if (e.action() == HistoryAction.ALLOCATED) {
                allocations++;
                String before = holder.put(e.port(), who);
                assertEquals(null, before, "port " + e.port() + " handed to " + who + " while " + before
                        + " held it");
            } else if (e.action() == HistoryAction.RELEASED) {
                assertEquals(who, holder.remove(e.port()), "port " + e.port() + " released by a non-holder");
            }
        }
        assertEquals(CLIENTS * EACH + OTHER, allocations);
    }
}
