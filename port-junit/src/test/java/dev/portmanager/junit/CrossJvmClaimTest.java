package dev.portmanager.junit;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Real JVMs on the default claim registry: their claims never overlap, and a killed JVM's claims come back. */
class CrossJvmClaimTest {
    @TempDir
    Path tmp;

    /**
     * A JVM whose java.io.tmpdir is this test's folder (and no XDG_RUNTIME_DIR), so its default claim registry is this
     * test's too.
     */
    private Process start(int count) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ClaimMain.class.getName(), String.valueOf(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("XDG_RUNTIME_DIR");
        return pb.start();
    }

    private PortManager registry() {
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        return PortManager.builder().store("json:" + tmp.resolve("portmanager-" + user).resolve("claims.json")).build();
    }

    @Test
    @Timeout(300)
    void fourJvmsClaimingTwoHundredEachAtOnce_neverShareAPort() throws Exception {
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jvms.add(start(200));
        }
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> claimed = new ArrayList<>();
            for (Process p : jvms) {
                claimed.add(readers.submit(() -> ClaimMain.ports(p)));
            }
            Set<Integer> all = new HashSet<>();
            int count = 0;
            for (Future<List<Integer>> f : claimed) {
                List<Integer> ports = f.get(300, TimeUnit.SECONDS);
                assertEquals(200, ports.size());
                all.addAll(ports);
                count += ports.size();
            }
            assertEquals(800, count);
            assertEquals(800, all.size(), "all 800 claims held at once, no port twice");
            try (PortManager registry = registry()) {
                assertEquals(800, registry.list(AllocationQuery.project("claims")).size());
            }
            for (Process p : jvms) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write('\n');
                }
                assertEquals(0, p.waitFor());
            }
            try (PortManager registry = registry()) {
                assertEquals(0, registry.list(AllocationQuery.project("claims")).size(), "closed claims are released");
            }
        } finally {
            readers.shutdownNow();
            jvms.forEach(Process::destroyForcibly);
        }
    }

    @Test
    @Timeout(120)
    void aJvmKilledWhileHoldingClaims_givesItsPortsBack() throws Exception {
        Process jvm = start(20);
        List<Integer> held = ClaimMain.ports(jvm);
        assertEquals(20, held.size());
        try (PortManager registry = registry()) {
            assertThrows(PortConflictException.class, () -> registry.claim(
                    AllocationRequest.builder("tests", "taker-0").port(held.get(0)).build()),
                    "a live JVM's claim holds");
            new ProcessBuilder("kill", "-9", String.valueOf(jvm.pid())).start().waitFor();
            jvm.waitFor(30, TimeUnit.SECONDS);
            for (int i = 0; i < held.size(); i++) {
                int port = held.get(i);
                assertEquals(port, registry.claim(AllocationRequest.builder("tests", "taker-" + i).port(port).build())
                        .port());
            }
        } finally {
            jvm.destroyForcibly();
        }
    }
}
