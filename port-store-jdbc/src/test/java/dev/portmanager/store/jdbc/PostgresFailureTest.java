package dev.portmanager.store.jdbc;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PostgreSQL backend killed in the middle of an allocation: a clear exception, and nothing half-written. */
class PostgresFailureTest {

    @Test
    @Timeout(120)
    void allocateAll_whenTheBackendIsTerminatedMidTransaction_throwsStoreUnavailableAndWritesNothing()
            throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).probe((p, proto) -> true)
                     .range("first", 31000, 31009).range("second", 31100, 31109).build();
             Connection blocker = DriverManager.getConnection(url);
             Connection admin = DriverManager.getConnection(url)) {
            // The second plan's search fills its span's slots first; an uncommitted slot row of that span makes it
            // wait there, after the first plan has inserted its allocation and history in the same transaction.
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("INSERT INTO port_slots (hostname, port_number) VALUES ('localhost', 31105)");
            }
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> pm.allocateAll(List.of(
                    AllocationRequest.builder("p", "one").range("first").build(),
                    AllocationRequest.builder("p", "two").range("second").build())));
            int pid = waitForBlockedBackend(admin);
            try (Statement st = admin.createStatement()) {
                st.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(60, TimeUnit.SECONDS));
            StoreUnavailableException cause = assertInstanceOf(StoreUnavailableException.class, e.getCause());
            assertTrue(cause.getMessage().startsWith(store.name() + ": lost the database connection while allocating "
                    + "p/one and 1 more (FATAL: terminating connection due to administrator command, SQLSTATE 57P01); "
                    + "the transaction was rolled back and nothing was written"), cause.getMessage());
            blocker.rollback();

            assertEquals(List.of(), pm.list(AllocationQuery.all()));
            assertEquals(List.of(), pm.history(HistoryQuery.all()));
            try (Statement st = admin.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM port_allocations")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "rows in port_allocations, ended ones included");
            }
            assertEquals(31000, pm.allocate(AllocationRequest.builder("p", "again").range("first").build()).port(),
                    "the store goes on with a new connection");
        }
    }

    private static int waitForBlockedBackend(Connection admin) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Statement st = admin.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         + "AND query LIKE '%port_pick%'")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the allocation never waited on the blocking slot row");
    }
}
