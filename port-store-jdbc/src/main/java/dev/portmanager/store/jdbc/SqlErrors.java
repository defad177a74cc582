package dev.portmanager.store.jdbc;

import dev.portmanager.PortManagerException;
import dev.portmanager.StoreUnavailableException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Reads SQL failures: which may be retried, which mean the database is gone, and what to tell the user. */
final class SqlErrors {
    private SqlErrors() {
    }

    /** The first {@link SQLException} in the cause chain, or null. */
    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return (SQLException) t;
            }
        }
        return null;
    }

    /** The SQLSTATE of the first {@link SQLException} in the cause chain, or "". */
    static String state(Throwable e) {
        SQLException sql = sqlCause(e);
        String state = sql == null ? null : sql.getSQLState();
        return state == null ? "" : state;
    }

    /** A unique constraint turned the statement down: another client took the port or the service first. */
    static boolean isUniqueViolation(Throwable e) {
        return state(e).equals("23505");
    }

    /**
     * A failure that leaves nothing written and goes away when the transaction is run again: a serialization failure,
     * a deadlock, or (H2) a concurrent update or a lock wait that timed out.
     */
    static boolean isRetryable(Throwable e) {
        String state = state(e);
        return state.equals("40001") || state.equals("40P01") || state.equals("90131") || state.equals("HYT00")
                || state.equals("23505");
    }

    /** The connection is gone: the server went away, the backend was terminated, the network failed. */
    static boolean isConnectionLost(Throwable e) {
        SQLException sql = sqlCause(e);
        if (sql == null) {
            return false;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || sql instanceof SQLNonTransientConnectionException || sql instanceof SQLTransientConnectionException
                || sql instanceof SQLRecoverableException
                || sql instanceof Masking.MaskedSql && ((Masking.MaskedSql) sql).connectionFailure();
    }

    /** The schema is not there: a table or function the store needs does not exist. */
    static boolean isMissingSchema(Throwable e) {
        String state = state(e);
        return state.equals("42P01") || state.equals("42S02") || state.equals("42S04") || state.equals("42883");
    }

    /**
     * The exception to throw for a failure of {@code what} on the store.
     *
     * @param store the store's name
     * @param what  what was being done, such as {@code allocating consilio/api}
     */
    static PortManagerException translate(String store, String what, Throwable e) {
        if (e instanceof PortManagerException) {
            return (PortManagerException) e;
        }
        Throwable masked = Masking.PATTERNS.chain(e);
        String cause = describe(masked);
        if (isConnectionLost(e)) {
            return new StoreUnavailableException(store + ": lost the database connection while " + what + " (" + cause
                    + "); the transaction was rolled back and nothing was written, unless the connection broke during "
                    + "the commit itself; check that the database is up and retry", masked);
        }
        if (isMissingSchema(e)) {
            return new StoreUnavailableException(store + ": the Port Manager schema is missing or incomplete while "
                    + what + " (" + cause + "); open the store with initializeSchema(true), or run the schema script "
                    + "from the port-store-jdbc jar", masked);
        }
        return new StoreUnavailableException(store + ": " + what + " failed (" + cause + "); nothing was written; "
                + "check the database and retry", masked);
    }

    /** The message and SQLSTATE of the first {@link SQLException} in the chain, else of {@code e}. */
    static String describe(Throwable e) {
        SQLException sql = sqlCause(e);
        if (sql == null) {
            return String.valueOf(e.getMessage());
        }
        String message = String.valueOf(sql.getMessage()).strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        return message + (sql.getSQLState() == null ? "" : ", SQLSTATE " + sql.getSQLState());
    }
}
