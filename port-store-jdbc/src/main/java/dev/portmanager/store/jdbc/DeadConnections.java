package dev.portmanager.store.jdbc;

import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.transaction.TransactionException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one retry of a call that met a dead connection: a pooled connection whose server restarted, whose backend was
 * terminated, or whose network went away (SQLSTATE class 08, {@code 57P01} admin shutdown, {@code 57P02},
 * {@code 57P03}, the pool's "connection is closed", H2's "connection is broken").
 *
 * <p>The rule: the call runs once more, on a fresh connection, only when nothing it did can have been committed, or
 * when running it again cannot do it twice:
 * <ul>
 *   <li>the connection could not be had from a caller's data source (nothing was sent). The store's own pool is not
 *       asked twice: its {@code getConnection} already validates idle connections and replaces dead ones until its
 *       timeout;</li>
 *   <li>the server ended the session ({@code 57P01}, {@code 57P02}, {@code 57P03}): a statement it had committed would
 *       have been answered before the session ended;</li>
 *   <li>a statement of an explicit transaction failed before its COMMIT: a transaction whose session is gone is
 *       rolled back by the server;</li>
 *   <li>the call is idempotent: a read, or a get-or-allocate, which finds its own allocation if the first run did
 *       commit (it then answers with that allocation as found, not as created).</li>
 * </ul>
 * Anything else (an auto-committed write or a COMMIT whose answer was lost, for a call that would act twice, such as
 * a release or a strict allocate) is reported, not repeated. Before the retry the store's own pool drops every idle
 * connection it made before the failure ({@code softEvictConnections}), since a restarted server has killed them all.
 *
 * <p>An H2 file in mixed mode is the exception to "once": when the process serving the file exits, the connections of
 * the others break until one of them has taken the file over, so there the call runs again, under the same rule,
 * until {@link UriPool#HANDOVER_WAIT_MILLIS} have passed. Thread-safe; one {@link Call} per store call.
 */
final class DeadConnections {
    /** For a caller's data source: no pool to clear, and a failure to get a connection may be retried. */
    static final DeadConnections CALLERS = new DeadConnections(null, 0);

    private final Runnable evictPool;
    private final long patienceNanos;

    /**
     * @param evictPool      soft-evicts the store's own pool; null for a caller's data source or Jdbi
     * @param patienceMillis 0 to run a call once more at most; else how long to keep running it again (H2 handover)
     */
    DeadConnections(Runnable evictPool, long patienceMillis) {
        this.evictPool = evictPool;
        this.patienceNanos = TimeUnit.MILLISECONDS.toNanos(patienceMillis);
    }

    /** The state of one store call: it is retried once at most. */
    Call call() {
        return new Call();
    }

    /** One store call. Not thread-safe: it belongs to the thread running the call. */
    final class Call {
        private boolean retried;
        private long deadline;

        private Call() {
        }

        /**
         * Whether the call may run again after {@code e}: true once, when {@code e} is a lost connection under the
         * rule above.
         *
         * @param idempotent    whether running the call twice has the effect of running it once
         * @param inTransaction whether the call's statements ran in an explicit transaction (not auto-committed)
         */
        boolean again(Exception e, boolean idempotent, boolean inTransaction) {
            if (!SqlErrors.isConnectionLost(e) || !idempotent && !nothingCommitted(e, inTransaction)) {
                return false;
            }
            if (patienceNanos > 0) {
                return handover();
            }
            if (retried || e instanceof ConnectionException && evictPool != null) {
                return false;
            }
            retried = true;
            if (evictPool != null) {
                evictPool.run();
            }
            return true;
        }

        /** Whether to try again while another process takes the H2 file over: until the patience is spent. */
        private boolean handover() {
            long now = System.nanoTime();
            if (!retried) {
                retried = true;
                deadline = now + patienceNanos;
            } else if (now - deadline >= 0) {
                return false;
            }
            if (evictPool != null) {
                evictPool.run();
            }
            try {
                Thread.sleep(50 + ThreadLocalRandom.current().nextLong(150));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    private boolean nothingCommitted(Exception e, boolean inTransaction) {
        if (e instanceof ConnectionException) {
            return true;
        }
        String state = SqlErrors.state(e);
        if (state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return true;
        }
        if (e instanceof TransactionException) {
            // Failing to begin sent nothing; failing to commit may have committed.
            return String.valueOf(e.getMessage()).startsWith("Failed to start");
        }
        return inTransaction;
    }
}
