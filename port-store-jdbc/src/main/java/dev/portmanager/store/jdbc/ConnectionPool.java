package dev.portmanager.store.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The small connection pool of a store opened from a URL: at most {@code size} physical connections from
 * {@link DriverManager}, reused last-in first-out. A connection that comes back closed or broken is dropped; one idle
 * for more than 30 seconds is checked before it is lent again. Callers wanting more (metrics, leak detection) pass
 * their own pool to {@link JdbcStore#create(DataSource)}. Thread-safe.
 */
final class ConnectionPool implements DataSource, AutoCloseable {
    private static final long WAIT_SECONDS = 30;
    private static final long CHECK_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String url;
    private final Properties properties;
    private final Masking masking;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(String url, Properties properties, int size) {
        this.url = url;
        this.properties = properties;
        this.masking = Masking.of(url, properties);
        this.permits = new Semaphore(size, true);
    }

    private static final class Idle {
        final Connection connection;
        final long since;

        Idle(Connection connection, long since) {
            this.connection = connection;
            this.since = since;
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new SQLTransientConnectionException("no pooled connection came free within " + WAIT_SECONDS
                        + " s; raise JdbcStoreConfig.poolSize or close what holds them", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a pooled connection", "08001", e);
        }
        try {
            return lend(physical());
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection physical() throws SQLException {
        while (true) {
            Idle next;
            synchronized (this) {
                if (closed) {
                    throw new SQLTransientConnectionException("the store's connection pool is closed", "08003");
                }
                next = idle.pollFirst();
            }
            if (next == null) {
                try {
                    return DriverManager.getConnection(url, properties);
                } catch (SQLException e) {
                    // Drivers put the URL, password and all, in messages (No suitable driver found for ...).
                    throw masking.sql(e);
                }
            }
            if (System.nanoTime() - next.since < CHECK_IDLE_NANOS || next.connection.isValid(5)) {
                return next.connection;
            }
            quietlyClose(next.connection);
        }
    }

    private Connection lend(Connection physical) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean returned;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close":
                        if (!returned) {
                            returned = true;
                            giveBack(physical);
                        }
                        return null;
                    case "isClosed":
                        return returned || physical.isClosed();
                    case "unwrap":
                        return ((Class<?>) args[0]).isInstance(proxy) ? proxy : physical.unwrap((Class<?>) args[0]);
                    case "isWrapperFor":
                        return ((Class<?>) args[0]).isInstance(proxy) || physical.isWrapperFor((Class<?>) args[0]);
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "pooled " + physical;
                    default:
                        if (returned) {
                            throw new SQLException("the connection was already given back to the pool", "08003");
                        }
                        try {
                            return method.invoke(physical, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private void giveBack(Connection physical) {
        try {
            boolean reusable = !physical.isClosed();
            if (reusable && !physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            synchronized (this) {
                if (reusable && !closed) {
                    idle.addFirst(new Idle(physical, System.nanoTime()));
                    return;
                }
            }
            quietlyClose(physical);
        } catch (SQLException e) {
            quietlyClose(physical);
        } finally {
            permits.release();
        }
    }

    /** Closes the idle connections; connections still lent are closed when they come back. */
    @Override
    public void close() {
        Deque<Idle> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(i -> quietlyClose(i.connection));
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Already broken: nothing more to release.
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

    /** Ignored: the driver's own {@code loginTimeout} or {@code connectTimeout} URL parameter applies. */
    @Override
    public void setLoginTimeout(int seconds) {
        // DriverManager's timeout is global to the JVM; the pool does not change it.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the store's pool logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("the store's pool is not a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
