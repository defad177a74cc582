package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.Candidates;
import dev.portmanager.HistoryEntry;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.Allocator;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.StoreChange;
import dev.portmanager.spi.support.AllocationDecision;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The JDBC store's atomic claim.
 *
 * <p>On PostgreSQL the common case is one auto-committed statement: it checks that nothing needs the judge (no
 * allocation of the service, nothing expiring or owned in the span), picks a free slot, inserts the allocation and
 * writes its history; if it finds something for the judge, or loses a race, it has written nothing and the general path
 * runs. In the general path all plans of a call run in one READ COMMITTED transaction:
 * <ol>
 *   <li>one query reads the service's allocations, the time-expired allocations of the candidate span and one
 *       allocation per owner process holding ports there;</li>
 *   <li>{@link AllocationDecision} decides what the plan does about the service's allocations (return the live one,
 *       replace, fail as existing), as for every allocator, and the {@link LeaseJudge} decides which allocations
 *       lapsed (a dead owner can only be judged in Java); those are ended conditionally
 *       ({@code WHERE released_at IS NULL}, and still expired) and recorded as EXPIRED;</li>
 *   <li>one statement claims the port: on PostgreSQL a data-modifying CTE that picks a free slot with
 *       {@code FOR UPDATE SKIP LOCKED} ({@code port_pick}), inserts the allocation with {@code ON CONFLICT DO NOTHING}
 *       and writes its history; on H2 an INSERT that a unique constraint may turn down.</li>
 * </ol>
 * The unique indexes on held (host, port) slots and on services are what make a claim atomic; when another client
 * won, the claim is tried again (another port, or the whole transaction). Thread-safe.
 */
final class JdbcAllocator implements Allocator {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAllocator.class);
    /** Transactions tried before giving up under contention. */
    static final int MAX_ATTEMPTS = 40;
    /** Picks tried within one transaction before starting it again. */
    private static final int MAX_PICKS = 8;

    /** The H2 ports being claimed by open transactions of this JVM, by database, host and port. */
    private static final Set<String> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private final Jdbi jdbi;
    /** The one retry after a dead connection (see {@link DeadConnections}). */
    private final DeadConnections dead;
    private final Dialect dialect;
    private final String store;
    private final String inFlightKey;
    private final String serviceMatch;
    private final String lookups;
    /** The CTE that finds what needs the judge: the service's allocation, expired or owned ones in the span. */
    private final String guard;

    /**
     * @param database identifies the database for the H2 in-flight marks (its JDBC URL)
     */
    JdbcAllocator(Jdbi jdbi, Dialect dialect, String store, String database, DeadConnections dead) {
        this.jdbi = jdbi;
        this.dead = dead;
        this.dialect = dialect;
        this.store = store;
        this.inFlightKey = database;
        this.serviceMatch = serviceMatch(dialect);
        String span = "hostname = :host AND port_number BETWEEN :first AND :last AND released_at IS NULL";
        // H2 has no partial index: its generated lease_port column is indexed and set only for held leases.
        String leases = dialect == Dialect.H2 ? "hostname = :host AND lease_port BETWEEN :first AND :last"
                + " AND released_at IS NULL" : span;
        this.lookups = "SELECT 1 AS kind, " + Rows.COLUMNS + " FROM port_allocations WHERE " + serviceMatch
                + " UNION ALL SELECT 2 AS kind, " + Rows.COLUMNS + " FROM port_allocations WHERE " + leases
                + " AND expires_at <= :now"
                + " UNION ALL SELECT 3 AS kind, " + Rows.COLUMNS + " FROM port_allocations WHERE id IN (SELECT MIN(id)"
                + " FROM port_allocations WHERE " + leases + " AND owner_pid IS NOT NULL"
                + " GROUP BY owner_machine, owner_pid, owner_started_at)";
        this.guard = "WITH judge AS (SELECT 1 FROM port_allocations WHERE " + serviceMatch
                + " UNION ALL SELECT 1 FROM port_allocations WHERE " + span
                + " AND (expires_at <= :now OR owner_pid IS NOT NULL) LIMIT 1), ";
    }

    /** The condition matching the held allocations of (:host, :project, :service, :environment). */
    static String serviceMatch(Dialect dialect) {
        String columns = "hostname = :host AND project_name = :project AND service_name = :service "
                + "AND environment = :environment AND released_at IS NULL";
        if (dialect == Dialect.POSTGRESQL) {
            // Matches the expression of the unique index port_allocations_service, so the index answers.
            return "md5(hostname || chr(1) || project_name || chr(1) || service_name || chr(1) || environment) "
                    + "= md5(:host || chr(1) || :project || chr(1) || :service || chr(1) || :environment) AND "
                    + columns;
        }
        return columns;
    }

    @Override
    public StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge) {
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("no plans to allocate; pass at least one");
        }
        Instant now = Rows.micros(judge.now());
        String what = "allocating " + plans.get(0).project() + "/" + plans.get(0).service()
                + (plans.size() > 1 ? " and " + (plans.size() - 1) + " more" : "");
        DeadConnections.Call deadCall = dead.call();
        boolean fastFirst = dialect == Dialect.POSTGRESQL && plans.size() == 1 && fastEligible(plans.get(0));
        // Whether the one-statement path already ran (auto-committed, outside a transaction) and found it could not do
        // the work; if it did not run, the transaction below tries it first.
        boolean[] fastRan = {false};
        if (fastFirst) {
            try {
                StoreChange change = jdbi.withHandle(h -> {
                    if (!JdbcStore.autoCommits(h)) {
                        return null;
                    }
                    fastRan[0] = true;
                    return new Attempt(h, judge, now, List.of(), true).fastOnly(plans.get(0));
                });
                if (change != null) {
                    return change;
                }
            } catch (JdbiException e) {
                // After a dead connection the transaction below runs the general path, which finds the service's
                // allocation if the auto-committed statement did commit.
                if (!SqlErrors.isRetryable(e) && !deadCall.again(e, idempotent(plans), false)) {
                    throw SqlErrors.translate(store, what, e);
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                StoreChange change;
                List<String> marks = new ArrayList<>(0);
                boolean tryFast = !fastRan[0];
                try {
                    change = jdbi.inTransaction(h -> new Attempt(h, judge, now, marks, tryFast).run(plans));
                } finally {
                    IN_FLIGHT.removeAll(marks);
                }
                if (attempt > 1) {
                    LOG.debug("[{}] {} took {} attempts", store, what, attempt);
                }
                return change;
            } catch (Contended e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new StoreUnavailableException(store + ": gave up " + what + " after " + attempt
                            + " attempts: other clients kept taking the same port or service first (" + e.getMessage()
                            + "); retry, or use a spread search order to contend less");
                }
            } catch (JdbiException e) {
                if (deadCall.again(e, idempotent(plans), true)) {
                    continue;
                }
                if (!SqlErrors.isRetryable(e) || attempt >= MAX_ATTEMPTS) {
                    throw SqlErrors.translate(store, what, e);
                }
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1 + Math.min(attempt, 10) * 500_000L));
        }
    }

    /**
     * A new allocation id: a version 7 UUID (48 bits of Unix milliseconds, then random bits), so ids of new rows land
     * next to each other in the primary key instead of on random index pages.
     */
    static String timeOrderedId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(high, low).toString();
    }

    /**
     * Whether running the plans twice does what running them once does: every plan a get-or-allocate, which finds the
     * allocation a first run committed.
     */
    private static boolean idempotent(List<AllocationPlan> plans) {
        return plans.stream().allMatch(p -> p.mode() == AllocationPlan.Mode.GET_OR_ALLOCATE);
    }

    /** Whether the plan may take the one-statement path: a search of a span, nothing to move, no port named first. */
    private static boolean fastEligible(AllocationPlan plan) {
        Candidates c = plan.candidates();
        return plan.mode() != AllocationPlan.Mode.REPLACE && !c.exact() && c.preferred().isEmpty()
                && c.alternatives().isEmpty();
    }

    /** Another client took the port or service first; the transaction is rolled back and run again. */
    private static final class Contended extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Contended(String message) {
            super(message, null, false, false);
        }
    }

    /** One transaction's work over all plans. */
    private final class Attempt {
        private final Handle h;
        private final LeaseJudge judge;
        private final Instant now;
        private final List<Allocation> results = new ArrayList<>();
        private final List<Allocation> created = new ArrayList<>();
        private final List<HistoryEntry> history = new ArrayList<>();
        private final List<String> marks;
        private final boolean tryFast;

        Attempt(Handle h, LeaseJudge judge, Instant now, List<String> marks, boolean tryFast) {
            this.h = JdbcStore.lenient(h);
            this.marks = marks;
            this.tryFast = tryFast;
            this.judge = judge;
            this.now = now;
        }

        /**
         * The id of the plan's allocation: the one a copy keeps, unless a row (perhaps one ended since) has it already;
         * else a new one.
         */
        private String idFor(AllocationPlan plan) {
            return plan.keptId().filter(id -> h.createQuery("SELECT COUNT(*) FROM port_allocations WHERE id = :id")
                    .bind("id", id).mapTo(Integer.class).one() == 0).orElseGet(JdbcAllocator::timeOrderedId);
        }

        StoreChange run(List<AllocationPlan> plans) {
            for (AllocationPlan plan : plans) {
                one(plan);
            }
            return new StoreChange(results, created, history);
        }

        private void one(AllocationPlan plan) {
            Candidates c = plan.candidates();
            if (tryFast && dialect == Dialect.POSTGRESQL && fastEligible(plan) && fast(plan)) {
                return;
            }
            List<Allocation> service = new ArrayList<>(2);
            Map<String, Allocation> expired = new LinkedHashMap<>();
            List<ProcessOwner> owners = new ArrayList<>();
            h.createQuery(lookups).bind("host", plan.host()).bind("project", plan.project())
                    .bind("service", plan.service()).bind("environment", plan.environment())
                    .bind("first", c.first()).bind("last", c.last()).bind("now", Rows.time(now))
                    .map((rs, ctx) -> {
                        int kind = rs.getInt("kind");
                        if (kind == 3) {
                            owners.add(new ProcessOwner(rs.getLong("owner_pid"), Rows.instant(rs, "owner_started_at"),
                                    rs.getString("owner_machine")));
                        } else {
                            // A row past the name rules is left holding its port (with a warning), never fatal.
                            Allocation a = Rows.allocationOrNull(rs, store);
                            if (a != null && kind == 1) {
                                service.add(a);
                            } else if (a != null) {
                                expired.put(a.id(), a);
                            }
                        }
                        return kind;
                    }).list();

            AllocationDecision decision = AllocationDecision.decide(plan, service, this::unended, judge, now);
            if (decision.existing().isPresent()) {
                results.add(decision.existing().get());
                return;
            }
            Allocation replaced = decision.replaced().orElse(null);
            if (replaced != null) {
                expired.remove(replaced.id());
            }
            // The service's lapsed allocations end unconditionally (judged so); the span's only if still expired.
            List<Allocation> reclaim = new ArrayList<>(decision.lapsed());
            List<Boolean> ownerDead = new ArrayList<>();
            reclaim.forEach(a -> ownerDead.add(true));
            for (Allocation a : expired.values()) {
                if (reclaim.stream().noneMatch(r -> r.id().equals(a.id()))) {
                    reclaim.add(a);
                    ownerDead.add(false);
                }
            }
            for (ProcessOwner owner : owners) {
                if (!judge.isAlive(owner)) {
                    for (Allocation a : ownedBy(plan, owner)) {
                        if ((replaced == null || !a.id().equals(replaced.id()))
                                && reclaim.stream().noneMatch(r -> r.id().equals(a.id()))) {
                            reclaim.add(a);
                            ownerDead.add(true);
                        }
                    }
                }
            }
            List<HistoryEntry> entries = new ArrayList<>();
            if (!reclaim.isEmpty()) {
                end(decision, reclaim, ownerDead, entries);
                writeHistory(entries);
            }
            if (replaced != null) {
                int ended = h.createUpdate("UPDATE port_allocations SET released_at = :now WHERE id = :id "
                        + "AND released_at IS NULL").bind("now", Rows.time(now)).bind("id", replaced.id()).execute();
                if (ended == 0) {
                    throw plan.replacedGone();
                }
            }
            String id = idFor(plan);
            // The common case writes its history in the claim statement itself; a move logs the port it left first.
            boolean logInClaim = replaced == null && dialect == Dialect.POSTGRESQL;
            int port = dialect == Dialect.POSTGRESQL
                    ? claimOnPostgres(decision, id, logInClaim)
                    : claimOnH2(decision, id);
            if (port == 0) {
                throw plan.noFreePort(countHeld(plan));
            }
            Allocation allocation = Rows.stored(plan.toAllocation(id, port, now));
            List<HistoryEntry> after = decision.historyFor(allocation);
            if (!logInClaim) {
                writeHistory(after);
            }
            entries.addAll(after);
            history.addAll(entries);
            results.add(allocation);
            created.add(allocation);
        }

        /**
         * The common case in one statement: no allocation of the service, nothing expired or owned in the span. Returns
         * false, having changed nothing, when the statement found something for the judge or lost a race.
         */
        private boolean fast(AllocationPlan plan) {
            String id = idFor(plan);
            Claim claim = claimStatement(plan, id, "port_pick(:host, :protocol, :first, :last, :start, :excluded)", 0,
                    true, new BitSet(), true);
            if (claim.claimed == null) {
                if (claim.judge || claim.picked != null) {
                    return false;
                }
                throw plan.noFreePort(countHeld(plan));
            }
            Allocation allocation = Rows.stored(plan.toAllocation(id, claim.claimed, now));
            history.add(plan.historyFor(allocation));
            results.add(allocation);
            created.add(allocation);
            return true;
        }

        /**
         * The whole allocation as the one statement of an auto-committed connection, or null, having written nothing,
         * when the plan needs the transactional path.
         */
        StoreChange fastOnly(AllocationPlan plan) {
            return fast(plan) ? new StoreChange(results, created, history) : null;
        }

        /** The allocation with this id if it has not ended, for the allocation a {@code REPLACE} plan names. */
        private Optional<Allocation> unended(String id) {
            return h.createQuery("SELECT " + Rows.COLUMNS + " FROM port_allocations WHERE id = :id "
                            + "AND released_at IS NULL").bind("id", id)
                    .map((rs, ctx) -> Rows.allocation(rs, store)).findOne();
        }

        /** The held allocations of the span owned by {@code owner}. */
        private List<Allocation> ownedBy(AllocationPlan plan, ProcessOwner owner) {
            return h.createQuery("SELECT " + Rows.COLUMNS + " FROM port_allocations WHERE hostname = :host "
                            + "AND port_number BETWEEN :first AND :last AND released_at IS NULL AND owner_pid = :pid "
                            + "AND owner_machine = :machine AND owner_started_at = :startedAt")
                    .bind("host", plan.host()).bind("first", plan.candidates().first())
                    .bind("last", plan.candidates().last()).bind("pid", owner.pid())
                    .bind("machine", owner.machine()).bind("startedAt", Rows.time(owner.startedAt()))
                    .map((rs, ctx) -> Rows.allocation(rs, store)).list();
        }

        /**
         * Ends lapsed allocations, each only if still held and (unless its owner is dead) still expired: another
         * client may have reclaimed or renewed it meanwhile. Adds an EXPIRED entry for each one ended here.
         */
        private void end(AllocationDecision decision, List<Allocation> reclaim, List<Boolean> ownerDead,
                         List<HistoryEntry> entries) {
            PreparedBatch batch = h.prepareBatch("UPDATE port_allocations SET released_at = :now WHERE id = :id "
                    + "AND released_at IS NULL AND (:dead OR expires_at <= :now)");
            for (int i = 0; i < reclaim.size(); i++) {
                batch.bind("now", Rows.time(now)).bind("id", reclaim.get(i).id()).bind("dead", ownerDead.get(i)).add();
            }
            int[] counts = batch.execute();
            for (int i = 0; i < reclaim.size(); i++) {
                if (counts[i] != 0) {
                    entries.add(decision.expired(reclaim.get(i)));
                }
            }
        }

        private void writeHistory(List<HistoryEntry> entries) {
            if (entries.isEmpty()) {
                return;
            }
            PreparedBatch batch = h.prepareBatch("INSERT INTO port_allocation_history (" + Rows.HISTORY_COLUMNS
                    + ") VALUES (" + Rows.HISTORY_VALUES + ")");
            for (HistoryEntry e : entries) {
                Rows.bindHistory(batch, e).add();
            }
            batch.execute();
        }

        /** How many ports of the span live allocations hold for a colliding protocol, for the no-free-port message. */
        private int countHeld(AllocationPlan plan) {
            return h.createQuery("SELECT COUNT(DISTINCT port_number) FROM port_allocations WHERE hostname = :host "
                            + "AND port_number BETWEEN :first AND :last AND released_at IS NULL "
                            + "AND (protocol = 'BOTH' OR :protocol = 'BOTH' OR protocol = :protocol)")
                    .bind("host", plan.host()).bind("first", plan.candidates().first())
                    .bind("last", plan.candidates().last()).bind("protocol", plan.protocol().name())
                    .mapTo(Integer.class).one();
        }

        /** The held allocation at the port that collides with the plan's protocol, if any. */
        private Optional<Allocation> holder(AllocationPlan plan, int port) {
            return h.createQuery("SELECT " + Rows.COLUMNS + " FROM port_allocations WHERE hostname = :host "
                            + "AND port_number = :port AND released_at IS NULL "
                            + "AND (protocol = 'BOTH' OR :protocol = 'BOTH' OR protocol = :protocol)")
                    .bind("host", plan.host()).bind("port", port).bind("protocol", plan.protocol().name())
                    .map((rs, ctx) -> Rows.allocation(rs, store)).findFirst();
        }

        // ---- PostgreSQL: one statement per try ----

        private int claimOnPostgres(AllocationDecision decision, String id, boolean log) {
            AllocationPlan plan = decision.plan();
            Candidates c = plan.candidates();
            BitSet tried = new BitSet();
            if (decision.leaving() != 0) {
                tried.set(decision.leaving());
            }
            List<Integer> direct = new ArrayList<>(2);
            if (decision.returning() != 0) {
                direct.add(decision.returning());
            }
            c.preferred().ifPresent(p -> {
                if (!c.isExcluded(p) && !direct.contains(p)) {
                    direct.add(p);
                }
            });
            for (int p : c.alternatives()) {
                if (!c.isExcluded(p) && !direct.contains(p)) {
                    direct.add(p);
                }
            }
            for (int port : direct) {
                if (tried.get(port)) {
                    continue;
                }
                tried.set(port);
                Integer claimed = claimStatement(plan, id, "CAST(:direct AS INTEGER)", port, log, tried).claimed;
                if (claimed != null) {
                    return claimed;
                }
                if (c.exact()) {
                    throw taken(plan, port);
                }
            }
            if (c.exact() || c.alternativesOnly()) {
                return 0;
            }
            for (int pick = 1; pick <= MAX_PICKS; pick++) {
                Claim claim = claimStatement(plan, id,
                        "port_pick(:host, :protocol, :first, :last, :start, :excluded)", 0, log, tried);
                if (claim.claimed != null) {
                    return claim.claimed;
                }
                if (claim.picked == null) {
                    return 0;
                }
                int picked = claim.picked;
                if (holder(plan, picked).isEmpty()) {
                    throw new Contended("the service " + plan.project() + "/" + plan.service()
                            + " was allocated by another client meanwhile");
                }
                tried.set(picked);
            }
            throw new Contended("every free port picked was taken meanwhile");
        }

        private Claim claimStatement(AllocationPlan plan, String id, String portExpression, int direct, boolean log,
                                     BitSet tried) {
            return claimStatement(plan, id, portExpression, direct, log, tried, false);
        }

        /**
         * One claim statement. With {@code guarded}, it first looks for what needs Java's judgement (an allocation of
         * the service, an expiring or owned allocation in the span) and claims nothing if it finds any.
         */
        private Claim claimStatement(AllocationPlan plan, String id, String portExpression, int direct, boolean log,
                                     BitSet tried, boolean guarded) {
            Candidates c = plan.candidates();
            Allocation template = Rows.stored(plan.toAllocation(id, c.first(), now));
            HistoryEntry made = plan.historyFor(template);
            String sql = (guarded ? guard : "WITH ")
                    + "pick AS (SELECT " + portExpression + " AS port_number"
                    + (guarded ? " WHERE NOT EXISTS (SELECT 1 FROM judge)" : "") + "), "
                    + "ins AS (INSERT INTO port_allocations (" + Rows.COLUMNS + ") SELECT "
                    + Rows.VALUES.replace(":port,", "pick.port_number,") + " FROM pick "
                    + "WHERE pick.port_number IS NOT NULL ON CONFLICT DO NOTHING RETURNING port_number), "
                    + "logged AS (INSERT INTO port_allocation_history (" + Rows.HISTORY_COLUMNS + ") SELECT "
                    + Rows.HISTORY_VALUES.replace(":port,", "ins.port_number,") + " FROM ins WHERE :log) "
                    + "SELECT (SELECT port_number FROM pick) AS picked, (SELECT port_number FROM ins) AS claimed, "
                    + (guarded ? "EXISTS (SELECT 1 FROM judge)" : "FALSE") + " AS judge";
            BitSet excluded = (BitSet) tried.clone();
            for (int p : c.excludedPorts()) {
                excluded.set(p);
            }
            int[] excludedPorts = excluded.stream().toArray();
            var query = h.createQuery(sql);
            Rows.bindAllocation(query, template);
            Rows.bindHistory(query, made);
            return query.bind("direct", direct).bind("first", c.first()).bind("last", c.last())
                    .bind("start", c.startAt()).bind("excluded", intArray(excludedPorts)).bind("log", log)
                    .bind("now", Rows.time(now)).bind("project", plan.project()).bind("service", plan.service())
                    .bind("environment", plan.environment())
                    .map((rs, ctx) -> new Claim((Integer) rs.getObject("picked"), (Integer) rs.getObject("claimed"),
                            rs.getBoolean("judge")))
                    .one();
        }

        // ---- H2: embedded, so a statement is a method call ----

        private int claimOnH2(AllocationDecision decision, String id) {
            AllocationPlan plan = decision.plan();
            Candidates c = plan.candidates();
            HeldPorts held = new HeldPorts(plan);
            // First pass: skip ports another transaction of this JVM is claiming right now (H2's stand-in for SKIP
            // LOCKED); only if that leaves nothing, wait for them in a second pass.
            for (int pass = 1; pass <= 2; pass++) {
                boolean skipBusy = pass == 1 && !c.exact();
                boolean skippedBusy = false;
                for (PrimitiveIterator.OfInt ports = decision.ports(); ports.hasNext(); ) {
                    int port = ports.nextInt();
                    if (held.isHeld(port)) {
                        if (c.exact()) {
                            throw taken(plan, port);
                        }
                    } else if (skipBusy && !markInFlight(plan.host(), port)) {
                        skippedBusy = true;
                    } else if (insertOnH2(plan, id, port, held)) {
                        return port;
                    } else if (c.exact()) {
                        throw taken(plan, port);
                    }
                }
                if (!skippedBusy) {
                    break;
                }
            }
            return 0;
        }

        /**
         * The ports of the span held for a colliding protocol, read in blocks as the search reaches them, so a search
         * that finds a free port early reads few rows.
         */
        private final class HeldPorts {
            private static final int BLOCK = 128;
            private final AllocationPlan plan;
            private final BitSet held = new BitSet();
            private final BitSet loaded = new BitSet();

            HeldPorts(AllocationPlan plan) {
                this.plan = plan;
            }

            boolean isHeld(int port) {
                if (!loaded.get(port)) {
                    int from = Math.max(plan.candidates().first(), port - port % BLOCK);
                    int to = Math.min(plan.candidates().last(), from + BLOCK - 1);
                    for (String slot : plan.protocol() == Protocol.BOTH ? List.of("tcp_slot", "udp_slot")
                            : List.of(plan.protocol() == Protocol.TCP ? "tcp_slot" : "udp_slot")) {
                        h.createQuery("SELECT " + slot + " FROM port_allocations WHERE hostname = :host AND " + slot
                                        + " BETWEEN :from AND :to")
                                .bind("host", plan.host()).bind("from", from).bind("to", to)
                                .mapTo(Integer.class).forEach(held::set);
                    }
                    loaded.set(from, to + 1);
                }
                return held.get(port);
            }

            void set(int port) {
                held.set(port);
            }
        }

        /** The exception for an exact port found held; a new attempt if its holder is gone already. */
        private RuntimeException taken(AllocationPlan plan, int port) {
            Optional<Allocation> holder = holder(plan, port);
            if (holder.isPresent()) {
                return plan.portTaken(holder.get());
            }
            return new Contended("port " + port + " was taken and freed meanwhile");
        }

        /** Marks the port as being claimed by this transaction; false if another transaction of this JVM is. */
        private boolean markInFlight(String host, int port) {
            String key = inFlightKey + " " + port + " " + host;
            if (IN_FLIGHT.add(key)) {
                marks.add(key);
                return true;
            }
            return false;
        }

        /** Inserts the allocation at the port; false if a held allocation has the port (now marked in held). */
        private boolean insertOnH2(AllocationPlan plan, String id, int port, HeldPorts held) {
            Allocation a = Rows.stored(plan.toAllocation(id, port, now));
            try {
                Rows.bindAllocation(h.createUpdate("INSERT INTO port_allocations (" + Rows.COLUMNS + ") VALUES ("
                        + Rows.VALUES + ")"), a).execute();
                return true;
            } catch (JdbiException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw e;
                }
                String message = String.valueOf(SqlErrors.sqlCause(e).getMessage()).toUpperCase(java.util.Locale.ROOT);
                if (message.contains("PORT_ALLOCATIONS_SERVICE") || message.contains("SERVICE_KEY")) {
                    throw new Contended("the service " + plan.project() + "/" + plan.service()
                            + " was allocated by another client meanwhile");
                }
                held.set(port);
                return false;
            }
        }
    }

    /** What a claim statement picked and claimed (null for nothing), and whether it found work for the judge. */
    private static final class Claim {
        final Integer picked;
        final Integer claimed;
        final boolean judge;

        Claim(Integer picked, Integer claimed, boolean judge) {
            this.picked = picked;
            this.claimed = claimed;
            this.judge = judge;
        }
    }

    /** An INTEGER[] parameter. */
    private static Argument intArray(int[] ports) {
        Integer[] boxed = new Integer[ports.length];
        for (int i = 0; i < ports.length; i++) {
            boxed[i] = ports[i];
        }
        return (position, statement, ctx) -> statement.setArray(position,
                statement.getConnection().createArrayOf("integer", boxed));
    }
}
