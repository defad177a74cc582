package dev.portmanager.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HealthResult;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManagerException;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;
import dev.portmanager.StoreCorruptedException;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.spi.Allocator;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.support.Registry;
import dev.portmanager.spi.StoreChange;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.DatabaseMetaData;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The registry in a relational database: H2 (embedded, one machine) or PostgreSQL (one registry shared by many
 * hosts). The database enforces the invariants with unique indexes on the ports and services that allocations hold,
 * so every client, in Java or not, is held to them; allocation is one statement per attempt, retried when another
 * client won the race (see {@link #allocator()}).
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.create(dataSource);                  // your pool, schema installed if missing
 * PortManager pm = PortManager.builder().store(store).build();
 * PortManager viaUri = PortManager.builder().store("jdbc:postgresql://db/ports?user=pm&password=secret").build();
 * }</pre>
 *
 * <p>Thread-safe: one store serves any number of threads; open one per process and share it. Failures to reach the
 * database are {@link StoreUnavailableException}; rows that break the model, or a schema newer than this library,
 * {@link StoreCorruptedException}. No {@link java.sql.SQLException} escapes.
 */
public final class JdbcStore implements PortStore {
    /** The schema version this library reads and writes (the {@code port_schema_version} table). */
    public static final int SCHEMA_VERSION = Schema.VERSION;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String name;
    private final AutoCloseable owned;
    private final JdbcAllocator allocator;
    private final DeadConnections dead;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean databaseClock;

    private JdbcStore(Jdbi jdbi, Dialect dialect, String name, AutoCloseable owned, String database,
                      DeadConnections dead, boolean databaseClock) {
        this.jdbi = jdbi;
        this.databaseClock = databaseClock;
        this.dialect = dialect;
        this.name = name;
        this.owned = owned;
        this.dead = dead;
        this.allocator = new JdbcAllocator(jdbi, dialect, name, database, dead);
    }

    /**
     * A store on the database of the data source, with the {@link JdbcStoreConfig#defaults() defaults}: the schema is
     * installed when missing. The caller keeps owning the data source; {@link #close()} leaves it open.
     *
     * @throws NullPointerException       if the data source is null
     * @throws IllegalArgumentException   if the database is neither PostgreSQL nor H2
     * @throws StoreUnavailableException  if the database cannot be reached, or has no schema and may not get one
     * @throws StoreCorruptedException    if the database's schema is newer than this library
     */
    public static JdbcStore create(DataSource dataSource) {
        return create(dataSource, JdbcStoreConfig.defaults());
    }

    /**
     * A store on the database of the data source, configured.
     *
     * @throws NullPointerException       if an argument is null
     * @throws IllegalArgumentException   if the database is neither PostgreSQL nor H2
     * @throws StoreUnavailableException  if the database cannot be reached, or has no schema and may not get one
     * @throws StoreCorruptedException    if the database's schema is newer than this library
     */
    public static JdbcStore create(DataSource dataSource, JdbcStoreConfig config) {
        Objects.requireNonNull(dataSource, "dataSource == null");
        return create(Jdbi.create(dataSource), config);
    }

    /**
     * A store on the database of a configured {@link Jdbi}, with the defaults. The store only opens handles on it.
     *
     * @throws NullPointerException       if the Jdbi is null
     * @throws IllegalArgumentException   if the database is neither PostgreSQL nor H2
     * @throws StoreUnavailableException  if the database cannot be reached, or has no schema and may not get one
     * @throws StoreCorruptedException    if the database's schema is newer than this library
     */
    public static JdbcStore create(Jdbi jdbi) {
        return create(jdbi, JdbcStoreConfig.defaults());
    }

    /**
     * A store on the database of a configured {@link Jdbi}.
     *
     * @throws NullPointerException       if an argument is null
     * @throws IllegalArgumentException   if the database is neither PostgreSQL nor H2
     * @throws StoreUnavailableException  if the database cannot be reached, or has no schema and may not get one
     * @throws StoreCorruptedException    if the database's schema is newer than this library
     */
    public static JdbcStore create(Jdbi jdbi, JdbcStoreConfig config) {
        Objects.requireNonNull(jdbi, "jdbi == null");
        Objects.requireNonNull(config, "config == null");
        return start(jdbi, config, null, null, DeadConnections.CALLERS);
    }

    /**
     * A store on the database of a JDBC URL, such as {@code jdbc:postgresql://db:5432/ports?user=pm&password=secret}
     * or {@code jdbc:h2:./ports}, with a HikariCP pool of its own ({@link JdbcStoreConfig#poolSize()} connections at
     * most, validated, named {@code portmanager-<name>} in the log) that {@link #close()} closes. A call that meets a
     * dead pooled connection runs once more on a fresh one when nothing it did can have been committed. An H2 file
     * database is opened with {@code AUTO_SERVER=TRUE} (unless the URL sets AUTO_SERVER, FILE_LOCK or
     * ACCESS_MODE_DATA), so several processes can use it; one held by a process that opened it otherwise is waited
     * for up to 10 s. The driver (PostgreSQL's or H2's) must be on the class path.
     *
     * @throws NullPointerException       if an argument is null
     * @throws IllegalArgumentException   if the URL is not a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL
     * @throws StoreUnavailableException  if the database cannot be reached, or has no schema and may not get one
     * @throws StoreCorruptedException    if the database's schema is newer than this library
     */
    public static JdbcStore open(String url, JdbcStoreConfig config) {
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(config, "config == null");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("'" + mask(url) + "' is not a store URL the JDBC store opens; write "
                    + "jdbc:postgresql://<host>[:<port>]/<database>[?user=..&password=..] or jdbc:h2:<path or mem:name>");
        }
        String masked = mask(url);
        HikariDataSource pool;
        try {
            pool = UriPool.open(url, config, config.name().orElse(masked));
        } catch (java.sql.SQLException | RuntimeException e) {
            if (e instanceof PortManagerException) {
                throw (RuntimeException) e;
            }
            // Hikari wraps a driver's failure (already masked) in a PoolInitializationException: report the driver's.
            Throwable cause = e instanceof RuntimeException && e.getCause() != null ? e.getCause() : e;
            throw openFailure(config.name().orElse(masked), cause);
        }
        // An H2 file in mixed mode changes hands as processes leave: calls wait for the handover, as opening does.
        DeadConnections dead = new DeadConnections(pool.getHikariPoolMXBean()::softEvictConnections,
                UriPool.isH2File(url) ? UriPool.HANDOVER_WAIT_MILLIS : 0);
        return start(Jdbi.create(pool), config, pool, masked, dead);
    }

    private static JdbcStore start(Jdbi jdbi, JdbcStoreConfig config, AutoCloseable owned, String url,
                                   DeadConnections dead) {
        String label = config.name().orElse(url == null ? "jdbc" : url);
        // Reading the version and installing a missing schema are safe to repeat after a dead connection.
        DeadConnections.Call call = dead.call();
        boolean raced = false;
        while (true) {
            try {
                return startOnce(jdbi, config, owned, url, dead);
            } catch (RuntimeException | java.sql.SQLException e) {
                if (!(e instanceof PortManagerException) && call.again(e, true, true)) {
                    continue;
                }
                // Another process installed the schema at the same moment (H2 has no advisory lock): look again.
                if (!raced && !(e instanceof PortManagerException) && installedMeanwhile(e)) {
                    raced = true;
                    continue;
                }
                closeQuietly(owned);
                if (e instanceof IllegalArgumentException || e instanceof PortManagerException) {
                    throw (RuntimeException) e;
                }
                throw openFailure(label, e);
            }
        }
    }

    /** Whether the failure says a table, index or constraint being created exists already. */
    private static boolean installedMeanwhile(Exception e) {
        String state = SqlErrors.state(e);
        return state.equals("42S01") || state.equals("42S11") || state.equals("90045") || state.equals("42P07")
                || state.equals("42710") || SqlErrors.describe(Masking.PATTERNS.chain(e)).contains("already exists");
    }

    private static JdbcStore startOnce(Jdbi jdbi, JdbcStoreConfig config, AutoCloseable owned, String url,
                                       DeadConnections dead) throws java.sql.SQLException {
        try (Handle handle = jdbi.open()) {
            DatabaseMetaData meta = handle.getConnection().getMetaData();
            Dialect dialect = Dialect.of(meta.getDatabaseProductName());
            String name = config.name().orElse(url != null ? url : mask(String.valueOf(meta.getURL())));
            int version = Schema.prepare(handle, dialect, config.initializeSchema(), name);
            LOG.info("[{}] opened: {} {}, schema version {}", name, dialect.productName(),
                    meta.getDatabaseProductVersion(), version);
            return new JdbcStore(jdbi, dialect, name, owned, String.valueOf(meta.getURL()), dead,
                    config.databaseClock());
        }
    }

    /** The exception for a failure to open the store: no driver, no connection, or another failure. */
    private static RuntimeException openFailure(String label, Throwable e) {
        Throwable masked = Masking.PATTERNS.chain(e);
        String cause = SqlErrors.describe(masked);
        if (cause.contains("No suitable driver")) {
            return new StoreUnavailableException(label + ": no JDBC driver for this URL on the class path; add "
                    + "org.postgresql:postgresql for jdbc:postgresql: or com.h2database:h2 for jdbc:h2: "
                    + "(port-store-jdbc declares both as optional)", masked);
        }
        if (SqlErrors.isConnectionLost(e)) {
            return new StoreUnavailableException(label + ": cannot connect to the database (" + cause
                    + "); check that it is up and that the URL and credentials are right", masked);
        }
        return SqlErrors.translate(label, "opening the store", e);
    }

    /** The URL with its password replaced by {@code ***}, for names and logs. */
    static String mask(String url) {
        return Masking.url(url);
    }

    /**
     * Whether the handle's connection commits each statement by itself, so a one-statement operation needs no
     * transaction (and no COMMIT round trip). A caller's pool may hand out connections that do not.
     */
    static boolean autoCommits(Handle h) {
        try {
            return h.getConnection().getAutoCommit();
        } catch (java.sql.SQLException e) {
            throw new org.jdbi.v3.core.ConnectionException(e);
        }
    }

    /** The handle with unused named parameters allowed: statements here share one set of bindings per shape. */
    static Handle lenient(Handle h) {
        h.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return h;
    }

    /**
     * The database's clock, so every host judges leases as the SQL functions do (unless
     * {@link JdbcStoreConfig.Builder#databaseClock(boolean) databaseClock(false)}): the manager's clock shifted by the
     * difference to the database's time, read now and again every 10 seconds. Thread-safe; a failed read keeps the
     * last difference (at first zero) and is logged, never thrown.
     *
     * @throws NullPointerException if the manager's clock is null
     */
    @Override
    public Clock clock(Clock managerClock) {
        Objects.requireNonNull(managerClock, "managerClock == null");
        return databaseClock ? DatabaseClock.of(jdbi, dialect, managerClock, name) : managerClock;
    }

    /** The store's name: the database URL with its password masked, or the configured name. */
    @Override
    public String name() {
        return name;
    }

    /**
     * The stored ranges, by name.
     *
     * @throws StoreUnavailableException if the database cannot be read
     */
    @Override
    public List<PortRange> ranges() {
        return read("reading the ranges", h -> readRanges(h));
    }

    private List<PortRange> readRanges(Handle h) {
        List<PortRange> out = h.createQuery("SELECT range_name, start_port, end_port, description, auto_allocate "
                + "FROM port_ranges").map((rs, ctx) -> {
                    try {
                        return new PortRange(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                                rs.getBoolean(5));
                    } catch (IllegalArgumentException e) {
                        throw new StoreCorruptedException("range '" + rs.getString(1) + "' in " + name
                                + " cannot be read: " + e.getMessage() + "; correct the row in port_ranges", e);
                    }
                }).list();
        out.sort(Comparator.comparing(PortRange::name));
        return out;
    }

    /**
     * Stores the range unless one of that name is stored; returns the stored one.
     *
     * @throws NullPointerException      if the range is null
     * @throws RangeConflictException    if a range of that name is stored with other ports
     * @throws StoreUnavailableException if the database cannot be written
     */
    @Override
    public PortRange defineRange(PortRange range) {
        Objects.requireNonNull(range, "range == null");
        PortRange stored = write("defining range " + range, h -> {
            insertRange(h, range);
            return readRanges(h).stream().filter(r -> r.name().equals(range.name())).findFirst().orElseThrow();
        });
        if (!stored.sameSpanAs(range)) {
            throw new RangeConflictException(stored, range, name);
        }
        return stored;
    }

    private static void insertRange(Handle h, PortRange range) {
        h.createUpdate("INSERT INTO port_ranges (range_name, start_port, end_port, description, auto_allocate) "
                        + "SELECT :name, :start, :end, :description, :auto WHERE NOT EXISTS "
                        + "(SELECT 1 FROM port_ranges WHERE range_name = :name)")
                .bind("name", range.name()).bind("start", range.start()).bind("end", range.end())
                .bind("description", range.description()).bind("auto", range.autoAllocate()).execute();
    }

    /**
     * The range {@code name}, or else, atomically across every client of the database, the first block of
     * {@code size} ports in {@code first..last} that overlaps no stored range, stored under that name.
     *
     * @throws NoFreePortException       if every block overlaps a stored range
     * @throws StoreUnavailableException if the database cannot be written
     */
    @Override
    public PortRange defineBlock(String blockName, int first, int last, int size, String description) {
        return write("defining the block of project '" + blockName + "'", h -> {
            // Block definitions are rare: they queue on the schema's version row rather than race for blocks.
            h.createQuery("SELECT version FROM port_schema_version FOR UPDATE").mapTo(Integer.class).list();
            List<PortRange> ranges = readRanges(h);
            for (PortRange r : ranges) {
                if (r.name().equals(blockName)) {
                    return r;
                }
            }
            for (int start = first; start + size - 1 <= last; start += size) {
                PortRange block = new PortRange(blockName, start, start + size - 1, description, true);
                if (ranges.stream().noneMatch(block::overlaps)) {
                    insertRange(h, block);
                    return block;
                }
            }
            List<String> taken = new ArrayList<>();
            for (PortRange r : ranges) {
                if (r.start() <= last && first <= r.end()) {
                    taken.add(r.toString());
                }
            }
            throw new NoFreePortException("no free block of " + size + " ports in " + first + "-" + last
                    + " for project '" + blockName + "' in " + name + ": every block overlaps a stored range ("
                    + String.join(", ", taken) + "); widen the project blocks or remove a finished project's range");
        });
    }

    /**
     * The atomic claim: every plan of a call in one transaction, all or nothing. On PostgreSQL each attempt is one
     * statement that picks a free slot ({@code FOR UPDATE SKIP LOCKED}), inserts the allocation and writes its history;
     * the unique indexes on held ports and services turn a lost race into a new attempt. Lapsed allocations found on
     * the way, expired or owned by a dead process of this machine, are ended in the same transaction. Thread-safe.
     */
    @Override
    public Allocator allocator() {
        ensureOpen();
        return allocator;
    }

    /**
     * The allocations matching the query that have not ended, lapsed ones included, ordered by host, port, protocol.
     *
     * @throws NullPointerException      if the query is null
     * @throws StoreUnavailableException if the database cannot be read
     */
    @Override
    public List<Allocation> list(AllocationQuery query) {
        Objects.requireNonNull(query, "query == null");
        return read("listing allocations", h -> {
            StringBuilder sql = new StringBuilder("SELECT " + Rows.COLUMNS
                    + " FROM port_allocations WHERE released_at IS NULL");
            Map<String, Object> params = new LinkedHashMap<>();
            filter(sql, params, "project_name", "project", query.projectFilter());
            filter(sql, params, "service_name", "service", query.serviceFilter());
            filter(sql, params, "range_name", "range", query.rangeFilter());
            filter(sql, params, "environment", "environment", query.environmentFilter());
            filter(sql, params, "status", "status", query.statusFilter() == null ? null : query.statusFilter().name());
            filter(sql, params, "hostname", "host", query.hostFilter());
            filter(sql, params, "port_number", "port", query.portFilter() == 0 ? null : query.portFilter());
            if (query.protocolFilter() != null) {
                sql.append(" AND protocol IN (:protocol, 'BOTH')");
                params.put("protocol", query.protocolFilter().name());
            }
            Query q = h.createQuery(sql.toString());
            params.forEach(q::bind);
            // A row that breaks the name rules (written before schema 2) is skipped with a warning, not fatal to all.
            List<Allocation> out = new ArrayList<>(q.map((rs, ctx) -> Rows.allocationOrNull(rs, name)).list());
            out.removeIf(Objects::isNull);
            out.sort(Registry.ORDER);
            return out;
        });
    }

    private static void filter(StringBuilder sql, Map<String, Object> params, String column, String param,
                               Object value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = :").append(param);
            params.put(param, value);
        }
    }

    /**
     * Ends the allocation with this id and records {@code action}, in one transaction.
     *
     * @return the ended allocation and its history entry, or {@link StoreChange#none()} if none with this id is held
     * @throws NullPointerException      if an argument is null
     * @throws StoreUnavailableException if the database cannot be written; nothing was changed
     */
    @Override
    public StoreChange release(String id, HistoryAction action, String reason, String by, Instant at) {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(reason, "reason == null");
        Objects.requireNonNull(by, "by == null");
        Instant when = Rows.micros(Objects.requireNonNull(at, "at == null"));
        // PostgreSQL releases in one statement, so an auto-committed connection needs no transaction.
        StoreChange change = write("releasing allocation " + id, h -> {
            Optional<Allocation> ended;
            if (dialect == Dialect.POSTGRESQL) {
                ended = h.createQuery("WITH ended AS (UPDATE port_allocations SET released_at = :at WHERE id = :id "
                                + "AND released_at IS NULL RETURNING " + Rows.COLUMNS + "), logged AS ("
                                + "INSERT INTO port_allocation_history (" + Rows.HISTORY_COLUMNS + ") SELECT :at, "
                                + ":action, port_number, protocol, hostname, project_name, service_name, environment, "
                                + ":by, :reason FROM ended) SELECT " + Rows.COLUMNS + " FROM ended")
                        .bind("at", Rows.time(when)).bind("id", id).bind("action", action.name()).bind("by", by)
                        .bind("reason", reason).map((rs, ctx) -> Rows.allocation(rs, name)).findOne();
            } else {
                ended = held(h, id);
                if (ended.isPresent()) {
                    h.createUpdate("UPDATE port_allocations SET released_at = :at WHERE id = :id")
                            .bind("at", Rows.time(when)).bind("id", id).execute();
                    insertHistory(h, HistoryEntry.of(when, action, ended.get(), by, reason));
                }
            }
            return ended.map(a -> new StoreChange(List.of(a), List.of(),
                    List.of(HistoryEntry.of(when, action, a, by, reason)))).orElse(StoreChange.none());
        }, dialect == Dialect.POSTGRESQL);
        if (!change.isEmpty()) {
            LOG.debug("[{}] {} {}: {}", name, action, change.allocations().get(0).describe(), reason);
        }
        return change;
    }

    /**
     * Applies the update to the allocation with this id and records UPDATED if anything changed, in one transaction.
     *
     * @return the updated allocation (with no history if nothing changed), or {@link StoreChange#none()} if none with
     *         this id is held
     * @throws NullPointerException      if an argument is null
     * @throws StoreUnavailableException if the database cannot be written; nothing was changed
     */
    @Override
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(update, "update == null");
        Objects.requireNonNull(by, "by == null");
        Instant when = Rows.micros(Objects.requireNonNull(at, "at == null"));
        return write("updating allocation " + id, h -> {
            Optional<Allocation> current = held(h, id);
            if (current.isEmpty()) {
                return StoreChange.none();
            }
            Allocation before = current.get();
            Allocation after = Rows.stored(update.applyTo(before));
            if (after.equals(before)) {
                return new StoreChange(List.of(before), List.of(), List.of());
            }
            Rows.bindAllocation(h.createUpdate("UPDATE port_allocations SET description = :description, "
                    + "metadata = :metadata, health_endpoint = :healthEndpoint, health_status = :healthStatus, "
                    + "last_health_check = :lastHealthCheck, expires_at = :expiresAt, process_id = :processId "
                    + "WHERE id = :id"), after).execute();
            HistoryEntry entry = HistoryEntry.of(when, HistoryAction.UPDATED, after, by, update.describe());
            insertHistory(h, entry);
            LOG.debug("[{}] updated {}: {}", name, after.describe(), update.describe());
            return new StoreChange(List.of(after), List.of(), List.of(entry));
        });
    }

    /**
     * Keeps one health check as a row of {@code port_health_checks} (check type {@code http} or {@code tcp}, status,
     * response time), for an allocation that is still held. Thread-safe.
     *
     * @throws StoreUnavailableException if the database cannot be reached
     */
    @Override
    public void recordHealthCheck(String id, HealthResult result, Instant at) {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(result, "result == null");
        Instant when = Rows.micros(Objects.requireNonNull(at, "at == null"));
        write("recording a health check of allocation " + id, h -> h.createUpdate("INSERT INTO port_health_checks "
                + "(port_allocation_id, check_type, status, response_time_ms, checked_at) SELECT id, CASE WHEN "
                + "LOWER(health_endpoint) LIKE 'http%' THEN 'http' ELSE 'tcp' END, :status, :millis, :at "
                + "FROM port_allocations WHERE id = :id AND released_at IS NULL")
                .bind("id", id).bind("status", result.status().name().toLowerCase(java.util.Locale.ROOT))
                .bind("millis", (int) Math.min(Integer.MAX_VALUE, result.latency().toMillis()))
                .bind("at", Rows.time(when)).execute(), true);
    }

    /** The held allocation with this id, locked until the transaction ends. */
    private Optional<Allocation> held(Handle h, String id) {
        return h.createQuery("SELECT " + Rows.COLUMNS + " FROM port_allocations WHERE id = :id "
                        + "AND released_at IS NULL FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> Rows.allocation(rs, name)).findOne();
    }

    private static void insertHistory(Handle h, HistoryEntry e) {
        Rows.bindHistory(h.createUpdate("INSERT INTO port_allocation_history (" + Rows.HISTORY_COLUMNS
                + ") VALUES (" + Rows.HISTORY_VALUES + ")"), e).execute();
    }

    /**
     * The most recent {@code query.limit()} matching history entries, oldest first.
     *
     * @throws NullPointerException      if the query is null
     * @throws StoreUnavailableException if the database cannot be read
     */
    @Override
    public List<HistoryEntry> history(HistoryQuery query) {
        Objects.requireNonNull(query, "query == null");
        return read("reading history", h -> {
            StringBuilder sql = new StringBuilder("SELECT id, " + Rows.HISTORY_COLUMNS
                    + " FROM port_allocation_history WHERE 1 = 1");
            Map<String, Object> params = new LinkedHashMap<>();
            filter(sql, params, "port_number", "port", query.portFilter() == 0 ? null : query.portFilter());
            filter(sql, params, "project_name", "project", query.projectFilter());
            filter(sql, params, "service_name", "service", query.serviceFilter());
            filter(sql, params, "hostname", "host", query.hostFilter());
            filter(sql, params, "action", "action", query.actionFilter() == null ? null : query.actionFilter().name());
            if (query.sinceFilter() != null) {
                sql.append(" AND created_at >= :since");
                params.put("since", Rows.time(query.sinceFilter()));
            }
            if (query.untilFilter() != null) {
                sql.append(" AND created_at < :until");
                params.put("until", Rows.time(query.untilFilter()));
            }
            sql.append(" ORDER BY id DESC LIMIT :limit");
            params.put("limit", query.limit());
            Query q = h.createQuery(sql.toString());
            params.forEach(q::bind);
            List<HistoryEntry> out = q.map((rs, ctx) -> Rows.history(rs, name)).list();
            Collections.reverse(out);
            return out;
        });
    }

    /** Closes the connection pool the store made for a URL; a caller's data source or Jdbi stays open. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(owned);
            LOG.info("[{}] closed", name);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing the connection pool failed: {}", e.getMessage());
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + name + " is closed; open a new one");
        }
    }

    /**
     * Runs a read of one statement: auto-committed when the connection allows, saving the COMMIT round trip; again
     * once on a fresh connection if the connection was dead (a read is safe to repeat).
     */
    private <T> T read(String what, HandleCallback<T, RuntimeException> work) {
        return run(what, work, true, true);
    }

    /** Runs the work in one transaction, again when it lost a race (unique violation, deadlock, serialization). */
    private <T> T write(String what, HandleCallback<T, RuntimeException> work) {
        return write(what, work, false);
    }

    /**
     * Runs the work in one transaction, again when it lost a race. Work of one statement ({@code oneStatement}) runs
     * auto-committed when the connection allows, saving the COMMIT round trip.
     */
    private <T> T write(String what, HandleCallback<T, RuntimeException> work, boolean oneStatement) {
        return run(what, work, oneStatement, false);
    }

    /**
     * Runs the work, again when it lost a race, and once more on a fresh connection when it met a dead one and the
     * {@link DeadConnections} rule allows (a transaction that never reached COMMIT, or {@code idempotent} work).
     */
    private <T> T run(String what, HandleCallback<T, RuntimeException> work, boolean oneStatement,
                      boolean idempotent) {
        ensureOpen();
        DeadConnections.Call call = dead.call();
        for (int attempt = 1; ; attempt++) {
            boolean[] inTransaction = {true};
            try {
                if (oneStatement) {
                    return jdbi.withHandle(h -> {
                        inTransaction[0] = !autoCommits(h);
                        return inTransaction[0] ? h.inTransaction(t -> work.withHandle(lenient(t)))
                                : work.withHandle(lenient(h));
                    });
                }
                return jdbi.inTransaction(h -> work.withHandle(lenient(h)));
            } catch (JdbiException e) {
                if (call.again(e, idempotent, inTransaction[0])) {
                    LOG.debug("[{}] {}: the connection was dead ({}); trying once more on a fresh one", name, what,
                            SqlErrors.describe(Masking.PATTERNS.chain(e)));
                    continue;
                }
                if (!SqlErrors.isRetryable(e) || attempt >= JdbcAllocator.MAX_ATTEMPTS) {
                    throw SqlErrors.translate(name, what, e);
                }
            }
        }
    }

    /** {@code JdbcStore{jdbc:postgresql://db/ports, PostgreSQL}}. */
    @Override
    public String toString() {
        return "JdbcStore{" + name + ", " + dialect.productName() + "}";
    }
}
