package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL backend killed in the middle of an allocation: the transaction never reached COMMIT, so the call runs
 * once more on a fresh connection; killed again, a clear exception, and nothing half-written.
 */
class PostgresFailureTest {

    @Test
    @Timeout(120)
    void allocateAll_whenTheBackendIsTerminatedMidTransactionTwice_throwsStoreUnavailableAndWritesNothing()
            throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("first", 31000, 31009).range("second", 31100, 31109).build();
             Connection blocker = DriverManager.getConnection(url);
             Connection admin = DriverManager.getConnection(url)) {
            CompletableFuture<List<Allocation>> call = blockedAllocateAll(pm, blocker);
            int pid = waitForBlockedBackend(admin, 0);
            terminate(admin, pid);
            // The retry, on a fresh connection, waits on the same row.
            terminate(admin, waitForBlockedBackend(admin, pid));
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(60, TimeUnit.SECONDS));
            StoreUnavailableException cause = assertInstanceOf(StoreUnavailableException.class, e.getCause());
            assertTrue(cause.getMessage().startsWith(store.name() + ": lost the database connection while allocating "
                    + "p/one and 1 more (FATAL: terminating connection due to administrator command, SQLSTATE 57P01); "
                    + "the transaction was rolled back and nothing was written"), cause.getMessage());
            blocker.rollback();

            assertEquals(List.of(), pm.list(AllocationQuery.all()));
            assertEquals(List.of(), pm.history(HistoryQuery.all()));
            assertEquals(0, countRows(admin), "rows in port_allocations, ended ones included");
            assertEquals(31000, pm.allocate(AllocationRequest.builder("p", "again").range("first").build()).port(),
                    "the store goes on with a new connection");
        }
    }

    @Test
    @Timeout(120)
    void allocateAll_whenTheBackendIsTerminatedMidTransactionOnce_succeedsOnAFreshConnection() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("first", 31000, 31009).range("second", 31100, 31109).build();
             Connection blocker = DriverManager.getConnection(url);
             Connection admin = DriverManager.getConnection(url)) {
            CompletableFuture<List<Allocation>> call = blockedAllocateAll(pm, blocker);
            int pid = waitForBlockedBackend(admin, 0);
            terminate(admin, pid);
            waitForBlockedBackend(admin, pid);
            blocker.rollback();
            List<Allocation> made = call.get(60, TimeUnit.SECONDS);
            assertEquals(List.of(31000, 31100), made.stream().map(Allocation::port).collect(Collectors.toList()));
            assertEquals(2, countRows(admin), "rows in port_allocations: the first run's were rolled back");
            assertEquals(2, pm.history(HistoryQuery.all()).size());
        }
    }

    /**
     * Two allocations in one call, the second waiting: its search fills its span's slots first, and an uncommitted
     * slot row of the blocker makes it wait there, after the first plan has inserted its allocation and history in the
     * same transaction.
     */
    private static CompletableFuture<List<Allocation>> blockedAllocateAll(PortManager pm, Connection blocker)
            throws Exception {
        blocker.setAutoCommit(false);
        try (Statement st = blocker.createStatement()) {
            st.execute("INSERT INTO port_slots (hostname, port_number) VALUES ('localhost', 31105)");
        }
        return CompletableFuture.supplyAsync(() -> pm.allocateAll(List.of(
                AllocationRequest.builder("p", "one").range("first").build(),
                AllocationRequest.builder("p", "two").range("second").build())));
    }

    private static void terminate(Connection admin, int pid) throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    private static int countRows(Connection admin) throws Exception {
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM port_allocations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The backend of the allocation waiting on the blocking slot row, other than {@code not}. */
    private static int waitForBlockedBackend(Connection admin, int not) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Statement st = admin.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         + "AND query LIKE '%port_pick%' AND pid <> " + not)) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the allocation never waited on the blocking slot row");
    }
}
