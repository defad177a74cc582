package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases follow the database's clock: managers whose clocks are an hour apart, and the SQL functions, agree on when a
 * lease ends. Ports 31600-31609.
 */
class DatabaseClockTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    @Test
    void lease_withClientClocksAnHourApart_isNeitherReclaimedEarlyNorKeptLate() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        try (JdbcStore storeAhead = JdbcStore.open(url, JdbcStoreConfig.defaults());
             JdbcStore storeBehind = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager early = PortManager.builder().store(storeAhead).clock(ahead).probe((p, proto) -> true)
                     .range("one", 31600, 31600).build();
             PortManager late = PortManager.builder().store(storeBehind).clock(behind).probe((p, proto) -> true)
                     .range("one", 31600, 31600).build();
             Connection c = DriverManager.getConnection(url)) {
            Allocation held = late.reserve(AllocationRequest.builder("p", "held").range("one").build(), TTL);
            Instant ends = held.expiresAt().orElseThrow();
            Instant now = databaseNow(c);
            assertTrue(ends.isAfter(now.minus(Duration.ofMinutes(1))) && !ends.isAfter(now.plus(TTL).plusSeconds(1)),
                    "the lease ends " + TTL + " after the database's time of the reservation, not the client's: "
                            + ends + ", database now " + now);
            assertTrue(databaseNow(c).isBefore(ends), "the test ran slower than the lease of " + TTL);

            assertTrue(early.find("p", "held").isPresent(), "the client an hour ahead sees the lease live");
            assertThrows(NoFreePortException.class,
                    () -> early.allocate(AllocationRequest.builder("p", "early").range("one").build()),
                    "the client an hour ahead does not reclaim the lease early");
            SQLException full = assertThrows(SQLException.class, () -> execute(c, "SELECT allocate_port('sql', "
                    + "'early', 'one')"), "allocate_port agrees");
            assertEquals("53400", full.getSQLState());
            assertTrue(databaseNow(c).isBefore(ends), "the test ran slower than the lease of " + TTL);

            awaitDatabasePast(c, ends);
            assertFalse(late.find("p", "held").isPresent(), "the client an hour behind sees the lease ended");
            assertEquals(31600, late.allocate(AllocationRequest.builder("p", "late").range("one").build()).port(),
                    "the client an hour behind does not keep the lease late");
            List<HistoryEntry> expired = late.history(HistoryQuery.builder().action(HistoryAction.EXPIRED).build());
            assertEquals(1, expired.size());
            assertEquals("held", expired.get(0).service());
        }
    }

    @Test
    void clock_followsTheDatabaseUnlessTurnedOff() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             JdbcStore own = JdbcStore.open(url, JdbcStoreConfig.builder().databaseClock(false).build());
             Connection c = DriverManager.getConnection(url)) {
            Clock clock = store.clock(ahead);
            Instant before = databaseNow(c);
            Instant read = clock.instant();
            Instant after = databaseNow(c);
            // The difference is measured over a round trip: allow a second either way.
            assertTrue(!read.isBefore(before.minusSeconds(1)) && !read.isAfter(after.plusSeconds(1)),
                    read + " is not within a second of the database's time " + before + ".." + after);
            assertSame(ahead, own.clock(ahead));
        }
    }

    /** The database's time now. */
    static Instant databaseNow(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** Waits, polling the database's clock, until it is past {@code instant}; at most a minute. */
    static void awaitDatabasePast(Connection c, Instant instant) throws Exception {
        for (int i = 0; i < 600 && !databaseNow(c).isAfter(instant); i++) {
            Thread.sleep(100);
        }
        assertTrue(databaseNow(c).isAfter(instant), "the database's clock never passed " + instant);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
