package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the schema itself holds every writer to, Java or not: Java's name rules (schema version 2), the upgrade from
 * version 1, readers that survive a row written past the rules, and a free list that survives TRUNCATE.
 * Ports 31400-31599.
 */
class SchemaRulesTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String ESCAPE = "\u001b[31mred";

    /** Bad (project, service) pairs, each with the message the schema gives (PostgreSQL). */
    private static final List<String[]> BAD = List.of(
            new String[] {ESCAPE, "api", "project '\\u001B[31mred' contains the control character U+001B at index 0; "
                    + "use printable characters only"},
            new String[] {"p", "two\nlines", "service 'two\\u000Alines' contains the control character U+000A at "
                    + "index 3; use printable characters only"},
            new String[] {"", "api", "project must not be blank (was ''); give a name such as 'api'"},
            new String[] {"p", " \u3000 ", "service must not be blank (was ' \u3000 '); give a name such as 'api'"},
            new String[] {"p", "api ", "service 'api ' has leading or trailing white space; remove it"});

    private static final String INSERT = "INSERT INTO port_allocations (id, port_number, protocol, hostname, "
            + "project_name, service_name, environment, status, allocated_at, allocated_by) "
            + "VALUES (?, ?, 'TCP', 'localhost', ?, ?, 'default', 'ACTIVE', CURRENT_TIMESTAMP, 'sql@test')";

    @Test
    void allocatePort_withANameJavaRefuses_isRefusedWithCheckViolationNamingValueAndRule() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("rules", 31400, 31409).build();
             Connection c = DriverManager.getConnection(url)) {
            for (String[] bad : BAD) {
                SQLException e = assertThrows(SQLException.class, () -> query(c,
                        "SELECT allocate_port(?, ?, 'rules')", bad[0], bad[1]), bad[2]);
                assertEquals("23514", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
            }
            SQLException host = assertThrows(SQLException.class, () -> query(c,
                    "SELECT allocate_port('p', 'api', 'rules', ?)", "db\u0007x"));
            assertEquals("23514", host.getSQLState());
            assertTrue(host.getMessage().contains("host 'db\\u0007x' contains the control character U+0007"),
                    host.getMessage());
            assertEquals(List.of(), pm.list(AllocationQuery.all()), "nothing was written");
            assertEquals(List.of(), pm.history(HistoryQuery.builder().build()));
        }
    }

    @Test
    void plainInsert_withANameJavaRefuses_isRefusedOnPostgres() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        JdbcStore.open(url, JdbcStoreConfig.defaults()).close();
        try (Connection c = DriverManager.getConnection(url)) {
            for (String[] bad : BAD) {
                SQLException e = assertThrows(SQLException.class, () -> insert(c, "bad", 31410, bad[0], bad[1]));
                assertEquals("23514", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
            }
            SQLException history = assertThrows(SQLException.class, () -> execute(c, "INSERT INTO "
                    + "port_allocation_history (created_at, action, port_number, protocol, hostname, project_name, "
                    + "service_name, environment, performed_by) VALUES (now(), 'ALLOCATED', 1, 'TCP', 'localhost', "
                    + "'p', 's', 'default', ' by')"));
            assertEquals("23514", history.getSQLState());
            assertTrue(history.getMessage().contains("by ' by' has leading or trailing white space"));
            insert(c, "good", 31410, "O'Brien 東京 \uD83D\uDE80", "a b");
        }
    }

    @Test
    void plainInsert_withANameJavaRefuses_isRefusedOnH2() throws Exception {
        String url = h2Url();
        JdbcStore.open(url, JdbcStoreConfig.defaults()).close();
        try (Connection c = DriverManager.getConnection(url)) {
            for (String[] bad : BAD) {
                SQLException e = assertThrows(SQLException.class, () -> insert(c, "bad", 31420, bad[0], bad[1]));
                assertEquals("23513", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().toLowerCase().contains("_name_is_a_name"), e.getMessage());
            }
            SQLException lone = assertThrows(SQLException.class,
                    () -> insert(c, "bad", 31420, "p", "half \uD800 pair"));
            assertEquals("23513", lone.getSQLState());
            insert(c, "good", 31420, "O'Brien 東京 \uD83D\uDE80", "a\u00a0b");
        }
    }

    @Test
    void badRowForcedIn_postgres_listAuditAndHistorySurviveIt() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        assertReadersSurviveABadRow(url, 31430, "port_check_name('project', project_name)) NOT VALID",
                "port_check_name('project', project_name)) NOT VALID");
    }

    @Test
    void badRowForcedIn_h2_listAuditAndHistorySurviveIt() throws Exception {
        String rule = "NOT REGEXP_LIKE(project_name, '^\\p{javaWhitespace}*$|^\\p{javaWhitespace}|"
                + "\\p{javaWhitespace}$|[\\p{Cc}\\p{Cs}\\u2028\\u2029]')) NOCHECK";
        assertReadersSurviveABadRow(h2Url(), 31440, rule, rule);
    }

    /** Drops the project rule, writes a bad allocation and history row, restores the rule, then reads. */
    private static void assertReadersSurviveABadRow(String url, int first, String allocationRule, String historyRule)
            throws Exception {
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("rules", first, first + 9).build();
             Connection c = DriverManager.getConnection(url)) {
            pm.allocate(AllocationRequest.builder("good", "api").range("rules").build());
            execute(c, "ALTER TABLE port_allocations DROP CONSTRAINT port_allocations_project_name_is_a_name");
            execute(c, "ALTER TABLE port_allocation_history DROP CONSTRAINT "
                    + "port_allocation_history_project_name_is_a_name");
            insert(c, "forced-row", first + 1, ESCAPE, "api");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO port_allocation_history (created_at, action, "
                    + "port_number, protocol, hostname, project_name, service_name, environment, performed_by, reason) "
                    + "VALUES (CURRENT_TIMESTAMP, 'ALLOCATED', ?, 'TCP', 'localhost', ?, 'api', 'default', 'sql', ?)")) {
                ps.setInt(1, first + 1);
                ps.setString(2, ESCAPE);
                ps.setString(3, "by hand\u001b]0;title\u0007\nsecond line");
                ps.execute();
            }
            execute(c, "ALTER TABLE port_allocations ADD CONSTRAINT port_allocations_project_name_is_a_name CHECK ("
                    + allocationRule);
            execute(c, "ALTER TABLE port_allocation_history ADD CONSTRAINT "
                    + "port_allocation_history_project_name_is_a_name CHECK (" + historyRule);

            List<Allocation> listed = pm.list(AllocationQuery.all());
            assertEquals(List.of("good"), listed.stream().map(Allocation::project).collect(Collectors.toList()));
            AuditReport audit = pm.audit();
            assertEquals(1, audit.allocated());
            List<HistoryEntry> history = pm.history(HistoryQuery.builder().build());
            assertEquals(2, history.size());
            HistoryEntry forced = history.get(1);
            assertEquals("\\u001B[31mred", forced.project());
            assertEquals("by hand\\u001B]0;title\\u0007\nsecond line", forced.reason());
            assertFalse(history.toString().contains("\u001b"), "no raw escape in " + history);
            assertEquals(first + 2, pm.allocate(AllocationRequest.builder("next", "api").range("rules").build())
                    .port(), "the bad row keeps holding its port");
        }
    }

    @Test
    void open_onASchemaVersion1Postgres_upgradesItAndKeepsItsRows() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        assertUpgrades(url, "schema-postgresql-v1.sql", 31450, "23514");
    }

    @Test
    void open_onASchemaVersion1H2_upgradesItAndKeepsItsRows() throws Exception {
        assertUpgrades(h2Url(), "schema-h2-v1.sql", 31460, "23513");
    }

    private static void assertUpgrades(String url, String v1Script, int first, String refused) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            for (String sql : Schema.statements(resource(v1Script))) {
                execute(c, sql);
            }
            execute(c, "INSERT INTO port_ranges (range_name, start_port, end_port) VALUES ('rules', " + first + ", "
                    + (first + 9) + ")");
            insert(c, "old-good", first, "old", "api");
            insert(c, "old-bad", first + 1, "old", "api ");
        }
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true).build();
             Connection c = DriverManager.getConnection(url)) {
            assertEquals(2, Schema.version(org.jdbi.v3.core.Jdbi.create(c).open()));
            assertEquals(List.of("old-good"), pm.list(AllocationQuery.all()).stream().map(Allocation::id)
                    .collect(Collectors.toList()), "the old bad row is skipped, the good one kept");
            assertEquals(first + 2, pm.allocate(AllocationRequest.builder("new", "api").range("rules").build())
                    .port());
            SQLException e = assertThrows(SQLException.class, () -> insert(c, "new-bad", first + 5, "new", "x\n"));
            assertEquals(refused, e.getSQLState(), e.getMessage());
        }
    }

    @Test
    void truncateCascade_postgres_freesTheWholeRangeAndCountsRight() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("trunc", 31500, 31504).build();
             Connection c = DriverManager.getConnection(url)) {
            for (int i = 0; i < 3; i++) {
                pm.allocate(AllocationRequest.builder("p", "s" + i).range("trunc").build());
            }
            execute(c, "TRUNCATE port_allocations CASCADE");
            assertFillsFromTheStart(pm, 31500, 31504);
            assertEquals(1, query(c, "SELECT release_port(31502)"));
            execute(c, "TRUNCATE port_slots");
            assertEquals(31502, pm.allocate(AllocationRequest.builder("p", "again").range("trunc").build()).port(),
                    "a truncated free list is rebuilt from the held allocations");
            assertEquals(1, query(c, "SELECT COUNT(*) FROM port_slots WHERE tcp_allocation IS NOT NULL "
                    + "AND port_number = 31500"));
        }
    }

    @Test
    void truncate_h2_freesTheWholeRange() throws Exception {
        String url = h2Url();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("trunc", 31510, 31514).build();
             Connection c = DriverManager.getConnection(url)) {
            for (int i = 0; i < 3; i++) {
                pm.allocate(AllocationRequest.builder("p", "s" + i).range("trunc").build());
            }
            execute(c, "TRUNCATE TABLE port_health_checks");
            execute(c, "SET REFERENTIAL_INTEGRITY FALSE");
            execute(c, "TRUNCATE TABLE port_allocations");
            execute(c, "SET REFERENTIAL_INTEGRITY TRUE");
            assertFillsFromTheStart(pm, 31510, 31514);
        }
    }

    /** The range, empty again, fills from its first port to its last, then counts every port allocated. */
    private static void assertFillsFromTheStart(PortManager pm, int first, int last) {
        for (int port = first; port <= last; port++) {
            assertEquals(port, pm.allocate(AllocationRequest.builder("after", "s" + port).range("trunc").build())
                    .port());
        }
        NoFreePortException full = assertThrows(NoFreePortException.class,
                () -> pm.allocate(AllocationRequest.builder("after", "one-more").range("trunc").build()));
        assertTrue(full.getMessage().contains(": " + (last - first + 1) + " allocated, 0 busy"), full.getMessage());
        assertEquals(last - first + 1, pm.list(AllocationQuery.all()).size());
    }

    private static void insert(Connection c, String id, int port, String project, String service)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, id);
            ps.setInt(2, port);
            ps.setString(3, project);
            ps.setString(4, service);
            ps.execute();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static int query(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SchemaRulesTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String h2Url() {
        return "jdbc:h2:mem:rules-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }
}
