package dev.portmanager.store.jdbc;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The PostgreSQL server the tests use: {@code PORTMANAGER_TEST_PG_URL} when set (a JDBC URL to a database the tests
 * may create schemas in), else a throwaway cluster started from {@code /usr/lib/postgresql/<version>/bin} on a free
 * loopback port (as the {@code postgres} user when the build runs as root), stopped and deleted when the JVM exits.
 * Where neither exists, {@link #get()} aborts the calling test, so it is reported as skipped with the reason.
 */
public final class TestPostgres {
    static final String URL_ENV = "PORTMANAGER_TEST_PG_URL";
    /** Whether the throwaway cluster keeps PostgreSQL's durable defaults (fsync, synchronous commit): the benchmark's. */
    static final boolean DURABLE = Boolean.getBoolean("portmanager.test.pg.durable");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static TestPostgres instance;
    private static String unavailable;

    /** The JDBC URL of the database, with user and password parameters when there are any. */
    public final String url;
    /** The libpq connection string psql takes for the same database. */
    final String psqlTarget;
    /** The throwaway cluster's bin folder and data folder; null for a server of {@code PORTMANAGER_TEST_PG_URL}. */
    private final Path bin;
    private final Path data;
    private final boolean root;

    private TestPostgres(String url, String psqlTarget, Path bin, Path data, boolean root) {
        this.url = url;
        this.psqlTarget = psqlTarget;
        this.bin = bin;
        this.data = data;
        this.root = root;
    }

    /**
     * Restarts the throwaway cluster with {@code pg_ctl restart} (fast shutdown: every backend is terminated) and
     * waits until it accepts connections again; aborts the calling test (skipped, with the reason) on a server of
     * {@code PORTMANAGER_TEST_PG_URL}, which the tests may not restart.
     */
    public synchronized void restart() throws IOException, InterruptedException {
        Assumptions.assumeTrue(data != null, "restart skipped: the server of " + URL_ENV + " is not the tests' own");
        run(as(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(),
                "-l", data.resolve("server.log").toString(), "-m", "fast", "-w", "-t", "60", "restart")));
    }

    /** The server, started on first use; aborts the test (skipped, with the reason) when there is none. */
    public static synchronized TestPostgres get() {
        if (instance == null && unavailable == null) {
            try {
                instance = start();
            } catch (Exception e) {
                unavailable = "could not start a throwaway PostgreSQL: " + e.getMessage();
            }
        }
        Assumptions.assumeTrue(instance != null, () -> "PostgreSQL tests skipped: " + unavailable);
        return instance;
    }

    /** A JDBC URL to a new, empty schema of the test database. */
    public String newSchemaUrl() throws SQLException {
        String schema = "pm_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The schema a {@link #newSchemaUrl()} URL names. */
    static String schemaOf(String url) {
        return url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    }

    private static TestPostgres start() throws Exception {
        String fromEnv = System.getenv(URL_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new TestPostgres(fromEnv.strip(), psqlTarget(fromEnv.strip()), null, null, false);
        }
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            unavailable = "no PostgreSQL binaries under " + System.getProperty("portmanager.test.pg.root",
                    "/usr/lib/postgresql") + "/*/bin and " + URL_ENV + " is not set; "
                    + "install the postgresql package or point " + URL_ENV + " at a server";
            return null;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = Files.createTempDirectory("portmanager-pg-");
        if (root) {
            run(List.of("chown", "postgres:postgres", data.toString()));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin.get(), data, root)));
        run(as(root, List.of(bin.get().resolve("initdb").toString(), "-D", data.resolve("db").toString(),
                "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")));
        run(as(root, List.of(bin.get().resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(),
                "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -h 127.0.0.1 -k " + data + " -c max_connections=300 -c shared_buffers=128MB"
                        + (DURABLE ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
                "start")));
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        return new TestPostgres(url, "postgresql://postgres@127.0.0.1:" + port + "/postgres", bin.get(), data, root);
    }

    /** The newest PostgreSQL bin folder of the machine ({@code portmanager.test.pg.root}, else /usr/lib/postgresql). */
    static Optional<Path> binaries() throws IOException {
        Path root = Path.of(System.getProperty("portmanager.test.pg.root", "/usr/lib/postgresql"));
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b)));
        }
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> as(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(command);
        return out;
    }

    private static void stop(Path bin, Path data, boolean root) {
        try {
            if (Files.exists(data.resolve("db").resolve("postmaster.pid"))) {
                run(as(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(),
                        "-m", "immediate", "-w", "stop")));
            }
        } catch (Exception e) {
            System.err.println("could not stop the test PostgreSQL in " + data + ": " + e.getMessage());
        }
        try (Stream<Path> all = Files.walk(data)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + data + ": " + e.getMessage());
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** The JDBC URL as the connection URI psql takes, user and password moved before the host. */
    static String psqlTarget(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:".length());
        int q = rest.indexOf('?');
        String base = q < 0 ? rest : rest.substring(0, q);
        String user = null;
        String password = null;
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.startsWith("user=")) {
                    user = pair.substring(5);
                } else if (pair.startsWith("password=")) {
                    password = pair.substring(9);
                }
            }
        }
        if (user == null) {
            return base;
        }
        return base.replace("postgresql://", "postgresql://" + user + (password == null ? "" : ":" + password) + "@");
    }
}
