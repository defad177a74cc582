package dev.portmanager.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * New physical connections of a JDBC URL from {@link DriverManager}, for the pool of a store opened from a URI. The
 * pool gets this data source rather than the URL, so it never holds, logs or echoes the URL, and a driver's failure
 * (which may quote the URL, password and all) is masked here, before the pool wraps it. Thread-safe.
 */
final class DriverConnections implements DataSource {
    private final String url;
    private final Properties properties = new Properties();
    private final Masking masking;
    private volatile int loginTimeout;

    /** One process at a time opens an H2 database file (null for other URLs). */
    private final H2OpenLock h2;

    DriverConnections(String url) {
        this.url = url;
        this.masking = Masking.of(url, properties);
        this.h2 = H2OpenLock.of(url);
    }

    /** The masking of this URL's secrets. */
    Masking masking() {
        return masking;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return h2 == null ? DriverManager.getConnection(url, properties)
                    : h2.run(() -> DriverManager.getConnection(url, properties));
        } catch (SQLException e) {
            // Drivers put the URL, password and all, in messages (No suitable driver found for ...).
            throw masking.sql(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's pool connects with the URL's credentials only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Logging goes through SLF4J.
    }

    /**
     * Kept for the pool, which waits this long for connections being added when it closes; connecting itself follows
     * the driver's {@code loginTimeout} or {@code connectTimeout} URL parameter (DriverManager's timeout is global to
     * the JVM, so the store does not change it).
     */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the store logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("the store's connection source is not a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
