package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.RangePolicy;
import dev.portmanager.SearchOrder;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.LeaseJudge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The JDBC store's benchmark, run only by {@code -Pbench} (see the module README): allocation + release throughput
 * and latency on PostgreSQL at 1, 8 and 32 clients with the range 10%, 50% and 95% full, for each search order, beside
 * the {@code SELECT 1} and two-row UPDATE commit floors measured in the same run; and H2 (file) at 1 and 8 threads.
 * Writes a Markdown report to {@code portmanager.bench.output}.
 */
class JdbcStoreBenchmark {
    private static final int FIRST = 20000;
    private static final int SIZE = 10_000;
    private static final long WARMUP_MS = Long.getLong("portmanager.bench.warmupMs", 1000);
    private static final long MEASURE_MS = Long.getLong("portmanager.bench.measureMs", 3000);
    private static final int ROUNDS = 3;
    private static final int[] CLIENTS = {1, 8, 32};
    private static final int[] FILLS = {10, 50, 95};
    private static final SearchOrder[] ORDERS = {SearchOrder.LOWEST_FIRST, SearchOrder.SPREAD};
    private static final LeaseJudge JUDGE = new LeaseJudge() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public boolean isAlive(ProcessOwner owner) {
            return true;
        }
    };

    @TempDir
    Path dir;

    /** One measured cell. */
    private static final class Result {
        final double opsPerSecond;
        final double p50Millis;
        final double p99Millis;

        Result(double opsPerSecond, double p50Millis, double p99Millis) {
            this.opsPerSecond = opsPerSecond;
            this.p50Millis = p50Millis;
            this.p99Millis = p99Millis;
        }
    }

    /** What one client does once; returns nothing, throws on failure. */
    private interface Op {
        void run(int client) throws Exception;
    }

    @Test
    void benchmark() throws Exception {
        System.setProperty("portmanager.test.pg.durable", "true");
        TestPostgres pg = TestPostgres.get();
        StringBuilder report = new StringBuilder();
        String version;
        try (Connection c = DriverManager.getConnection(pg.url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            version = rs.getString(1);
        }
        String floorUrl = pg.newSchemaUrl();
        prepareFloor(floorUrl);
        Connection[] floor = new Connection[CLIENTS[CLIENTS.length - 1]];
        List<String> floorRows = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        List<String> sqlRows = new ArrayList<>();
        try {
            for (int i = 0; i < floor.length; i++) {
                floor[i] = DriverManager.getConnection(floorUrl + "&prepareThreshold=1");
            }
            Op select = client -> {
                try (PreparedStatement ps = floor[client].prepareStatement("SELECT 1");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            };
            Op write = client -> {
                Connection c = floor[client];
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("UPDATE bench_floor SET n = n + 1 WHERE id = ?")) {
                    int first = ThreadLocalRandom.current().nextInt(100_000);
                    ps.setInt(1, first);
                    ps.executeUpdate();
                    ps.setInt(1, (first + 1 + ThreadLocalRandom.current().nextInt(99_999)) % 100_000);
                    ps.executeUpdate();
                }
                c.commit();
            };
            for (int clients : CLIENTS) {
                Result[] r = interleaved(clients, select, write);
                floorRows.add("| " + clients + " | " + tps(r[0].opsPerSecond) + " | " + tps(r[1].opsPerSecond)
                        + " | " + ms(r[1].p50Millis) + " | " + ms(r[1].p99Millis) + " |");
            }
            for (SearchOrder order : ORDERS) {
                for (int fill : FILLS) {
                    String url = pg.newSchemaUrl();
                    prefill(url, order, fill, "localhost");
                    try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.builder().poolSize(40).build())) {
                        for (int clients : CLIENTS) {
                            Result[] r = interleaved(clients, write, allocateAndRelease(store, order));
                            double ratio = r[1].opsPerSecond / r[0].opsPerSecond;
                            rows.add("| " + order.name().toLowerCase(Locale.ROOT) + " | " + fill + "% | " + clients
                                    + " | " + tps(r[1].opsPerSecond) + " | " + tps(r[0].opsPerSecond) + " | "
                                    + Math.round(ratio * 100) + "% | " + ms(r[1].p50Millis) + " | "
                                    + ms(r[1].p99Millis) + " |");
                            if (clients >= 8 && ratio < 0.5) {
                                misses.add(order + " " + fill + "% " + clients + " clients: " + Math.round(ratio * 100)
                                        + "% of the write floor");
                            }
                            if (clients == 32 && r[1].p99Millis >= 50) {
                                misses.add(order + " " + fill + "% 32 clients: p99 " + ms(r[1].p99Millis) + " ms");
                            }
                        }
                    }
                }
            }
            for (int fill : FILLS) {
                String url = pg.newSchemaUrl();
                prefill(url, SearchOrder.LOWEST_FIRST, fill, "localhost");
                Connection[] sql = new Connection[CLIENTS[CLIENTS.length - 1]];
                try {
                    for (int i = 0; i < sql.length; i++) {
                        sql[i] = DriverManager.getConnection(url + "&prepareThreshold=1");
                        sql[i].setAutoCommit(false);
                    }
                    Op functions = client -> {
                        Connection c = sql[client];
                        int port;
                        try (PreparedStatement ps = c.prepareStatement(
                                "SELECT allocate_port('bench', ?, 'bench', 'localhost', 'tcp')")) {
                            ps.setString(1, "c" + client + "-" + ThreadLocalRandom.current().nextInt(1 << 30));
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                port = rs.getInt(1);
                            }
                        }
                        try (PreparedStatement ps = c.prepareStatement("SELECT release_port(?, 'localhost')")) {
                            ps.setInt(1, port);
                            ps.executeQuery().close();
                        }
                        c.commit();
                    };
                    for (int clients : CLIENTS) {
                        Result[] r = interleaved(clients, write, functions);
                        double ratio = r[1].opsPerSecond / r[0].opsPerSecond;
                        sqlRows.add("| " + fill + "% | " + clients + " | " + tps(r[1].opsPerSecond) + " | "
                                + tps(r[0].opsPerSecond) + " | " + Math.round(ratio * 100) + "% | "
                                + ms(r[1].p50Millis) + " | " + ms(r[1].p99Millis) + " |");
                    }
                } finally {
                    for (Connection c : sql) {
                        if (c != null) {
                            c.close();
                        }
                    }
                }
            }
        } finally {
            for (Connection c : floor) {
                if (c != null) {
                    c.close();
                }
            }
        }

        List<String> h2Rows = new ArrayList<>();
        for (SearchOrder order : ORDERS) {
            String url = "jdbc:h2:file:" + dir.resolve("bench-" + order);
            prefill(url, order, 50, "localhost");
            try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.builder().poolSize(10).build())) {
                for (int threads : new int[] {1, 8}) {
                    Result r = measure(threads, allocateAndRelease(store, order));
                    h2Rows.add("| " + order.name().toLowerCase(Locale.ROOT) + " | 50% | " + threads + " | "
                            + tps(r.opsPerSecond) + " | " + ms(r.p50Millis) + " | " + ms(r.p99Millis) + " |");
                }
            }
        }

        report.append("# port-store-jdbc benchmark\n\n")
                .append("Measured ").append(LocalDate.now()).append(" by `JdbcStoreBenchmark` on PostgreSQL ")
                .append(version).append(" (a throwaway cluster with the durable defaults: fsync on, synchronous ")
                .append("commit) and H2 ").append(org.h2.engine.Constants.VERSION).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, client and server on the same ")
                .append("machine. Each cell: ").append(WARMUP_MS).append(" ms warm-up, then ").append(MEASURE_MS)
                .append(" ms measured. One operation = one `allocate` transaction plus one `release` transaction ")
                .append("through the store's SPI (`allocator().allocate(plan)`, `release(id)`), in a range of ")
                .append(SIZE).append(" ports on one host.\n\n")
                .append("Reproduce: `mvn -B verify -pl port-core,port-store-jdbc -Pbench -Dtest=JdbcStoreBenchmark ")
                .append("-Dsurefire.failIfNoSpecifiedTests=false` (about six minutes).\n\n")
                .append("## Floors (same run)\n\n")
                .append("`SELECT 1`: one prepared query per round trip, autocommit. Write floor: one transaction ")
                .append("updating two random rows of 100,000 and committing. The two alternate in slices of ")
                .append(MEASURE_MS / ROUNDS).append(" ms, three times, as each store cell below alternates with its ")
                .append("own write floor, so both see the same load on a machine shared with other work.\n\n")
                .append("| clients | SELECT 1 /s | write floor tx/s | write p50 ms | write p99 ms |\n")
                .append("| ---: | ---: | ---: | ---: | ---: |\n");
        floorRows.forEach(r -> report.append(r).append('\n'));
        report.append("\n## PostgreSQL: allocate + release\n\n")
                .append("Fill: the share of the range held before the run (lowest-first: the lowest ports, as ")
                .append("lowest-first fills a range; spread: ports drawn at random). \"of floor\" compares operations ")
                .append("per second with the write floor's transactions per second measured in alternating slices ")
                .append("of the same cell; an operation is two transactions (allocate, then release).\n\n")
                .append("| order | fill | clients | ops/s | write floor tx/s | of floor | p50 ms | p99 ms |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.forEach(r -> report.append(r).append('\n'));
        report.append("\n## PostgreSQL: the SQL functions, one transaction per allocate + release\n\n")
                .append("The shape the issue measured with pgbench: one transaction runs `allocate_port` (lowest ")
                .append("first, with its reclaim of expired leases and its service look-up) and `release_port`, ")
                .append("then commits; prepared statements. The same slots and indexes as the store.\n\n")
                .append("| fill | clients | tx/s | write floor tx/s | of floor | p50 ms | p99 ms |\n")
                .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        sqlRows.forEach(r -> report.append(r).append('\n'));
        report.append("\n## H2 (file): allocate + release\n\n")
                .append("| order | fill | threads | ops/s | p50 ms | p99 ms |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        h2Rows.forEach(r -> report.append(r).append('\n'));
        report.append("\n## Targets\n\n")
                .append("At least 50% of the write floor at 8 and 32 clients at every fill level, and p99 under 50 ms ")
                .append("at 32 clients: ")
                .append(misses.isEmpty() ? "met in this run.\n" : "missed in this run for:\n\n");
        misses.forEach(m -> report.append("- ").append(m).append('\n'));

        Path out = Path.of(System.getProperty("portmanager.bench.output",
                "../docs/benchmarks/port-store-jdbc.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        String existing = Files.exists(out) ? Files.readString(out) : "";
        int notes = existing.indexOf("\n## Notes");
        Files.writeString(out, report + (notes >= 0 ? existing.substring(notes) : ""));
        System.out.println(report);
    }

    private static Op allocateAndRelease(JdbcStore store, SearchOrder order) {
        RangePolicy policy = RangePolicy.builder().order(order).avoidEphemeralRange(false).build();
        PortRange range = PortRange.of("bench", FIRST, FIRST + SIZE - 1);
        return client -> {
            AllocationRequest request = AllocationRequest.builder("bench", "c" + client + "-"
                    + ThreadLocalRandom.current().nextInt(1 << 30)).range("bench").build();
            AllocationPlan plan = AllocationPlan.builder(AllocationPlan.Mode.ALLOCATE, request,
                    policy.candidates(request, range)).host("localhost").environment("default")
                    .allocatedBy("bench@bench").build();
            Allocation a = store.allocator().allocate(List.of(plan), JUDGE).allocations().get(0);
            store.release(a.id(), HistoryAction.RELEASED, "", "bench@bench", Instant.now());
        };
    }

    /** Runs each op in turn for a slice, {@code ROUNDS} times, so every op meets the same machine load. */
    private static Result[] interleaved(int clients, Op... ops) throws Exception {
        List<List<Long>> latencies = new ArrayList<>();
        for (Op op : ops) {
            slice(clients, op, WARMUP_MS / ops.length);
            latencies.add(new ArrayList<>());
        }
        long sliceMs = MEASURE_MS / ROUNDS;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < ops.length; i++) {
                latencies.get(i).addAll(slice(clients, ops[i], sliceMs));
            }
        }
        Result[] out = new Result[ops.length];
        for (int i = 0; i < ops.length; i++) {
            out[i] = summarize(latencies.get(i), sliceMs * ROUNDS);
        }
        return out;
    }

    private static Result measure(int clients, Op op) throws Exception {
        slice(clients, op, WARMUP_MS);
        return summarize(slice(clients, op, MEASURE_MS), MEASURE_MS);
    }

    private static Result summarize(List<Long> all, long millis) {
        if (all.isEmpty()) {
            return new Result(0, Double.NaN, Double.NaN);
        }
        Collections.sort(all);
        return new Result(all.size() / (millis / 1000.0), all.get(all.size() / 2) / 1e6,
                all.get(Math.min(all.size() - 1, (int) Math.ceil(all.size() * 0.99) - 1)) / 1e6);
    }

    /** Every client runs the op for {@code millis}; the latencies of the operations that started in time. */
    private static List<Long> slice(int clients, Op op, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            long[] end = new long[1];
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    go.await();
                    long[] latencies = new long[1024];
                    int n = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end[0]) {
                            break;
                        }
                        op.run(client);
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            end[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            go.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                for (long l : f.get(10, TimeUnit.MINUTES)) {
                    all.add(l);
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void prepareFloor(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
            st.execute("INSERT INTO bench_floor SELECT g, 0 FROM generate_series(0, 99999) g");
            st.execute("VACUUM ANALYZE bench_floor");
        }
    }

    /** Holds {@code fill}% of the range: the lowest ports for lowest-first, random ones for spread. */
    private static void prefill(String url, SearchOrder order, int fill, String host) throws SQLException {
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults())) {
            store.defineRange(PortRange.of("bench", FIRST, FIRST + SIZE - 1));
        }
        List<Integer> ports = new ArrayList<>();
        for (int p = FIRST; p < FIRST + SIZE; p++) {
            ports.add(p);
        }
        if (order != SearchOrder.LOWEST_FIRST) {
            Collections.shuffle(ports, new Random(42));
        }
        int held = SIZE * fill / 100;
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO port_allocations (id, port_number, protocol, "
                    + "hostname, project_name, service_name, range_name, environment, status, allocated_at, "
                    + "allocated_by) VALUES (?, ?, 'TCP', ?, 'fill', ?, 'bench', 'default', 'ACTIVE', ?, 'bench')")) {
                for (int i = 0; i < held; i++) {
                    int port = ports.get(i);
                    ps.setString(1, "fill-" + port);
                    ps.setInt(2, port);
                    ps.setString(3, host);
                    ps.setString(4, "svc-" + port);
                    ps.setObject(5, java.time.OffsetDateTime.now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            if (url.startsWith("jdbc:postgresql:")) {
                try (Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE");
                }
            }
        }
    }

    private static String tps(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
