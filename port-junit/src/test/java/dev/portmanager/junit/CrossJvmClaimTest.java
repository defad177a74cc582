package dev.portmanager.junit;

import dev.portmanager.Allocation;
import dev.portmanager.ClaimRegistry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortClaim;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
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
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs on the default claim registry: their claims never overlap, each sees the others' through the kernel's
 * locks and the claim records, and a killed JVM's claims come back.
 */
class CrossJvmClaimTest {
    @TempDir
    Path tmp;

    /**
     * A JVM whose java.io.tmpdir is this test's folder (and no XDG_RUNTIME_DIR), so its default claim registry is this
     * test's too; {@code ClaimMain count [range]}.
     */
    private Process start(int count, String... range) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ClaimMain.class.getName(), String.valueOf(count)));
        command.addAll(List.of(range));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("XDG_RUNTIME_DIR");
        return pb.start();
    }

    /** The default claim registry of the JVMs {@link #start} starts. */
    private String uri() {
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        return "json:" + tmp.resolve("portmanager-" + user).resolve("claims.json");
    }

    /** Defines a range of {@code size} ports that are free now in the registry; returns its first port. */
    private int defineRange(String name, int size) {
        int first = FreeSpan.find(size);
        try (PortManager pm = PortManager.builder().store(uri()).range(name, first, first + size - 1).build()) {
            assertEquals(first, pm.ranges().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow()
                    .start());
        }
        return first;
    }

    /** Reads what each JVM claimed, asserting each claimed {@code each}; all ports, JVM by JVM. */
    private static List<List<Integer>> claimed(List<Process> jvms, int each) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(jvms.size());
        try {
            List<Future<List<Integer>>> claimed = new ArrayList<>();
            for (Process p : jvms) {
                claimed.add(readers.submit(() -> ClaimMain.ports(p)));
            }
            List<List<Integer>> all = new ArrayList<>();
            for (Future<List<Integer>> f : claimed) {
                List<Integer> ports = f.get(300, TimeUnit.SECONDS);
                assertEquals(each, ports.size(), "ports claimed by one JVM: " + ports);
                all.add(ports);
            }
            return all;
        } finally {
            readers.shutdownNow();
        }
    }

    private static void finish(List<Process> jvms) throws Exception {
        for (Process p : jvms) {
            try (OutputStream in = p.getOutputStream()) {
                in.write('\n');
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    @Timeout(300)
    void fourJvmsClaimingTwoHundredEachAtOnce_neverShareAPort() throws Exception {
        List<Process> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                jvms.add(start(200));
            }
            Set<Integer> all = new HashSet<>();
            claimed(jvms, 200).forEach(all::addAll);
            assertEquals(800, all.size(), "all 800 claims held at once, no port twice");
            ClaimRegistry registry = ClaimRegistry.open(uri());
            List<Allocation> listed = registry.claims();
            assertEquals(all, listed.stream().map(Allocation::port).collect(Collectors.toSet()));
            assertEquals(jvms.stream().map(Process::pid).collect(Collectors.toSet()),
                    listed.stream().map(a -> a.owner().orElseThrow().pid()).collect(Collectors.toSet()),
                    "each claim names the JVM that holds it");
            assertTrue(listed.stream().allMatch(a -> a.project().equals("claims")), listed.toString());
            finish(jvms);
            assertEquals(List.of(), registry.claims(), "closed claims are released");
        } finally {
            jvms.forEach(Process::destroyForcibly);
        }
    }

    @Test
    @Timeout(300)
    void fourJvmsClaimingMostOfOneSmallRangeAtOnce_shareNoPort() throws Exception {
        int first = defineRange("small", 100);
        List<Process> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                jvms.add(start(24, "small"));
            }
            List<Integer> all = new ArrayList<>();
            claimed(jvms, 24).forEach(all::addAll);
            assertEquals(96, new HashSet<>(all).size(), "no port twice: " + all);
            assertTrue(all.stream().allMatch(p -> p >= first && p < first + 100), all.toString());
            assertEquals(new TreeSet<>(all), ClaimRegistry.open(uri()).claims().stream().map(Allocation::port)
                    .collect(Collectors.toCollection(TreeSet::new)));
            finish(jvms);
        } finally {
            jvms.forEach(Process::destroyForcibly);
        }
    }

    @Test
    @Timeout(120)
    void aJvmKilledWhileHoldingClaims_givesItsPortsToTheNextClaimant() throws Exception {
        int first = defineRange("kill", 20);
        Process jvm = start(20, "kill");
        List<PortClaim> taken = new ArrayList<>();
        try {
            Set<Integer> held = new TreeSet<>(ClaimMain.ports(jvm));
            assertEquals(20, held.size());
            ClaimRegistry registry = ClaimRegistry.open(uri());
            NoFreePortException full = assertThrows(NoFreePortException.class, () -> registry.claim("kill"),
                    "a live JVM's claims hold");
            assertEquals("no free TCP port in range 'kill' " + first + "-" + (first + 19) + " on localhost: 20 "
                    + "allocated, 0 busy, 0 excluded; widen the range or release one", full.getMessage());
            assertFalse(registry.lock(first), "the JVM's lock holds");
            new ProcessBuilder("kill", "-9", String.valueOf(jvm.pid())).start().waitFor();
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) {
                taken.add(registry.claim("kill"));
            }
            assertEquals(held, taken.stream().map(PortClaim::port).collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(held, registry.claims().stream().map(Allocation::port)
                    .collect(Collectors.toCollection(TreeSet::new)), "the dead JVM's records are replaced by ours");
            assertTrue(registry.claims().stream().allMatch(a -> a.owner().orElseThrow().pid()
                    == ProcessHandle.current().pid()));
        } finally {
            taken.forEach(PortClaim::close);
            jvm.destroyForcibly();
        }
    }
}
