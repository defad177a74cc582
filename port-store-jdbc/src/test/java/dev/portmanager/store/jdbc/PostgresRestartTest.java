package dev.portmanager.store.jdbc;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's connections when the server goes away under them: a real {@code pg_ctl restart} of the test cluster,
 * and backends terminated between two calls. A call that meets a dead connection runs once more on a fresh one.
 */
class PostgresRestartTest {
    private static final int CALLS = 12;

    /** The store's pool, warmed to several connections by concurrent calls, so each of them dies in the restart. */
    @Test
    @Timeout(240)
    void getOrAllocate_afterAServerRestart_failsAtMostOnceAndNeverAfterThePoolNoticed() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("restart", 32400, 32499).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Integer> before = new ArrayList<>();
            try {
                List<Future<Integer>> warm = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    AllocationRequest r = request(i);
                    warm.add(pool.submit(() -> pm.getOrAllocate(r).port()));
                }
                for (Future<Integer> f : warm) {
                    before.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(CALLS, new HashSet<>(before).size(), "no port twice: " + before);

            pg.restart();

            List<String> failures = new ArrayList<>();
            List<Integer> after = calls(pm, failures);
            assertTrue(failures.size() <= 1, "failures after the restart: " + failures);
            List<String> later = new ArrayList<>();
            List<Integer> again = calls(pm, later);
            assertEquals(List.of(), later, "failures once the pool noticed the restart");
            assertEquals(before, again, "every service keeps its port across the restart");
            for (int i = 0; i < CALLS; i++) {
                if (after.get(i) != null) {
                    assertEquals(before.get(i), after.get(i), "service s" + i);
                }
            }
        }
    }

    private static AllocationRequest request(int i) {
        return AllocationRequest.builder("restart", "s" + i).range("restart").build();
    }

    /** getOrAllocate of each service in turn; a failing call's port is null and its message goes to failures. */
    private static List<Integer> calls(PortManager pm, List<String> failures) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            try {
                ports.add(pm.getOrAllocate(request(i)).port());
            } catch (StoreUnavailableException e) {
                failures.add(e.getMessage());
                ports.add(null);
            }
        }
        return ports;
    }

    /**
     * Every backend of the store's pool terminated right after a call, so the next call gets a connection the pool
     * lends without validating it (it was used a moment ago): the statement fails with 57P01, and the call succeeds
     * on a fresh connection.
     */
    @Test
    @Timeout(120)
    void getOrAllocate_whenEveryPooledBackendWasTerminated_succeedsOnAFreshConnection() throws Exception {
        String url = TestPostgres.get().newSchemaUrl() + "&ApplicationName=pm-terminated";
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("terminated", 32500, 32599).build();
             Connection admin = DriverManager.getConnection(TestPostgres.get().url)) {
            int first = pm.getOrAllocate(AllocationRequest.builder("t", "one").range("terminated").build()).port();
            Set<Integer> killed = terminate(admin, "pm-terminated");
            assertTrue(!killed.isEmpty(), "the pool had no backend to terminate");
            assertEquals(first, pm.getOrAllocate(AllocationRequest.builder("t", "one").range("terminated").build())
                    .port());
            assertNotEquals(first, pm.getOrAllocate(AllocationRequest.builder("t", "two").range("terminated").build())
                    .port());
            Set<Integer> now = backends(admin, "pm-terminated");
            now.retainAll(killed);
            assertEquals(Set.of(), now, "backends terminated but still in use");
        }
    }

    /**
     * A caller's data source that lends a connection whose backend is gone: the call runs once more on the next
     * connection (the rule for any DataSource, which the store cannot clear); without the retry it fails with 57P01.
     */
    @Test
    @Timeout(120)
    void getOrAllocate_onACallersDataSourceLendingADeadConnection_runsOnceMoreOnTheNext() throws Exception {
        String url = TestPostgres.get().newSchemaUrl() + "&ApplicationName=pm-callers";
        DeadFirstSource source = new DeadFirstSource(url);
        try (JdbcStore store = JdbcStore.create(source);
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("callers", 32600, 32699).build();
             Connection admin = DriverManager.getConnection(TestPostgres.get().url)) {
            source.dead = DriverManager.getConnection(url);
            terminate(admin, "pm-callers");
            int port = pm.getOrAllocate(AllocationRequest.builder("c", "one").range("callers").build()).port();
            assertEquals(32600, port);
            assertNull(source.dead, "the dead connection was never lent");
        }
    }

    private static Set<Integer> terminate(Connection admin, String application) throws Exception {
        Set<Integer> pids = backends(admin, application);
        try (Statement st = admin.createStatement()) {
            for (int pid : pids) {
                st.execute("SELECT pg_terminate_backend(" + pid + ", 5000)");
            }
        }
        return pids;
    }

    private static Set<Integer> backends(Connection admin, String application) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                     + application + "'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    /** New connections of the URL, except that the next one lent is {@link #dead} when it is set. */
    private static final class DeadFirstSource extends PGSimpleDataSource {
        private static final long serialVersionUID = 1L;
        transient volatile Connection dead;

        DeadFirstSource(String url) {
            setURL(url);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection d = dead;
            if (d != null) {
                dead = null;
                return d;
            }
            return super.getConnection();
        }
    }
}
