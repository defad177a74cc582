package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** find_available_port, allocate_port and release_port, called as psql and other languages call them. */
class PostgresSqlFunctionsTest {
    private static final String TRICKY = "O'Brien\"; DROP TABLE port_allocations; -- 東京 \uD83D\uDE80";

    @Test
    void sqlFunctions_allocateFindAndRelease_likeJavaClients() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("fn", 32000, 32002).build();
             Connection c = DriverManager.getConnection(url)) {
            pm.allocate(AllocationRequest.builder("java", "api").range("fn").build());
            assertEquals(32001, call(c, "SELECT find_available_port(?, ?, ?)", "fn", "LOCALHOST", "tcp"));
            assertEquals(32001, call(c, "SELECT allocate_port(?, ?, ?, ?, ?)", TRICKY, TRICKY, "fn", "127.0.0.1",
                    "tcp"));
            assertEquals(32001, call(c, "SELECT allocate_port(?, ?, ?, ?, ?)", TRICKY, TRICKY, "fn", "localhost",
                    "tcp"), "allocate_port returns the port the service holds");
            Allocation fromSql = pm.find(TRICKY, TRICKY).orElseThrow();
            assertEquals(32001, fromSql.port());
            assertEquals("fn", fromSql.range().orElseThrow());
            assertEquals(32002, pm.allocate(AllocationRequest.builder("java", "web").range("fn").build()).port());

            SQLException full = assertThrows(SQLException.class,
                    () -> call(c, "SELECT allocate_port(?, ?, ?, ?, ?)", "p", "late", "fn", "localhost", "tcp"));
            assertEquals("53400", full.getSQLState());
            assertTrue(full.getMessage().contains("no free TCP port in range 'fn' 32000-32002 on localhost; widen the "
                    + "range or release one"), full.getMessage());

            assertEquals(1, call(c, "SELECT release_port(?, ?)", 32001, "localhost"));
            assertEquals(0, call(c, "SELECT release_port(?, ?)", 32001, "localhost"));
            assertTrue(pm.find(TRICKY, TRICKY).isEmpty());
            List<HistoryAction> actions = pm.history(HistoryQuery.builder().project(TRICKY).build()).stream()
                    .map(HistoryEntry::action).collect(Collectors.toList());
            assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.RELEASED), actions);
            assertEquals(32001, pm.allocate(AllocationRequest.builder("java", "next").range("fn").build()).port());
        }
    }

    @Test
    void allocatePort_reclaimsAnExpiredLeaseAsExpired() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        // A client clock two hours behind changes nothing: the lease ends by the database's clock, as now() sees it.
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true).clock(behind)
                     .range("lease", 32100, 32100).build();
             Connection c = DriverManager.getConnection(url)) {
            Allocation held = pm.reserve(AllocationRequest.builder("java", "held").range("lease").build(),
                    Duration.ofSeconds(1));
            DatabaseClockTest.awaitDatabasePast(c, held.expiresAt().orElseThrow());
            assertEquals(32100, call(c, "SELECT allocate_port(?, ?, ?, ?, ?)", "sql", "taker", "lease", "localhost",
                    "tcp"));
            List<Allocation> listed = store.list(AllocationQuery.all());
            assertEquals(List.of("taker"), listed.stream().map(Allocation::service).collect(Collectors.toList()));
            HistoryEntry expired = pm.history(HistoryQuery.builder().action(HistoryAction.EXPIRED).build()).get(0);
            assertEquals("held", expired.service());
            assertTrue(expired.reason().startsWith("lease expired at "), expired.reason());
        }
    }

    @Test
    void schemaScript_runByPsqlTwice_installsTheSameSchema() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Path psql = PostgresConcurrencyTest.Psql.find();
        String url = pg.newSchemaUrl();
        Path script = Files.createTempFile("schema-", ".sql");
        try {
            Files.writeString(script, "SET search_path TO " + TestPostgres.schemaOf(url) + ";\n"
                    + Schema.read(Dialect.POSTGRESQL.script()));
            for (int run = 1; run <= 2; run++) {
                Process p = new ProcessBuilder(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                        pg.psqlTarget, "-f", script.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), "run " + run + ": " + out);
            }
        } finally {
            Files.delete(script);
        }
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.builder().initializeSchema(false).build());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true).build()) {
            assertEquals(3000, pm.getOrAllocate("consilio", "api"));
        }
    }

    private static int call(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
