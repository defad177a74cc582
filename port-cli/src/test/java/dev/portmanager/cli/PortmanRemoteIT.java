package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another machine, from the CLI: the host name {@code far.test} maps to the second loopback address 127.0.0.2 (a hosts
 * file of portman's JVM, {@code jdk.net.hosts.file}), so it is not this machine's name, and its services are real
 * sockets on 127.0.0.2.
 */
class PortmanRemoteIT {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Map<String, String> env;
    private int web;

    @BeforeEach
    void farHost() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            Assumptions.assumeTrue(s.isBound());
        } catch (IOException noSuchAddress) {
            Assumptions.abort("127.0.0.2 cannot be bound here (only Linux routes all of 127/8 to loopback)");
        }
        web = PortmanJar.ownRanges(dir, 10, "web").get("web");
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 far.test\n127.0.0.1 localhost\n::1 localhost\n");
        env = Map.of("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, env, PortmanJar.onStoreIn(dir, args));
    }

    @Test
    void auditAndMonitor_ofAnotherHost_connectToIt_andNameZombiesAndUnhealthyServices() throws Exception {
        assertEquals(0, portman("--host", "far.test", "allocate", "shop", "web", "--port", String.valueOf(web)).exit());
        assertEquals(0, portman("--host", "far.test", "allocate", "shop", "api", "--port", String.valueOf(web + 1),
                "--health", "http://far.test:" + (web + 1) + "/health").exit());
        assertEquals(0, portman("--host", "far.test", "allocate", "shop", "db", "--port", String.valueOf(web + 2))
                .exit());
        open.add(new ServerSocket(web, 50, InetAddress.getByName("127.0.0.2")));
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.2", web + 1), 10);
        api.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        api.start();
        open.add(() -> api.stop(0));

        PortmanJar.Result audit = portman("audit", "--host", "far.test");
        assertEquals(3, audit.exit(), audit.toString());
        assertEquals("allocated 3, in use 2, not running 1, reserved 0: health 67% (far.test checked by connecting: "
                + "no process information)\nnot running shop/db " + (web + 2) + "/TCP on far.test\n", audit.out());

        JsonNode json = portman("--host", "far.test", "audit", "--json").json();
        assertEquals("far.test", json.get("host").asText());
        assertTrue(json.get("by_connecting").asBoolean());
        assertEquals(1, json.get("zombies").size());
        assertEquals("db", json.get("zombies").get(0).get("service").asText());

        PortmanJar.Result monitor = portman("--host", "far.test", "monitor", "--once", "--json");
        assertEquals(3, monitor.exit(), monitor.toString());
        List<String> events = new ArrayList<>();
        for (String line : monitor.out().split("\n")) {
            JsonNode e = new PortmanJar.Result(0, line, "").json();
            events.add(e.get("event").asText() + " " + e.get("service").asText() + " " + e.get("detail").asText());
        }
        events.sort(null);
        assertEquals(List.of("unhealthy api UNHEALTHY in MS: HTTP 503 from http://far.test:" + (web + 1) + "/health",
                "zombie db nothing listens on the port"), events.stream()
                .map(e -> e.replaceAll("in \\d+ ms", "in MS")).toList(), monitor.out());

        PortmanJar.Result unnamed = portman("--host", "nowhere.test", "audit");
        assertEquals(2, unnamed.exit(), unnamed.toString());
        assertTrue(unnamed.err().endsWith("portman audit: --host nowhere.test: no live allocation names nowhere.test in "
                + "json:" + dir.resolve("ports.json") + ", and portman contacts only hosts the registry names; name one "
                + "of: far.test\n"), unnamed.err());
        PortmanJar.Result conflicts = portman("--host", "far.test", "conflicts");
        assertEquals(2, conflicts.exit(), conflicts.toString());
        assertTrue(conflicts.err().endsWith("portman conflicts: --host far.test names another machine, and portman "
                + "conflicts needs what only that machine sees (its processes); run it on far.test, or leave out "
                + "--host\n"), conflicts.err());
    }
}
