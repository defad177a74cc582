package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HealthStatus;
import dev.portmanager.PortManager;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static dev.portmanager.launch.LaunchReport.Outcome.ALREADY_RUNNING;
import static dev.portmanager.launch.LaunchReport.Outcome.CONFLICT;
import static dev.portmanager.launch.LaunchReport.Outcome.FAILED;
import static dev.portmanager.launch.LaunchReport.Outcome.NOT_RUNNING;
import static dev.portmanager.launch.LaunchReport.Outcome.READY;
import static dev.portmanager.launch.LaunchReport.Outcome.ROLLED_BACK;
import static dev.portmanager.launch.LaunchReport.Outcome.STARTED;
import static dev.portmanager.launch.LaunchReport.Outcome.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher with real child processes: small HTTP servers ({@link TinyServer}) started on their ports. */
@Timeout(120)
class LauncherTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private PortManager pm;
    private Launcher launcher;
    private Path marker;
    private int first;

    @BeforeEach
    void setUp() {
        first = FreeSpan.find(8);
        pm = PortManager.builder().store("json:" + dir.resolve("ports.json")).probe(SystemProbe.create())
                .range("dev", first, first + 7).defaultRange("dev").build();
        launcher = launcher(Launcher.builder(pm));
        marker = dir.resolve("marker.txt");
    }

    private Launcher launcher(Launcher.Builder b) {
        return b.logs(dir.resolve("logs")).startTimeout(Duration.ofSeconds(20)).gracePeriod(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        launcher.down("shop", List.of());
        pm.close();
    }

    private ServiceDefinition.Builder service(String name, String options) {
        return ServiceDefinition.builder("shop", name).command(TinyServer.command("--name " + name + " --marker '"
                + marker + "' " + options)).healthEndpoint("http://127.0.0.1:${port}/health");
    }

    private List<String> marks() throws IOException {
        return Files.exists(marker) ? Files.readAllLines(marker) : List.of();
    }

    private static List<String> outcomes(LaunchReport r) {
        return r.services().stream().map(s -> s.service() + " " + s.outcome()).collect(Collectors.toList());
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The process group of a Linux process, from /proc/PID/stat (the field after the state). */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[2]);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void startsInDependencyOrderEachAfterItsDependencyIsHealthyAndStopsInReverse() throws Exception {
        // db takes 1.5 s to listen; api must not be launched before db answers its health check.
        launcher.define(service("db", "--port ${port} --delay 1500").build());
        launcher.define(service("api", "").dependsOn("db").build());
        launcher.define(service("web", "").dependsOn("api").build());

        LaunchReport up = launcher.up("shop", List.of());

        assertTrue(up.ok(), up.toString());
        assertEquals(List.of("db STARTED", "api STARTED", "web STARTED"), outcomes(up));
        Allocation db = pm.find("shop", "db").orElseThrow();
        Allocation api = pm.find("shop", "api").orElseThrow();
        assertEquals(List.of("db launched", "db listening " + db.port(), "api launched", "api listening " + api.port(),
                "web launched", "web listening " + pm.find("shop", "web").orElseThrow().port()), marks());
        // The port reaches the process three ways; a dependency's port as <DEPENDENCY>_PORT.
        assertEquals("200 " + api.port(), get(api.port(), "/env/PORT"));
        assertEquals("200 " + api.port(), get(api.port(), "/env/API_PORT"));
        assertEquals("200 " + db.port(), get(api.port(), "/env/DB_PORT"));
        assertEquals("200 " + db.port(), get(db.port(), "/env/DB_PORT"));
        long dbPid = db.processId().orElseThrow();
        assertTrue(alive(dbPid));
        assertTrue(Files.readString(launcher.logFile("shop", "db")).contains("db listening on " + db.port()));
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            // A session of its own: a Ctrl-C for this JVM's terminal does not reach the service.
            assertEquals(dbPid, processGroup(dbPid), "the service leads its own process group");
            assertNotEquals(processGroup(ProcessHandle.current().pid()), processGroup(dbPid));
        }

        List<ServiceStatus> status = launcher.status("shop");
        assertEquals(List.of("api", "db", "web"), status.stream().map(ServiceStatus::service).toList());
        assertTrue(status.stream().allMatch(s -> s.running() && s.health().status() == HealthStatus.HEALTHY),
                status.toString());

        Files.delete(marker);
        LaunchReport down = launcher.down("shop", List.of());

        assertEquals(List.of("web STOPPED", "api STOPPED", "db STOPPED"), outcomes(down));
        assertEquals(List.of("web stopping", "api stopping", "db stopping"), marks());
        assertFalse(alive(dbPid));
        Allocation after = pm.find("shop", "db").orElseThrow();
        assertTrue(after.processId().isEmpty(), after.toString());
        assertEquals(db.port(), after.port(), "the port stays the service's own");
        assertTrue(launcher.status("shop").stream().noneMatch(ServiceStatus::running));
        assertEquals(List.of("web NOT_RUNNING", "api NOT_RUNNING", "db NOT_RUNNING"),
                outcomes(launcher.down("shop", List.of())));
    }

    @Test
    void logs_areTheUsersAlone_andAPlantedLinkIsNeverWrittenThrough() throws Exception {
        launcher.define(service("db", "").build());
        assertTrue(launcher.up("shop", List.of()).ok());
        Path log = launcher.logFile("shop", "db");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        launcher.down("shop", List.of());

        Path victim = Files.writeString(dir.resolve("bashrc"), "export PATH=/usr/bin\n");
        Path planted = launcher.logFile("shop", "api");
        Files.createSymbolicLink(planted, victim);
        launcher.define(service("api", "").build());
        LaunchReport up = launcher.up("shop", List.of("api"));

        assertEquals(List.of("api FAILED"), outcomes(up));
        assertTrue(up.services().get(0).detail().contains(planted + " is a symbolic link, which the launcher never "
                + "writes through"), up.services().get(0).detail());
        assertEquals("export PATH=/usr/bin\n", Files.readString(victim), "the link's target is untouched");
        assertFalse(marks().contains("api launched"), "nothing started");
    }

    @Test
    void upOfOneServiceStartsWhatItNeedsAndLeavesTheRest() throws Exception {
        launcher.define(service("db", "").build());
        launcher.define(service("api", "").dependsOn("db").build());
        launcher.define(service("worker", "").build());

        assertEquals(List.of("db STARTED", "api STARTED"), outcomes(launcher.up("shop", List.of("api"))));
        IllegalStateException running = assertThrows(IllegalStateException.class, () -> launcher.undefine("shop",
                "db"));
        assertTrue(running.getMessage().contains("portman down shop --services db"), running.getMessage());
        assertEquals(List.of("db ALREADY_RUNNING", "api ALREADY_RUNNING", "worker STARTED"),
                outcomes(launcher.up("shop", List.of())));
        // down of one service stops only it.
        assertEquals(List.of("api STOPPED"), outcomes(launcher.down("shop", List.of("api"))));
        assertTrue(pm.find("shop", "db").orElseThrow().processId().isPresent());
    }

    @Test
    void aFailedStartStopsWhatWasStartedAndSaysWhy() throws Exception {
        launcher.define(service("db", "").build());
        launcher.define(service("api", "--exit 4").dependsOn("db").build());
        launcher.define(service("web", "").dependsOn("api").build());

        LaunchReport up = launcher.up("shop", List.of());

        assertFalse(up.ok());
        assertEquals(List.of("db STARTED", "api FAILED", "db ROLLED_BACK"), outcomes(up));
        String why = up.services().get(1).detail();
        assertTrue(why.contains("exited with status 4") && why.contains("failing on purpose with status 4")
                && why.contains(launcher.logFile("shop", "api").toString()), why);
        long dbPid = up.services().get(0).pid();
        assertFalse(alive(dbPid), "db was stopped again");
        assertTrue(pm.find("shop", "db").orElseThrow().processId().isEmpty());
        assertFalse(marks().contains("web launched"), "web never started");
    }

    @Test
    void aServiceThatNeverBecomesHealthyIsStoppedAfterTheTimeout() throws Exception {
        launcher = Launcher.builder(pm).logs(dir.resolve("logs")).startTimeout(Duration.ofSeconds(3)).build();
        launcher.define(service("api", "--unhealthy").build());

        long t0 = System.nanoTime();
        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("api FAILED"), outcomes(up));
        assertTrue(up.services().get(0).detail().contains("not healthy within 3 s"), up.toString());
        assertTrue(up.services().get(0).detail().contains("503"), up.toString());
        assertFalse(alive(up.services().get(0).pid()));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(3)) >= 0);
    }

    @Test
    void aDependencyCycleIsRefusedWithTheCycleNamed() throws Exception {
        launcher.define(service("a", "").dependsOn("b").build());
        launcher.define(service("b", "").dependsOn("c").build());
        launcher.define(service("c", "").dependsOn("a").build());
        launcher.define(service("d", "").build());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> launcher.up("shop", List.of()));

        assertTrue(e.getMessage().contains("a -> b -> c -> a"), e.getMessage());
        assertEquals(List.of(), marks(), "nothing was started");
        assertEquals(4, launcher.down("shop", List.of()).services().size(), "a cycle does not keep down from working");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> launcher.up("shop", List.of("nope")));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
    }

    @Test
    void aConflictStopsADryRunBeforeAnythingStarts() throws Exception {
        launcher.define(service("db", "").build());
        Allocation api = launcher.define(service("api", "").dependsOn("db").build());
        ServerSocket squatter = new ServerSocket(api.port(), 50, InetAddress.getByName("127.0.0.1"));
        open.add(squatter);

        LaunchReport check = launcher.check("shop", List.of());
        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("db READY", "api CONFLICT"), outcomes(check));
        assertEquals(List.of("db READY", "api CONFLICT"), outcomes(up));
        assertTrue(up.services().get(0).detail().contains("not started because of the conflict"), up.toString());
        String detail = up.services().get(1).detail();
        assertTrue(detail.contains("port " + api.port()) && detail.contains(String.valueOf(ProcessHandle.current()
                .pid())) && detail.contains("conservative"), detail);
        assertEquals(List.of(), marks(), "nothing was started");
        assertEquals(api.port(), pm.find("shop", "api").orElseThrow().port());
    }

    @Test
    void theConservativeStrategyMovesTheServiceToAFreePort() throws Exception {
        launcher = launcher(Launcher.builder(pm).strategy(ConflictResolver.Strategy.CONSERVATIVE));
        Allocation api = launcher.define(service("api", "").build());
        ServerSocket squatter = new ServerSocket(api.port(), 50, InetAddress.getByName("127.0.0.1"));
        open.add(squatter);

        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("api STARTED"), outcomes(up), up.toString());
        int moved = up.services().get(0).port();
        assertNotEquals(api.port(), moved);
        assertTrue(up.services().get(0).detail().contains("moved from port " + api.port()), up.toString());
        assertEquals(moved, pm.find("shop", "api").orElseThrow().port());
        assertEquals("200 ok", get(moved, "/health"));
        assertEquals("http://127.0.0.1:" + moved + "/health",
                pm.find("shop", "api").orElseThrow().healthEndpoint().orElseThrow().toString());
    }

    @Test
    void theConservativeStrategyMigratesTheServiceToItsFirstFreeAlternative() throws Exception {
        launcher = launcher(Launcher.builder(pm).strategy(ConflictResolver.Strategy.CONSERVATIVE));
        Allocation api = launcher.define(service("api", "").alternatives(first + 5, first + 6, first + 7).build());
        assertEquals(first + 5, api.port(), "defined on its first free alternative");
        assertEquals(List.of(first + 5, first + 6, first + 7),
                ServiceDefinition.of(api).orElseThrow().alternatives(), "kept in the registry with the definition");
        open.add(new ServerSocket(first + 5, 50, InetAddress.getByName("127.0.0.1")));
        open.add(new ServerSocket(first + 6, 50, InetAddress.getByName("127.0.0.1")));

        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("api STARTED"), outcomes(up), up.toString());
        assertEquals(first + 7, up.services().get(0).port(), "the first alternative no socket holds");
        assertTrue(up.services().get(0).detail().contains("moved from port " + (first + 5) + ", which "),
                up.toString());
        assertTrue(up.services().get(0).detail().endsWith("to port " + (first + 7) + " (an alternative)"),
                up.toString());
        assertEquals(first + 7, pm.find("shop", "api").orElseThrow().port());
        assertEquals("200 ok", get(first + 7, "/health"));
    }

    @Test
    void theIntelligentStrategyEndsOurStaleProcess_andMovesAwayFromOneItMayNotEnd() throws Exception {
        launcher = launcher(Launcher.builder(pm).strategy(ConflictResolver.Strategy.INTELLIGENT));
        Allocation api = launcher.define(service("api", "").build());
        pm.update("shop", "api", AllocationUpdate.builder().putMetadata("process_pattern", "--name stale-api").build());
        Allocation web = launcher.define(service("web", "").build());
        Process stale = new ProcessBuilder(CommandWords.split(TinyServer.command("--name stale-api --port "
                + api.port() + " --marker '" + marker + "'"))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stale.log").toFile()).start();
        open.add(stale::destroyForcibly);
        await("the stale api to listen", () -> {
            try {
                return marks().contains("stale-api listening " + api.port());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        open.add(new ServerSocket(web.port(), 50, InetAddress.getByName("127.0.0.1")));

        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("api STARTED", "web STARTED"), outcomes(up), up.toString());
        assertEquals(api.port(), up.services().get(0).port(), "api's own stale process was ended, not moved from");
        assertTrue(stale.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the stale process was ended");
        assertTrue(up.services().get(1).port() != web.port(), "this JVM holds web's port: web moved, nothing ended");
        assertTrue(up.services().get(1).detail().contains("moved from port " + web.port()), up.toString());
        assertEquals("200 ok", get(api.port(), "/health"));
        assertEquals("200 ok", get(up.services().get(1).port(), "/health"));
    }

    @Test
    void theAggressiveStrategyEndsTheForeignProcessAndStartsOnTheSamePort() throws Exception {
        launcher = launcher(Launcher.builder(pm).strategy(ConflictResolver.Strategy.AGGRESSIVE));
        Allocation api = launcher.define(service("api", "").build());
        Process squatter = new ProcessBuilder(CommandWords.split(TinyServer.command("--name squatter --port "
                + api.port() + " --marker '" + marker + "'"))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("squatter.log").toFile()).start();
        open.add(squatter::destroyForcibly);
        await("the squatter to listen", () -> {
            try {
                return marks().contains("squatter listening " + api.port());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        LaunchReport up = launcher.up("shop", List.of());

        assertEquals(List.of("api STARTED"), outcomes(up), up.toString());
        assertEquals(api.port(), up.services().get(0).port());
        assertTrue(up.services().get(0).detail().matches("healthy, ended .+, which held port " + api.port()),
                up.services().get(0).detail());
        assertTrue(squatter.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the squatter was ended");
        assertEquals("200 ok", get(api.port(), "/health"));
    }

    @Test
    void aSupervisedServiceIsRestartedWithBackoffUpToItsLimit() throws Exception {
        launcher.define(service("api", "--crash-after 1000").restarts(2, Duration.ofMillis(300)).build());
        launcher.define(service("db", "").build());
        assertTrue(launcher.up("shop", List.of()).ok());
        long firstPid = pm.find("shop", "api").orElseThrow().processId().orElseThrow();
        List<String> said = new CopyOnWriteArrayList<>();

        try (Supervisor watch = launcher.supervise("shop", List.of(), said::add)) {
            open.add(watch);
            await("a restart", () -> watch.restarts("api") >= 1
                    && pm.find("shop", "api").orElseThrow().processId().orElse(firstPid) != firstPid);
            await("giving up", () -> watch.gaveUp("api"));

            assertEquals(2, watch.restarts("api"));
            assertEquals(3, marks().stream().filter(l -> l.equals("api launched")).count(), marks().toString());
            String log = String.join("\n", said);
            assertTrue(log.contains("restart 1 of 2 in 300 ms") && log.contains("restart 2 of 2 in 600 ms")
                    && log.contains("restart limit 2 reached"), log);
            assertTrue(pm.find("shop", "api").orElseThrow().processId().isEmpty());
            assertFalse(watch.gaveUp("db"));
            assertEquals(0, watch.restarts("db"));
            // A service stopped on purpose is not restarted.
            assertEquals(List.of("db STOPPED"), outcomes(launcher.down("shop", List.of("db"))));
            Thread.sleep(3 * Supervisor.POLL.toMillis());
            assertEquals(0, watch.restarts("db"));
            assertTrue(watch.isRunning());
        }
        assertTrue(Files.readString(launcher.logFile("shop", "api")).contains("api crashing on purpose"));
    }

    @Test
    void aServiceThatRanLongEnoughStartsItsRestartCountAgain() throws Exception {
        // Limit 1: without the reset, the second crash would be the end of it.
        launcher.define(service("api", "--crash-after 1500").restarts(1, Duration.ofMillis(100)).build());
        assertTrue(launcher.up("shop", List.of()).ok());
        List<String> said = new CopyOnWriteArrayList<>();

        try (Supervisor watch = launcher.supervise("shop", List.of(), said::add).stableAfter(Duration.ofMillis(700))) {
            open.add(watch);
            await("two restarts", () -> said.stream().filter(l -> l.startsWith("api restarted on port")).count() >= 2);

            assertFalse(watch.gaveUp("api"), String.join("\n", said));
            String log = String.join("\n", said);
            assertTrue(log.contains("api has run for 0 s since its last restart; its restart count starts again"), log);
            assertEquals(2, said.stream().filter(l -> l.contains("restart 1 of 1 in 100 ms")).count(), log);
        }
        launcher.down("shop", List.of());
    }

    @Test
    void downEndsAStubbornServiceForciblyAndTheChildrenItStarted() throws Exception {
        launcher = Launcher.builder(pm).logs(dir.resolve("logs")).gracePeriod(Duration.ofMillis(500)).build();
        launcher.define(service("api", "--slow-stop --child").build());
        LaunchReport up = launcher.up("shop", List.of());
        assertTrue(up.ok(), up.toString());
        long pid = up.services().get(0).pid();
        long child = marks().stream().filter(l -> l.startsWith("api child ")).mapToLong(l -> Long.parseLong(
                l.substring("api child ".length()))).findFirst().orElseThrow();
        assertTrue(alive(child));

        long t0 = System.nanoTime();
        assertEquals(List.of("api STOPPED"), outcomes(launcher.down("shop", List.of())));

        assertFalse(alive(pid));
        assertFalse(alive(child));
        assertTrue(marks().contains("api stopping"), "SIGTERM came first");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofMillis(500)) >= 0 && took.compareTo(Duration.ofSeconds(20)) < 0,
                took.toString());
    }

    @Test
    void anotherLauncherOnTheSameRegistryFindsAndStopsTheServices() throws Exception {
        launcher.define(service("api", "").build());
        long pid = launcher.up("shop", List.of()).services().get(0).pid();

        try (PortManager other = PortManager.builder().store("json:" + dir.resolve("ports.json"))
                .probe(SystemProbe.create()).build()) {
            Launcher second = launcher(Launcher.builder(other));
            assertEquals(List.of("api ALREADY_RUNNING"), outcomes(second.up("shop", List.of())));
            assertEquals(List.of("api STOPPED"), outcomes(second.down("shop", List.of())));
        }
        assertFalse(alive(pid));
    }

    @Test
    void aDefinitionIsKeptInTheRegistryAndBadOnesAreRefused() {
        ServiceDefinition def = ServiceDefinition.builder("shop", "api").command("java -jar 'my api.jar' --port ${port}")
                .workingDirectory(dir).environment("MODE", "dev-${port}").healthEndpoint("http://localhost:${port}/h")
                .dependsOn("db", "cache").restarts(3, Duration.ofSeconds(2)).range("dev").build();
        Allocation a = launcher.define(def);

        ServiceDefinition back = launcher.definitions("shop").get("api");
        assertEquals(def.command(), back.command());
        assertEquals(List.of("java", "-jar", "my api.jar", "--port", String.valueOf(a.port())), back.argv(a.port()));
        assertEquals(dir, back.workingDirectory().orElseThrow());
        assertEquals("dev-${port}", back.environment().get("MODE"));
        assertEquals(List.of("db", "cache"), back.dependsOn());
        assertEquals(3, back.maxRestarts());
        assertEquals(Duration.ofSeconds(2), back.backoff());
        assertEquals("dev", back.range().orElseThrow());
        assertEquals(URI.create("http://localhost:" + a.port() + "/h"), a.healthEndpoint().orElseThrow());
        // Defining again replaces the definition and keeps the port.
        Allocation again = launcher.define(ServiceDefinition.builder("shop", "api").command("other").build());
        assertEquals(a.port(), again.port());
        assertTrue(launcher.definitions("shop").get("api").dependsOn().isEmpty());
        assertTrue(again.healthEndpoint().isEmpty());
        assertFalse(again.metadata().containsKey("launch.env.MODE"));
        // Undefining forgets how to run it and keeps the port.
        assertTrue(launcher.undefine("shop", "api"));
        assertFalse(launcher.undefine("shop", "api"));
        assertTrue(launcher.definitions("shop").isEmpty());
        assertEquals(a.port(), pm.find("shop", "api").orElseThrow().port());

        assertThrows(IllegalStateException.class, () -> ServiceDefinition.builder("shop", "x").build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("shop", "x")
                .command("run 'oops")).getMessage().contains("unclosed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("shop", "x")
                .environment("1BAD", "v")).getMessage().contains("'1BAD'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("shop", "x")
                .command("run").dependsOn("x").build()).getMessage().contains("depends on itself"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("shop", "x")
                .healthEndpoint("/health")).getMessage().contains("http://localhost:${port}/health"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("shop", "x")
                .restarts(-1, Duration.ZERO)).getMessage().contains("-1"));
    }
}
