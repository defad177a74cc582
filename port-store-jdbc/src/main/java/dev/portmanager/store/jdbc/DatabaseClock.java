package dev.portmanager.store.jdbc;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database's time, as the manager's clock shifted by the difference last read from the database: every host
 * sharing the database then judges leases by one clock, the one the SQL functions use ({@code now()}). The difference
 * is read when the clock is made and again at most every {@link #REFRESH}, by the first call after that; a failed
 * read keeps the last difference. So a call costs no round trip, and a host whose clock is stepped follows within
 * {@link #REFRESH}. Thread-safe.
 */
final class DatabaseClock extends Clock {
    /** How long a difference read from the database is used before it is read again. */
    static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseClock.class);
    /** A difference worth telling the operator about. */
    private static final Duration NOTABLE = Duration.ofSeconds(1);

    private final Jdbi jdbi;
    private final String sql;
    private final Clock base;
    private final String store;
    /** The database's time less the base clock's, in nanoseconds. */
    private final AtomicLong offsetNanos = new AtomicLong();
    /** {@link System#nanoTime()} at which the difference is read again. */
    private final AtomicLong refreshAt = new AtomicLong();

    private DatabaseClock(Jdbi jdbi, Dialect dialect, Clock base, String store) {
        this.jdbi = jdbi;
        // clock_timestamp(): the time now, not the start of the transaction the connection may be in.
        this.sql = dialect == Dialect.POSTGRESQL ? "SELECT clock_timestamp()" : "SELECT CURRENT_TIMESTAMP";
        this.base = base;
        this.store = store;
    }

    /** A clock following the database's time, the difference to {@code base} read once now. */
    static DatabaseClock of(Jdbi jdbi, Dialect dialect, Clock base, String store) {
        DatabaseClock clock = new DatabaseClock(jdbi, dialect, base, store);
        clock.refreshAt.set(System.nanoTime() + REFRESH.toNanos());
        clock.refresh();
        Duration offset = clock.offset();
        if (offset.abs().compareTo(NOTABLE) >= 0) {
            LOG.info("[{}] this host's clock is {} {} the database's; leases follow the database's clock", store,
                    offset.abs(), offset.isNegative() ? "ahead of" : "behind");
        }
        return clock;
    }

    /** The database's time less the base clock's, as last read. */
    Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        long now = System.nanoTime();
        long due = refreshAt.get();
        if (now - due >= 0 && refreshAt.compareAndSet(due, now + REFRESH.toNanos())) {
            refresh();
        }
        return base.instant().plusNanos(offsetNanos.get());
    }

    /** Reads the database's time, taking the base clock's at the middle of the round trip. */
    private void refresh() {
        try {
            Instant before = base.instant();
            OffsetDateTime database = jdbi.withHandle(h -> h.createQuery(sql).mapTo(OffsetDateTime.class).one());
            Instant after = base.instant();
            Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
            offsetNanos.set(Duration.between(middle, database.toInstant()).toNanos());
        } catch (RuntimeException e) {
            LOG.warn("[{}] leases keep the last difference to the database's clock read, {}: {}", store, offset(),
                    SqlErrors.translate(store, "reading the database's clock", e).getMessage());
        }
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    /** This clock itself: a zone changes nothing the manager reads. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "DatabaseClock{" + store + ", offset " + offset() + "}";
    }
}
