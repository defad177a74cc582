package dev.portmanager.store.jdbc;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One H2 file registry used by several processes at once, as four {@code portman --store jdbc:h2:file:... get}
 * started together use it: real JVMs, each opening the store from the URI (so in H2's automatic mixed mode).
 */
class H2AcrossProcessesTest {
    private static final int JVMS = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void getOrAllocate_fromFourProcessesAtOnce_allSucceedWithNoPortTwice() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("ports");
        Path go = dir.resolve("go");
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        try {
            for (int i = 0; i < JVMS; i++) {
                Process p = java(AllocateMain.class, url, "svc-" + i, go.toString());
                children.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outs) {
                assertEquals("ready", out.readLine(), "a child did not start");
            }
            Files.createFile(go);
            Set<Integer> own = new HashSet<>();
            Set<Integer> shared = new HashSet<>();
            for (int i = 0; i < JVMS; i++) {
                String rest = readAll(outs.get(i));
                assertTrue(children.get(i).waitFor(120, TimeUnit.SECONDS), "child " + i + " hangs: " + rest);
                assertEquals(0, children.get(i).exitValue(), "child " + i + ": " + rest);
                String[] ports = rest.strip().split(" ");
                own.add(Integer.parseInt(ports[0]));
                shared.add(Integer.parseInt(ports[1]));
            }
            assertEquals(JVMS, own.size(), "each process's own service on a port of its own: " + own);
            assertEquals(1, shared.size(), "the shared service on one port: " + shared);
            assertTrue(!own.contains(shared.iterator().next()), "the shared port is also an own port: " + own);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    @Test
    @Timeout(120)
    void open_whileAProcessHoldsTheFileWithoutMixedMode_waitsThenNamesTheFile() throws Exception {
        Path file = dir.resolve("held");
        Process holder = java(HoldMain.class, "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("held", out.readLine(), "the holder did not open the file");
            String url = "jdbc:h2:file:" + file;
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> JdbcStore.open(url, JdbcStoreConfig.defaults()));
            assertTrue(e.getMessage().startsWith(url + ": the H2 database file is held by another process (Database "
                    + "may be already in use: \"" + file + ".mv.db\"."), e.getMessage());
            assertTrue(e.getMessage().endsWith(", SQLSTATE 90020), still after 10 s; if that process opened it without "
                    + "AUTO_SERVER=TRUE, stop it, or let every process open the file in H2's mixed mode (the store adds "
                    + "AUTO_SERVER=TRUE unless the URL sets AUTO_SERVER, FILE_LOCK or ACCESS_MODE_DATA)"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void effectiveUrl_addsTheMixedModeToFileDatabasesOnly() {
        assertEquals("jdbc:h2:file:/r/ports;AUTO_SERVER=TRUE", UriPool.effectiveUrl("jdbc:h2:file:/r/ports"));
        assertEquals("jdbc:h2:./ports;MODE=PostgreSQL;AUTO_SERVER=TRUE",
                UriPool.effectiveUrl("jdbc:h2:./ports;MODE=PostgreSQL"));
        for (String kept : List.of("jdbc:h2:mem:ports", "jdbc:h2:tcp://db/ports", "jdbc:h2:file:/r/p;auto_server=false",
                "jdbc:h2:/r/p;FILE_LOCK=NO", "jdbc:h2:/r/p;ACCESS_MODE_DATA=r", "jdbc:postgresql://db/ports")) {
            assertEquals(kept, UriPool.effectiveUrl(kept));
        }
    }

    private static String readAll(BufferedReader out) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            all.append(line).append('\n');
        }
        return all.toString();
    }

    private static Process java(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * {@code AllocateMain URL SERVICE GO}: says "ready", waits for the file GO, opens the store of the URL and prints
     * the ports of getOrAllocate for SERVICE and for the service all processes share.
     */
    public static final class AllocateMain {
        private AllocateMain() {
        }

        /** See the class. */
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.out.flush();
            Path go = Path.of(args[2]);
            while (!Files.exists(go)) {
                Thread.sleep(5);
            }
            try (PortManager pm = PortManager.builder().store(args[0]).probe((p, proto) -> true)
                    .range("procs", 32700, 32799).build()) {
                int own = pm.getOrAllocate(AllocationRequest.builder("h2", args[1]).range("procs").build()).port();
                int shared = pm.getOrAllocate(AllocationRequest.builder("h2", "shared").range("procs").build()).port();
                System.out.println(own + " " + shared);
            }
        }
    }

    /** {@code HoldMain URL}: opens the database, says "held", and keeps it open until its input closes. */
    public static final class HoldMain {
        private HoldMain() {
        }

        /** See the class. */
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0])) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Held until the parent closes our input.
                }
            }
        }
    }
}
