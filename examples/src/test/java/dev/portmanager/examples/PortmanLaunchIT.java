package dev.portmanager.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portmanager.cli.PortmanJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** portman define, up, status, down, restart and up --watch, starting real services (the HttpApp example). */
@Timeout(180)
class PortmanLaunchIT {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        portman("down", "shop");
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of("PORTMANAGER_LOGS", dir.resolve("logs").toString()),
                PortmanJar.onStoreIn(dir, args));
    }

    private static String httpApp(String service) {
        return "java -cp '" + ExamplesJar.path() + "' dev.portmanager.examples.HttpApp shop " + service;
    }

    /**
     * A range of its own for the shop, so that these services (and the connections their health checks leave in
     * TIME_WAIT) stay off the default ranges other tests allocate from.
     */
    private void shopRange() throws Exception {
        int first = 20_000 + new java.util.Random().nextInt(9_000);
        while (!free(first, 10)) {
            first += 10;
        }
        PortmanJar.Result range = portman("define-range", "shop", String.valueOf(first), String.valueOf(first + 9));
        assertEquals(0, range.exit(), range.toString());
    }

    private static boolean free(int first, int count) {
        for (int p = first; p < first + count; p++) {
            try {
                new ServerSocket(p).close();
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return true;
    }

    private void defineShop() throws Exception {
        shopRange();
        PortmanJar.Result db = portman("define", "shop", "db", "--command", httpApp("db"), "--range", "shop",
                "--health", "http://127.0.0.1:${port}/health");
        assertEquals(0, db.exit(), db.toString());
        PortmanJar.Result api = portman("define", "shop", "api", "--command", httpApp("api"), "--depends", "db",
                "--range", "shop", "--health", "http://127.0.0.1:${port}/", "--restarts", "2", "--backoff", "200ms");
        assertEquals(0, api.exit(), api.toString());
        assertTrue(api.out().startsWith("defined shop/api "), api.toString());
    }

    private int port(String service) throws Exception {
        return portman("show", "shop", service, "--json").json().get("port").asInt();
    }

    private long pid(String service) throws Exception {
        JsonNode p = portman("show", "shop", service, "--json").json().get("process_id");
        return p.isNull() ? 0 : p.asLong();
    }

    private static String get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> outcomes(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.forEach(s -> out.add(s.get("service").asText() + " " + s.get("outcome").asText()));
        return out;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void upStartsTheStackInOrderStatusShowsItAndDownStopsItInReverse() throws Exception {
        defineShop();

        PortmanJar.Result up = portman("up", "--json");

        assertEquals(0, up.exit(), up.toString());
        assertEquals(List.of("db started", "api started"), outcomes(up.json()));
        int api = port("api");
        assertEquals("hello from shop/api on port " + api + "\n", get(api));
        assertTrue(Files.readString(dir.resolve("logs/shop/api.log")).contains("serving http://localhost:" + api));

        PortmanJar.Result status = portman("status", "shop");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().matches("(?s)SERVICE +PORT +PID +HEALTH +CPU +RSS +AFTER.*api +" + api
                        + " +\\d+ +healthy +[\\d.]+ s +[\\d.]+ [KMGT]?B +db .*"),
                status.out());
        assertEquals(List.of("db already_running", "api already_running"),
                outcomes(portman("up", "shop", "--check-only", "--json").json()));

        long apiPid = pid("api");
        PortmanJar.Result restart = portman("restart", "shop", "--services", "api", "--json");
        assertEquals(0, restart.exit(), restart.toString());
        assertEquals(List.of("api stopped", "db already_running", "api started"), outcomes(restart.json()));
        assertFalse(alive(apiPid));
        assertNotEquals(apiPid, pid("api"));

        long dbPid = pid("db");
        apiPid = pid("api");
        PortmanJar.Result down = portman("down", "shop", "--json");
        assertEquals(0, down.exit(), down.toString());
        assertEquals(List.of("api stopped", "db stopped"), outcomes(down.json()));
        assertFalse(alive(dbPid));
        assertFalse(alive(apiPid));
        assertEquals(3, portman("status", "shop").exit(), "nothing runs: exit 3");
        assertEquals(api, port("api"), "the port stays the service's own");
    }

    @Test
    void aServiceThatCannotStartRollsBackWhatStartedAndExitsOne() throws Exception {
        defineShop();
        assertEquals(0, portman("define", "shop", "api", "--command", "java -cp '" + ExamplesJar.path()
                + "' no.such.Main", "--depends", "db").exit());

        PortmanJar.Result up = portman("up", "shop", "--json");

        assertEquals(1, up.exit(), up.toString());
        JsonNode steps = up.json();
        assertEquals(List.of("db started", "api failed", "db rolled_back"), outcomes(steps));
        assertTrue(steps.get(1).get("detail").asText().contains("exited with status 1")
                && steps.get(1).get("detail").asText().contains("no.such.Main"), steps.toString());
        assertFalse(alive(steps.get(0).get("pid").asLong()));
    }

    @Test
    void aPortHeldByAnotherProcessStopsUpUnlessTheStrategySaysOtherwise() throws Exception {
        defineShop();
        int api = port("api");
        ServerSocket squatter = new ServerSocket(api, 50, InetAddress.getByName("0.0.0.0"));
        open.add(squatter);

        PortmanJar.Result check = portman("up", "shop", "--check-only");
        PortmanJar.Result dryRun = portman("up", "shop");

        assertEquals(3, check.exit(), check.toString());
        assertTrue(check.out().contains("db") && check.out().contains("ready") && check.out().contains("conflict"),
                check.out());
        assertEquals(3, dryRun.exit(), dryRun.toString());
        assertTrue(dryRun.out().contains("port " + api + " is held by java (pid " + ProcessHandle.current().pid() + ")")
                && dryRun.out().contains("not started because of the conflict"), dryRun.out());
        assertEquals(0, pid("db"), "nothing was started");

        PortmanJar.Result moved = portman("up", "shop", "--strategy", "conservative", "--json");

        assertEquals(0, moved.exit(), moved.toString());
        int now = port("api");
        assertNotEquals(api, now);
        assertEquals("hello from shop/api on port " + now + "\n", get(now));
    }

    @Test
    void aDependencyCycleIsRefusedNamed() throws Exception {
        shopRange();
        assertEquals(0, portman("define", "shop", "a", "--command", "true", "--depends", "b", "--range", "shop").exit());
        assertEquals(0, portman("define", "shop", "b", "--command", "true", "--depends", "a", "--range", "shop").exit());

        PortmanJar.Result up = portman("up", "shop");

        assertEquals(2, up.exit(), up.toString());
        assertTrue(up.err().contains("a -> b -> a"), up.err());
        PortmanJar.Result typo = portman("status", "shop", "--services", "nope");
        assertEquals(2, typo.exit(), "a mistyped service is a usage error, not a healthy empty list: " + typo);
        assertTrue(typo.err().contains("no service 'nope' is defined in project 'shop'"), typo.err());
        assertEquals(0, portman("undefine", "shop", "a").exit());
        assertEquals(0, portman("undefine", "shop", "b").exit());
    }

    @Test
    void upWatchRestartsACrashedServiceAndStopsEverythingWhenInterrupted() throws Exception {
        defineShop();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", PortmanJar.jar().toString()));
        cmd.addAll(List.of(PortmanJar.onStoreIn(dir, "up", "shop", "--watch")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PORTMANAGER_LOGS", dir.resolve("logs").toString());
        pb.environment().remove("PORTMANAGER_STORE");
        Process watch = pb.start();
        open.add(() -> watch.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        awaitLine(lines, "watching shop");
        long crashed = pid("api");
        long db = pid("db");

        ProcessHandle.of(crashed).orElseThrow().destroyForcibly();

        awaitLine(lines, "api restarted on port " + port("api"));
        long restarted = pid("api");
        assertNotEquals(crashed, restarted);
        assertTrue(lines.stream().anyMatch(l -> l.contains("restart 1 of 2 in 200 ms")), lines.toString());
        assertEquals("hello from shop/api on port " + port("api") + "\n", get(port("api")));

        // SIGINT, as a terminal's Ctrl-C sends. A process started with SIGINT ignored (a background job of a
        // non-interactive shell) passes that on and cannot be interrupted: then SIGTERM, as kill sends.
        boolean interruptible = !sigintIgnored();
        assertEquals(0, new ProcessBuilder("kill", interruptible ? "-INT" : "-TERM", String.valueOf(watch.pid()))
                .start().waitFor());
        assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
        assertEquals(interruptible ? 130 : 143, watch.exitValue(), "128 + the signal, as the README says");
        reader.join(10_000);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("stopping shop")), lines.toString());
        assertFalse(alive(restarted));
        assertFalse(alive(db));
        assertEquals(0, pid("api"));
    }

    /** Whether this JVM, and so every process it starts, ignores SIGINT (bit 2 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    private static void awaitLine(List<String> lines, String start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines.stream().noneMatch(l -> l.startsWith(start))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line '" + start + "...' in " + lines);
            }
            Thread.sleep(50);
        }
    }
}
