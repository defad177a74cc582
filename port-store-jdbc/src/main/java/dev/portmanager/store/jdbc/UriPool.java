package dev.portmanager.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portmanager.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The HikariCP pool of a store opened from a URI. Hikari gets a {@link DriverConnections}, never the URL, so neither
 * its logs nor its exceptions can show the password. The settings:
 * <ul>
 *   <li>at most {@link JdbcStoreConfig#poolSize()} connections, at least one kept idle;</li>
 *   <li>a connection idle for more than half a second is validated ({@code Connection.isValid}) before it is lent,
 *       and one that failed with a lost-connection SQLSTATE is dropped (Hikari's own rules);</li>
 *   <li>connections are replaced after 30 minutes ({@code maxLifetime}) and pinged after 2 idle minutes
 *       ({@code keepaliveTime}), so firewalls and server-side timeouts do not leave dead ones behind; an in-memory H2
 *       database keeps its connections for good, since it disappears with its last one;</li>
 *   <li>a call waits at most 10 s for a connection ({@code connectionTimeout}), which also rides out a server
 *       restart; a connection held longer than 60 s is logged as a possible leak ({@code leakDetectionThreshold});</li>
 *   <li>the pool is named {@code portmanager-<store name>} (password masked) in Hikari's log lines.</li>
 * </ul>
 * An H2 file database is opened in H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}) so several processes can use
 * it, unless the URL chooses its own locking; one still held by a process that opened it otherwise is waited for, up
 * to {@link #IN_USE_WAIT_MILLIS}.
 */
final class UriPool {
    private static final Logger LOG = LoggerFactory.getLogger(UriPool.class);
    /** How long opening waits for an H2 file database that another process holds. */
    static final long IN_USE_WAIT_MILLIS = 10_000;
    /**
     * How long calls on an H2 file in mixed mode keep trying while the file changes hands (the serving process exited
     * and another takes over; on a loaded machine the old one takes seconds to close the file).
     */
    static final long HANDOVER_WAIT_MILLIS = 30_000;

    private UriPool() {
    }

    /**
     * The URL the pool connects with: an H2 database in a file gets {@code ;AUTO_SERVER=TRUE} unless the URL already
     * sets {@code AUTO_SERVER}, {@code FILE_LOCK} or {@code ACCESS_MODE_DATA}; every other URL is returned as is.
     */
    static String effectiveUrl(String url) {
        if (!isH2File(url)) {
            return url;
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        String[] parts = rest.split(";");
        for (int i = 1; i < parts.length; i++) {
            String key = parts[i].split("=", 2)[0].strip();
            if (key.equals("auto_server") || key.equals("file_lock") || key.equals("access_mode_data")) {
                return url;
            }
        }
        return url + ";AUTO_SERVER=TRUE";
    }

    /** Whether the URL is one of an H2 database in a file (not in memory, not on a server, not in a zip). */
    static boolean isH2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        for (String notAFile : new String[] {"mem:", "tcp:", "ssl:", "zip:", "memfs:", "memlzf:"}) {
            if (rest.startsWith(notAFile)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens the pool on the URL, after a first connection made here: a failure to connect is thrown as the driver
     * said it (masked), without the pool logging it as an error first.
     *
     * @param name the store's name, password masked
     * @throws SQLException              if the first connection fails
     * @throws StoreUnavailableException if an H2 file stays held by another process for {@link #IN_USE_WAIT_MILLIS}
     */
    static HikariDataSource open(String url, JdbcStoreConfig config, String name) throws SQLException {
        String effective = effectiveUrl(url);
        DriverConnections source = new DriverConnections(effective);
        try (Connection first = firstConnection(source, name, isH2File(effective))) {
            HikariConfig hc = new HikariConfig();
            hc.setDataSource(source);
            hc.setPoolName("portmanager-" + name);
            hc.setMaximumPoolSize(config.poolSize());
            hc.setMinimumIdle(1);
            hc.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
            hc.setValidationTimeout(TimeUnit.SECONDS.toMillis(3));
            hc.setLeakDetectionThreshold(TimeUnit.SECONDS.toMillis(60));
            if (effective.startsWith("jdbc:h2:mem:")) {
                hc.setMaxLifetime(0);
                hc.setKeepaliveTime(0);
            } else {
                hc.setMaxLifetime(TimeUnit.MINUTES.toMillis(30));
                hc.setKeepaliveTime(TimeUnit.MINUTES.toMillis(2));
            }
            return new HikariDataSource(hc);
        }
    }

    private static boolean heldElsewhere(SQLException e) {
        int code = e.getErrorCode();
        return code == 90020 || code == 90067 || code == 8000 && String.valueOf(e.getMessage()).contains("Lock file");
    }

    /**
     * A first connection; an H2 file held by another process is tried again until the wait is over: H2 says so with
     * 90020 (already in use; in the mixed mode until the holder has published its server in the lock file), 8000
     * ("Lock file recently modified", while processes hand the file over) or 90067 (the holder's server went away as
     * it closed).
     */
    private static Connection firstConnection(DriverConnections source, String name, boolean h2File)
            throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IN_USE_WAIT_MILLIS);
        while (true) {
            try {
                return source.getConnection();
            } catch (SQLException e) {
                if (!h2File || !heldElsewhere(e)) {
                    throw e;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new StoreUnavailableException(name + ": the H2 database file is held by another process ("
                            + SqlErrors.describe(e) + "), still after " + IN_USE_WAIT_MILLIS / 1000 + " s; if that "
                            + "process opened it without AUTO_SERVER=TRUE, stop it, or let every process open the file "
                            + "in H2's mixed mode (the store adds AUTO_SERVER=TRUE unless the URL sets AUTO_SERVER, "
                            + "FILE_LOCK or ACCESS_MODE_DATA)", e);
                }
                LOG.debug("[{}] the H2 file is held by another process ({}); trying again", name,
                        SqlErrors.describe(e));
                try {
                    Thread.sleep(100 + (long) (Math.random() * 150));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
