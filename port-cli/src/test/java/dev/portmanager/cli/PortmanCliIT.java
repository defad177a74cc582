package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portman jar, run as a user runs it: each command, its --json output, its exit codes. */
class PortmanCliIT {
    @TempDir
    Path dir;

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    /** The first ports of this test's own ranges api, web and testing (20 ports each, free when the test began). */
    private int api;
    private int web;
    private int testing;

    @BeforeEach
    void ownRanges() throws IOException {
        Map<String, Integer> ranges = PortmanJar.ownRanges(dir, 20, "api", "web", "testing");
        api = ranges.get("api");
        web = ranges.get("web");
        testing = ranges.get("testing");
    }

    @Test
    void get_printsThePort_andTheSamePortEveryTime() throws Exception {
        PortmanJar.Result first = portman("get", "consilio", "api");
        assertEquals(0, first.exit(), first.toString());
        assertEquals(api + "\n", first.out());
        assertEquals("", first.err());
        assertEquals(api + "\n", portman("get", "consilio", "api").out());
        JsonNode json = portman("get", "consilio", "api", "--json").json();
        assertEquals(api, json.get("port").asInt());
        assertEquals("api", json.get("range").asText());
    }

    @Test
    void listAndShow_inJson_carryEveryAllocationField() throws Exception {
        assertEquals(0, portman("allocate", "consilio", "worker", "-r", "web", "-d", "jobs", "--meta", "team=infra").exit());
        assertEquals(0, portman("reserve", "consilio", "preview", "--ttl", "10m", "-r", "web").exit());
        JsonNode list = portman("list", "--json").json();
        assertTrue(list.isArray());
        assertEquals(2, list.size());
        for (JsonNode a : list) {
            for (String field : List.of("port", "protocol", "host", "project", "service", "range", "status")) {
                assertTrue(a.has(field), field + " missing in " + a);
            }
        }
        JsonNode worker = portman("show", "consilio", "worker", "--json").json();
        assertEquals(web, worker.get("port").asInt());
        assertEquals("jobs", worker.get("description").asText());
        assertEquals("infra", worker.get("metadata").get("team").asText());
        int preview = web + 1;
        assertEquals("reserved", portman("show", String.valueOf(preview), "--json").json().get("status").asText());
        PortmanJar.Result table = portman("list");
        assertTrue(table.out().startsWith("PORT   PROTO  HOST       PROJECT   SERVICE  ENV      RANGE  STATUS    "
                + "EXPIRES"), table.out());
        assertTrue(table.out().contains(preview + "  tcp    localhost  consilio  preview  default  web    reserved  in 9m"),
                table.out());
    }

    @Test
    void releaseUpdateReassignAndHistory_workFromTheShell() throws Exception {
        portman("get", "consilio", "api");
        PortmanJar.Result update = portman("update", "consilio", "api", "-d", "Main API", "--meta", "tunnel=api.example");
        assertEquals(0, update.exit(), update.toString());
        assertEquals("Main API", portman("show", String.valueOf(api), "--json").json().get("description").asText());
        int target = api + 5;
        assertEquals("moved to consilio/api " + target + "/TCP on localhost (range api)\n",
                portman("reassign", "consilio", "api", String.valueOf(target)).out());
        assertEquals("released consilio/api\n", portman("release", "consilio", "api").out());
        PortmanJar.Result again = portman("release", "consilio", "api");
        assertEquals(0, again.exit());
        assertEquals("nothing released: consilio/api is not allocated on localhost (environment default)\n", again.out());
        assertEquals(0, portman("history", "--host", "build-9", "--json").json().size(), "another host's history");
        JsonNode history = portman("history", "--json").json();
        assertEquals(List.of("allocated", "updated", "reassigned", "allocated", "released"),
                List.of(history.get(0).get("action").asText(), history.get(1).get("action").asText(),
                        history.get(2).get("action").asText(), history.get(3).get("action").asText(),
                        history.get(4).get("action").asText()));
    }

    @Test
    void rangesAndSummary() throws Exception {
        assertEquals(0, portman("define-range", "grpc", String.valueOf(testing + 20), String.valueOf(testing + 119),
                "-d", "gRPC servers").exit());
        portman("get", "p", "s", "-r", "grpc");
        JsonNode ranges = portman("ranges", "--json").json();
        assertEquals(4, ranges.size());
        JsonNode summary = portman("summary", "grpc", "--json").json();
        assertEquals(100, summary.get("total").asInt());
        assertEquals(1, summary.get("allocated").asInt());
        assertEquals(1.0, summary.get("utilization_percent").asDouble());
    }

    @Test
    void env_printsShellDotenvAndJson() throws Exception {
        portman("get", "consilio", "api");
        assertEquals("#!/bin/sh\n# Service ports from Port Manager\nexport CONSILIO_API_PORT='" + api + "'\n"
                + "export CONSILIO_API_URL='http://localhost:" + api + "'\n", portman("env", "consilio").out());
        assertEquals("CONSILIO_API_PORT=" + api + "\nCONSILIO_API_URL=http://localhost:" + api + "\n",
                portman("env", "consilio", "--format", "dotenv").out());
        assertEquals(String.valueOf(api),
                portman("env", "consilio", "--json").json().get("CONSILIO_API_PORT").asText());
    }

    @Test
    void audit_findsAServiceThatIsNotRunning_andExitsThree() throws Exception {
        portman("get", "consilio", "api", "-r", "testing");
        PortmanJar.Result audit = portman("audit");
        assertEquals(3, audit.exit(), audit.toString());
        JsonNode json = portman("audit", "--json").json();
        assertEquals(1, json.get("summary").get("allocated").asInt());
        assertEquals(1, json.get("summary").get("not_running").asInt());
        assertEquals(0, json.get("summary").get("health_percentage").asInt());
        assertEquals(testing, json.get("zombies").get(0).get("port").asInt());
    }

    @Test
    void available_listsFreePortsWithoutTakingThem() throws Exception {
        portman("get", "p", "s", "-r", "testing");
        JsonNode free = portman("available", "-r", "testing", "-n", "3", "--json").json();
        assertEquals(3, free.size());
        assertEquals(testing + 1, free.get(0).get("port").asInt(), free.toString());
        assertEquals("free", free.get(0).get("status").asText());
        assertEquals("testing", free.get(0).get("range").asText());
        assertEquals(1, portman("list", "--json").json().size());
        assertEquals(2, portman("available", "-r", "testing", "--from", String.valueOf(testing)).exit(),
                "one or the other");
    }

    @Test
    void exportImportAndMigrate_copyEachAllocationAsItIs() throws Exception {
        portman("get", "consilio", "api", "-d", "Main API");
        portman("reserve", "consilio", "preview", "--ttl", "1h", "-r", "web");
        assertEquals(3, portman("monitor", "--once").exit(), "nothing listens: a round records not_running");
        JsonNode original = portman("list", "--json").json();
        assertEquals("not_running", original.get(0).get("health_status").asText());
        assertFalse(original.get(0).get("last_health_check").isNull());

        Path backup = dir.resolve("backup.json");
        assertEquals(0, portman("export", "-o", backup.toString()).exit());
        Path other = dir.resolve("other.json");
        PortmanJar.Result imported = PortmanJar.run(dir, Map.of(), "--store", "json:" + other, "import",
                backup.toString());
        assertEquals(0, imported.exit(), imported.toString());
        assertTrue(imported.out().endsWith(": 3 ranges, 2 allocations copied, 0 already there, 0 failed\n"),
                imported.out());
        assertEquals(original, PortmanJar.run(dir, Map.of(), "--store", "json:" + other, "list", "--json").json(),
                "every field as it was: id, allocated_at, allocated_by, health status and last check, expiry");

        String h2 = "jdbc:h2:" + dir.resolve("h2");
        PortmanJar.Result migrated = portman("migrate", "--from", "json:" + dir.resolve("ports.json"), "--to", h2,
                "--json");
        assertEquals(0, migrated.exit(), migrated.toString());
        assertEquals(2, migrated.json().get("copied").asInt());
        JsonNode inH2 = PortmanJar.run(dir, Map.of(), "--store", h2, "list", "--json").json();
        for (int i = 0; i < original.size(); i++) {
            assertEquals(toTheMillisecond(original.get(i)), toTheMillisecond(inH2.get(i)));
        }
        assertEquals(2, portman("migrate", "--from", "json:" + dir.resolve("ports.json"), "--to", h2, "--json")
                .json().get("skipped").asInt(), "already there");
        // The database keeps ended rows: a copy made again after a release there gets a new id, all else kept.
        assertEquals(0, PortmanJar.run(dir, Map.of(), "--store", h2, "release", "consilio", "api").exit());
        JsonNode again = portman("migrate", "--from", "json:" + dir.resolve("ports.json"), "--to", h2, "--json")
                .json();
        assertEquals(List.of(1, 1), List.of(again.get("copied").asInt(), again.get("skipped").asInt()),
                again.toString());
        JsonNode recopied = PortmanJar.run(dir, Map.of(), "--store", h2, "show", "consilio", "api", "--json").json();
        assertFalse(recopied.get("id").equals(original.get(0).get("id")), "a new id: the old one names the ended row");
        assertEquals(toTheMillisecond(original.get(0)).get("allocated_at"),
                toTheMillisecond(recopied).get("allocated_at"));
        String exported = portman("export").out();
        assertTrue(exported.contains("{\"port\": " + api + ", \"worktree\": \"consilio\", \"service\": \"api\""),
                exported);
    }

    /** An allocation's JSON with its times cut to the millisecond, as precise as a database keeps them. */
    private static JsonNode toTheMillisecond(JsonNode allocation) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = allocation.deepCopy();
        for (String field : List.of("allocated_at", "expires_at", "last_health_check")) {
            if (!copy.get(field).isNull()) {
                copy.put(field, java.time.Instant.parse(copy.get(field).asText())
                        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            }
        }
        return copy;
    }

    @Test
    void errors_areOneLineOnStderr_withTheDocumentedExitCodes() throws Exception {
        PortmanJar.Result usage = portman("get", "consilio");
        assertEquals(2, usage.exit());
        assertEquals("portman: Missing required parameter: 'SERVICE' (see: portman get --help)\n", usage.err());
        PortmanJar.Result badValue = portman("get", "p", "s", "--port", "70000");
        assertEquals(2, badValue.exit());
        assertEquals("portman get: port 70000 is outside 1-65535; ports are numbered 1 to 65535\n", badValue.err());
        assertEquals(0, portman("allocate", "p", "s", "-r", "api").exit());
        PortmanJar.Result exists = portman("allocate", "p", "s", "-r", "api");
        assertEquals(1, exists.exit());
        assertEquals("portman allocate: p/s already holds " + api + "/TCP on localhost (environment default); "
                + "portman get reuses it, portman reassign moves it, portman release frees it\n", exists.err());
        PortmanJar.Result verbose = portman("allocate", "p", "s", "-r", "api", "--verbose");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().contains("\tat dev.portmanager"), "a stack trace with --verbose");
        Files.writeString(dir.resolve("ports.json"), "{ broken");
        PortmanJar.Result corrupt = portman("list");
        assertEquals(1, corrupt.exit());
        assertTrue(corrupt.err().startsWith("portman list: " + dir.resolve("ports.json") + " is not a valid registry: line 1"),
                corrupt.err());
        assertFalse(corrupt.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void everyCommandAnswersHelp_andPrintsJsonEvenWhenItOnlyConfirms() throws Exception {
        // Usage errors say "see: portman get --help": that must work for every command, not only portman help get.
        for (String command : List.of("get", "allocate", "release", "list", "define", "up", "kill", "undefine")) {
            PortmanJar.Result help = portman(command, "--help");
            assertEquals(0, help.exit(), help.toString());
            assertTrue(help.out().startsWith("Usage: portman " + command), help.out());
        }
        String define = portman("define", "--help").out();
        assertTrue(define.contains("${port}") && !define.contains("null"), define);
        JsonNode undefined = portman("undefine", "shop", "api", "--json").json();
        assertFalse(undefined.get("undefined").asBoolean());
        assertTrue(portman("adopt", "--dry-run", "--json").json().isArray());
        Path file = dir.resolve("exported.json");
        assertEquals(file.toString(), portman("export", "-o", file.toString(), "--json").json().get("file").asText());
    }

    @Test
    void theReadmesMainJob_theLauncherScript_runsTheJarOnTheUsersRegistry() throws Exception {
        // ./portman get consilio api, as the README says, with a home of its own: ~/.portmanager/ports.json. This one
        // runs on the standard ranges, as a user's first run does, so it asserts the range, not which of its ports.
        Path home = Files.createDirectories(dir.resolve("home"));
        String first = launcherScript(home, "get", "consilio", "api");
        int port = Integer.parseInt(first.strip());
        assertTrue(port >= 3000 && port <= 3099, "a port of the api range 3000-3099: " + first);
        assertEquals(first, launcherScript(home, "get", "consilio", "api"), "the same port again");
        assertTrue(Files.exists(home.resolve(".portmanager/ports.json")), "the registry under the user's home");
    }

    private String launcherScript(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("..", "portman").toAbsolutePath().normalize()
                .toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().remove("PORTMANAGER_STORE");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void store_isFoundFromTheEnvironment_thenTheAtlasFileUpward() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo/design/worktrees")).getParent().getParent();
        Path deep = Files.createDirectories(repo.resolve("src/main"));
        Files.copy(Path.of("..", "port-store-json", "src", "test", "resources", "atlas", "two-allocations.json"),
                repo.resolve("design/worktrees/ports.json"));
        PortmanJar.Result fromAtlas = PortmanJar.run(deep, Map.of(), "show", "8080", "--json");
        assertEquals(0, fromAtlas.exit(), fromAtlas.toString());
        assertEquals("review-GH-42", fromAtlas.json().get("project").asText());
        Path elsewhere = dir.resolve("elsewhere.json");
        PortmanJar.Result fromEnv = PortmanJar.run(deep, Map.of("PORTMANAGER_STORE", "json:" + elsewhere), "get", "p", "s");
        assertEquals(0, fromEnv.exit(), fromEnv.toString());
        assertTrue(Files.exists(elsewhere));
    }

    @Test
    @Timeout(300)
    void twoCliProcesses_allocatingIntoOneFileAtOnce_getDistinctPorts() throws Exception {
        // A range of its own, next to this test's others: 30 services in 60 ports.
        portman("define-range", "load", String.valueOf(testing + 20), String.valueOf(testing + 79));
        CompletableFuture<Set<Integer>> a = CompletableFuture.supplyAsync(() -> allocateMany("a", 15));
        CompletableFuture<Set<Integer>> b = CompletableFuture.supplyAsync(() -> allocateMany("b", 15));
        Set<Integer> all = new HashSet<>(a.get());
        all.addAll(b.get());
        assertEquals(30, all.size());
        assertEquals(30, portman("list", "--json", "-r", "load").json().size());
    }

    private Set<Integer> allocateMany(String prefix, int count) {
        Set<Integer> ports = new HashSet<>();
        try {
            for (int i = 0; i < count; i++) {
                PortmanJar.Result r = portman("get", "load", prefix + i, "-r", "load");
                assertEquals(0, r.exit(), r.toString());
                ports.add(Integer.parseInt(r.out().trim()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ports;
    }
}
