package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that look at the machine: scan, check, adopt, kill, validate-compose, monitor. */
class PortmanProbeIT {
    @TempDir
    Path dir;
    private Process python;
    /** The first port of this test's own range web (20 ports, free when the test began); it has testing too. */
    private int web;

    @BeforeEach
    void ownRanges() throws IOException {
        web = PortmanJar.ownRanges(dir, 20, "web", "testing").get("web");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (python != null) {
            python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    /** A free port of this test's web range, held by a Python process. */
    private int pythonOnAWebPort() throws Exception {
        int port = web + 19;
        while (!free(port)) {
            port--;
        }
        pythonOn(port);
        return port;
    }

    /** A Python process of this user listening on the port. */
    private void pythonOn(int port) throws Exception {
        boolean python3;
        try {
            python3 = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException notInstalled) {
            python3 = false;
        }
        Assumptions.assumeTrue(python3, "no python3 here");
        python = new ProcessBuilder("python3", "-u", "-c", "import socket,time\ns=socket.socket()\n"
                + "s.bind(('127.0.0.1'," + port + "))\ns.listen()\nprint('ready')\ntime.sleep(120)\n").start();
        String ready = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("ready", ready);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void conflicts_carryTheirLevel_andResolveShowsItsDryRunBeforeMovingOurService() throws Exception {
        int port = web + 3;
        assertEquals(0, portman("get", "uDOS", "goblin", "--port", String.valueOf(port), "--meta",
                "process_name=goblin").exit());
        pythonOn(port);
        JsonNode medium = portman("conflicts", "--json").json().get(0);
        assertEquals("medium", medium.get("level").asText(), medium.toString());
        assertEquals(python.pid(), medium.get("found").get("pid").asLong());
        PortmanJar.Result aboveHigh = portman("conflicts", "--level", "high");
        assertEquals(0, aboveHigh.exit(), aboveHigh.toString());
        assertEquals("no conflicts at level high or above (1 below)\n", aboveHigh.out());

        assertEquals(0, portman("update", "uDOS", "goblin", "--meta", "critical=true").exit());
        PortmanJar.Result critical = portman("conflicts", "--level", "high", "--json");
        assertEquals(3, critical.exit(), critical.toString());
        assertEquals("critical", critical.json().get(0).get("level").asText());

        PortmanJar.Result dryRun = portman("resolve", "--strategy", "intelligent", "--dry-run");
        assertEquals(3, dryRun.exit(), dryRun.toString());
        assertTrue(dryRun.out().startsWith("[critical] port " + port + ": expected uDOS/goblin, found "),
                dryRun.out());
        assertTrue(dryRun.out().contains(": dry run: would move uDOS/goblin from port " + port + " to another free "
                + "port of range 'web' (level critical); "), dryRun.out());
        assertTrue(dryRun.out().endsWith("(pid " + python.pid() + ") would be left alone\n"), dryRun.out());
        assertEquals(port, portman("show", "uDOS", "goblin", "--json").json().get("port").asInt(),
                "the dry run moved nothing");

        JsonNode resolved = portman("resolve", "--json").json().get(0);
        assertTrue(resolved.get("done").asBoolean(), resolved.toString());
        assertEquals("intelligent", resolved.get("strategy").asText());
        int moved = resolved.get("moved").get("port").asInt();
        assertTrue(moved != port, resolved.toString());
        assertEquals(moved, portman("show", "uDOS", "goblin", "--json").json().get("port").asInt());
        assertTrue(python.isAlive(), "the foreign process keeps its port");

        PortmanJar.Result bad = portman("conflicts", "--level", "severe");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals("portman: --level: conflict level 'severe' is not one of: none, low, medium, high, critical "
                + "(see: portman conflicts --help)\n", bad.err());
    }

    @Test
    void scanCheckAdoptAndKill_workOnARealProcess() throws Exception {
        int port = pythonOnAWebPort();
        JsonNode scan = portman("scan", "--json").json();
        JsonNode mine = null;
        for (JsonNode s : scan) {
            if (s.get("port").asInt() == port) {
                mine = s;
            }
        }
        assertTrue(mine != null, "scan lists the Python listener: " + scan);
        assertEquals(python.pid(), mine.get("pid").asLong());
        assertTrue(mine.get("command").asText().startsWith("python"), mine.toString());
        assertEquals("127.0.0.1", mine.get("address").asText().replace("::ffff:", ""));

        PortmanJar.Result check = portman("check", String.valueOf(port));
        assertTrue(check.out().startsWith(port + ": not allocated; held by python"), check.out());

        PortmanJar.Result adopt = portman("adopt", "--json");
        assertEquals(0, adopt.exit(), adopt.toString());
        JsonNode adopted = adopt.json().get(0);
        assertEquals(port, adopted.get("port").asInt());
        assertEquals("web", adopted.get("range").asText());
        assertEquals(python.pid(), adopted.get("process_id").asLong());
        assertTrue(portman("check", String.valueOf(port)).out().startsWith(port + ": allocated to adopted/python"));

        PortmanJar.Result dry = portman("kill", String.valueOf(port), "--dry-run");
        assertEquals(0, dry.exit(), dry.toString());
        assertTrue(dry.out().startsWith("would send SIGTERM to python"), dry.out());
        assertTrue(dry.out().endsWith(", then SIGKILL if it still runs after 10 s\n"), "a duration as people write it: "
                + dry.out());
        assertTrue(python.isAlive());
        PortmanJar.Result kill = portman("kill", String.valueOf(port), "--grace", "5s", "--json");
        assertEquals(0, kill.exit(), kill.toString());
        assertEquals("terminated", kill.json().get(0).get("outcome").asText());
        assertTrue(python.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void monitorOnce_andAudit_exitThreeWhenAServiceIsNotRunning() throws Exception {
        assertEquals(0, portman("monitor", "--once").exit());
        portman("get", "shop", "api", "-r", "testing");
        assertEquals(3, portman("monitor", "--once").exit());
        assertEquals(3, portman("audit").exit());
    }

    @Test
    void validateCompose_flagsClashesAndExitsThree() throws Exception {
        // Ports of this test's web range, free when it began, so that only the registry and the file clash.
        int billing = this.web + 10;
        int web = this.web + 11;
        assertEquals(0, portman("allocate", "billing", "api", "--port", String.valueOf(billing)).exit());
        Path compose = Files.writeString(Files.createDirectories(dir.resolve("shop")).resolve("docker-compose.yml"),
                "services:\n  web:\n    ports: [\"" + web + ":80\"]\n  admin:\n    ports: [\"" + web + ":8080\"]\n"
                        + "  api:\n    ports: [\"" + billing + ":3000\"]\n"
                        + "  dns:\n    ports: [\"[::1]:" + (billing + 2) + ":53/udp\"]\n");
        PortmanJar.Result r = portman("validate-compose", compose.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.out().contains("api 0.0.0.0:" + billing + "/TCP: allocated to other, allocated to billing/api "
                + "(TCP)"), r.out());
        assertTrue(r.out().contains("\ndns [::1]:" + (billing + 2) + "/UDP: "),
                "an IPv6 address in brackets: " + r.out());
        assertTrue(r.out().endsWith("project shop: 3 port(s) taken\n"), r.out());
        JsonNode json = portman("validate-compose", compose.toString(), "--json").json();
        assertEquals("clash_in_plan", json.get(0).get("verdict").asText());
        assertFalse(json.get(2).get("detail").asText().isEmpty());
    }
}
