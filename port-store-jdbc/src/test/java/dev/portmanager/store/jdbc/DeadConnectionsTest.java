package dev.portmanager.store.jdbc;

import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule for running a call again after a dead connection, failure by failure. The failures are built here, as the
 * driver and Jdbi throw them, because a lost COMMIT answer cannot be produced on demand by a real server; the real
 * server's cases are in PostgresRestartTest and PostgresFailureTest.
 */
class DeadConnectionsTest {
    private final AtomicInteger evictions = new AtomicInteger();
    private final DeadConnections ownPool = new DeadConnections(evictions::incrementAndGet, 0);

    private static JdbiException statement(String state) {
        return new UnableToExecuteStatementException(new SQLException("failed", state), null);
    }

    @Test
    void again_whenTheServerEndedTheSession_runsOnceMoreEvenForAnAutoCommittedWrite() {
        DeadConnections.Call call = ownPool.call();
        assertTrue(call.again(statement("57P01"), false, false));
        assertEquals(1, evictions.get(), "the pool's idle connections were dropped");
        assertFalse(call.again(statement("57P01"), false, false), "a second dead connection is reported");
        assertTrue(ownPool.call().again(statement("57P03"), false, false), "each call has its own retry");
    }

    @Test
    void again_whenAnAutoCommittedWriteLostItsConnection_reportsUnlessIdempotent() {
        assertFalse(ownPool.call().again(statement("08006"), false, false));
        assertTrue(ownPool.call().again(statement("08006"), true, false));
        assertTrue(ownPool.call().again(statement("08006"), false, true), "a transaction before its COMMIT");
    }

    @Test
    void again_whenTheCommitLostItsConnection_reportsUnlessIdempotent() {
        JdbiException commit = new TransactionException("Failed to commit transaction",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertFalse(ownPool.call().again(commit, false, true));
        assertTrue(ownPool.call().again(commit, true, true));
        JdbiException begin = new TransactionException("Failed to start transaction",
                new SQLException("This connection has been closed.", "08003"));
        assertTrue(ownPool.call().again(begin, false, true));
    }

    @Test
    void again_whenNoConnectionCameFromThePool_asksACallersSourceAgainButNotTheStoresOwnPool() {
        JdbiException noConnection = new ConnectionException(new SQLException("Connection refused", "08001"));
        assertTrue(DeadConnections.CALLERS.call().again(noConnection, false, false));
        assertFalse(ownPool.call().again(noConnection, true, false), "the pool already waited its timeout");
    }

    @Test
    void again_whenTheFailureIsNotALostConnection_isFalse() {
        assertFalse(ownPool.call().again(statement("23505"), true, true));
        assertFalse(ownPool.call().again(statement("42P01"), true, true));
        assertEquals(0, evictions.get());
    }

    @Test
    void again_forAnH2FileInMixedMode_runsAgainUntilThePatienceIsSpent() {
        JdbiException broken = new UnableToExecuteStatementException(
                new SQLNonTransientConnectionException("Connection is broken: \"session closed\"", "90067"), null);
        DeadConnections.Call call = new DeadConnections(evictions::incrementAndGet, 1).call();
        assertTrue(call.again(broken, true, false));
        // The first try sleeps at least 50 ms, past the 1 ms patience.
        assertFalse(call.again(broken, true, false));
    }
}
