package dev.portmanager.junit;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.ClaimRegistry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM in a PID namespace of its own (unshare -p, as a container sharing the host's network and /tmp) and JVMs
 * outside it share one claim registry: the host name is the same, but a pid of the namespace names another process
 * outside it; the kernel's locks hold across namespaces, so the inside claims hold for the outside, with no pid judged.
 */
class PidNamespaceClaimTest {
    @TempDir
    Path tmp;

    private static void assumeUnshare() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "PID namespaces are Linux's");
        String out;
        int exit;
        try {
            Process p = new ProcessBuilder("unshare", "-p", "--kill-child", "--mount-proc", "true")
                    .redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            exit = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            out = e.getMessage();
            exit = -1;
        }
        Assumptions.assumeTrue(exit == 0, "this machine does not let the build make a PID namespace (unshare -p "
                + "--mount-proc needs root or CAP_SYS_ADMIN): " + out);
    }

    /** {@code ClaimMain count ns} on the registry, in a PID namespace of its own when asked. */
    private static Process claimer(boolean ownNamespace, Path registry, int count) throws IOException {
        List<String> command = new ArrayList<>();
        if (ownNamespace) {
            command.addAll(List.of("unshare", "-p", "--kill-child", "--mount-proc"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Dportmanager.claims=json:" + registry,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ClaimMain.class.getName(), String.valueOf(count), "ns"));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void finish(Process p) throws Exception {
        try (OutputStream in = p.getOutputStream()) {
            in.write('\n');
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @Test
    @Timeout(180)
    void claimsInAndOutsideAPidNamespace_neverShareAPort_andTheOutsideNeverReclaimsTheInsideOnes() throws Exception {
        assumeUnshare();
        Path registry = tmp.resolve("claims.json");
        int first = FreeSpan.find(8);
        try (PortManager pm = PortManager.builder().store("json:" + registry).range("ns", first, first + 7).build()) {
            assertEquals(0, pm.list(AllocationQuery.all()).size());
        }
        Process inside = claimer(true, registry, 4);
        Process outside = claimer(false, registry, 4);
        try {
            CompletableFuture<List<Integer>> in = CompletableFuture.supplyAsync(() -> read(inside));
            List<Integer> out = ClaimMain.ports(outside);
            List<Integer> all = new ArrayList<>(in.get(120, TimeUnit.SECONDS));
            assertEquals(4, all.size(), "the JVM in its own namespace claimed 4: " + all);
            assertEquals(4, out.size(), "the JVM outside claimed 4: " + out);
            all.addAll(out);
            Set<Integer> distinct = new HashSet<>(all);
            assertEquals(8, distinct.size(), "no port twice: " + all);

            ClaimRegistry claims = ClaimRegistry.open("json:" + registry);
            NoFreePortException full = assertThrows(NoFreePortException.class, () -> claims.claim("ns"));
            assertTrue(full.getMessage().startsWith("no free TCP port in range 'ns'"), full.getMessage());
            List<Allocation> held = claims.claims();
            assertEquals(distinct, held.stream().map(Allocation::port).collect(Collectors.toSet()));
            long inNamespace = held.stream()
                    .filter(a -> a.owner().orElseThrow().toString().matches("pid \\d+ on .+ in PID namespace \\d+"))
                    .count();
            assertEquals(4, inNamespace, held.toString());
            finish(inside);
            finish(outside);
            assertEquals(List.of(), claims.claims(), "closed claims are released");
        } finally {
            inside.destroyForcibly();
            outside.destroyForcibly();
        }
    }

    private static List<Integer> read(Process p) {
        try {
            return ClaimMain.ports(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
