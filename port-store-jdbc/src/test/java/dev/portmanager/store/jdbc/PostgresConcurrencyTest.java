package dev.portmanager.store.jdbc;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java clients and psql sessions allocating from one range on one host at once: no port is handed out twice. */
class PostgresConcurrencyTest {
    private static final int JAVA_CLIENTS = 16;
    private static final int JAVA_EACH = 200;
    private static final int PSQL_LOOPS = 4;
    private static final int PSQL_EACH = 200;

    @Test
    @Timeout(300)
    void allocate_sixteenJavaConnectionsAndFourPsqlLoops_neverHandOutAPortTwice() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Path psql = Psql.find();
        String url = pg.newSchemaUrl();
        String schema = TestPostgres.schemaOf(url);
        Map<Integer, String> owners = new ConcurrentHashMap<>();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(JAVA_CLIENTS);
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.builder().poolSize(JAVA_CLIENTS).build());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .build()) {
            store.defineRange(PortRange.of("load", 20000, 29999));
            List<Path> scripts = new ArrayList<>();
            for (int loop = 0; loop < PSQL_LOOPS; loop++) {
                StringBuilder sql = new StringBuilder("SET search_path TO " + schema + ";\n");
                for (int i = 0; i < PSQL_EACH; i++) {
                    sql.append("SELECT allocate_port('psql', 'loop").append(loop).append('-').append(i)
                            .append("', 'load', 'localhost', 'tcp');\n");
                }
                Path script = Files.createTempFile("allocate-", ".sql");
                Files.writeString(script, sql.toString());
                scripts.add(script);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < JAVA_CLIENTS; t++) {
                String client = "java" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < JAVA_EACH; i++) {
                        String service = client + "-" + i;
                        int port = pm.allocate(AllocationRequest.builder("java", service).range("load").build())
                                .port();
                        String previous = owners.putIfAbsent(port, service);
                        if (previous != null) {
                            duplicates.add(port + ": " + previous + " and " + service);
                        }
                    }
                    return null;
                }));
            }
            List<Process> loops = new ArrayList<>();
            go.countDown();
            for (Path script : scripts) {
                loops.add(new ProcessBuilder(psql.toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-d", pg.psqlTarget, "-f", script.toString()).redirectErrorStream(true).start());
            }
            for (int loop = 0; loop < loops.size(); loop++) {
                Process p = loops.get(loop);
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(240, TimeUnit.SECONDS), "psql loop " + loop + " did not finish");
                assertEquals(0, p.exitValue(), "psql loop " + loop + " failed: " + out);
                int i = 0;
                for (String line : out.strip().split("\n")) {
                    String service = "loop" + loop + "-" + i++;
                    String previous = owners.putIfAbsent(Integer.parseInt(line.strip()), service);
                    if (previous != null) {
                        duplicates.add(line.strip() + ": " + previous + " and " + service);
                    }
                }
                assertEquals(PSQL_EACH, i, "ports printed by psql loop " + loop);
            }
            for (Future<?> f : done) {
                f.get(240, TimeUnit.SECONDS);
            }
            scripts.forEach(s -> s.toFile().delete());
        } finally {
            pool.shutdownNow();
        }
        int total = JAVA_CLIENTS * JAVA_EACH + PSQL_LOOPS * PSQL_EACH;
        assertEquals(List.of(), duplicates);
        assertEquals(total, owners.size());
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT port_number) FROM port_allocations "
                     + "WHERE released_at IS NULL")) {
            rs.next();
            assertEquals(total, rs.getInt(1), "allocations held");
            assertEquals(total, rs.getInt(2), "distinct ports held");
        }
    }

    /** Finds psql. */
    static final class Psql {
        private Psql() {
        }

        static Path find() {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dir, "psql");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            try {
                Optional<Path> psql = TestPostgres.binaries().map(b -> b.resolve("psql")).filter(Files::isExecutable);
                if (psql.isPresent()) {
                    return psql.get();
                }
            } catch (java.io.IOException e) {
                // reported as the abort below
            }
            Assumptions.abort("psql is not on the PATH nor beside the PostgreSQL binaries; install postgresql-client");
            throw new IllegalStateException("unreachable");
        }
    }
}
