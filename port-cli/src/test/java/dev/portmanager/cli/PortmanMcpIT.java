package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code portman mcp} as an agent's MCP client runs it: the SDK's own client starts the real jar as a subprocess and
 * speaks to it over stdio. Each test has a registry in its temporary folder and a range of ports of its own.
 */
@Timeout(300)
class PortmanMcpIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private int first;
    private int last;

    /** The range "mcp": ports of this test's own, stored before any server starts. */
    @BeforeEach
    void defineRange() {
        first = FreeSpan.find(4);
        last = first + 3;
        defineRange("mcp", first, last);
    }

    /** Stores a range in the test's registry from this JVM (quicker than a portman process). */
    private void defineRange(String name, int start, int end) {
        PortManager.builder().store("json:" + dir.resolve("ports.json")).range(name, start, end).build().close();
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    /** A client connected to a new {@code portman --store json:<dir>/ports.json mcp} process. */
    private Session connect() {
        return new Session(dir);
    }

    @Test
    void toolsList_givesEveryToolWithADescription_andASchemaThatSaysWhatToPass() {
        try (Session s = connect()) {
            List<McpSchema.Tool> tools = s.client.listTools().tools();
            assertEquals(List.of("get-port", "allocate-port", "list-ports", "audit-ports", "port-summary",
                    "release-port", "update-port", "check-port", "find-conflicts", "env"),
                    tools.stream().map(McpSchema.Tool::name).toList());
            Map<String, String> request = new LinkedHashMap<>();
            request.put("projectName", "string");
            request.put("serviceName", "string");
            request.put("serviceType", "string");
            request.put("description", "string");
            request.put("cloudflareHostname", "string");
            request.put("protocol", "string");
            request.put("preferredPort", "integer");
            request.put("alternatives", "array");
            request.put("alternativesOnly", "boolean");
            Map<String, String> allocate = new LinkedHashMap<>(request);
            allocate.put("port", "integer");
            Map<String, Map<String, String>> properties = Map.of(
                    "get-port", request,
                    "allocate-port", allocate,
                    "list-ports", Map.of("projectName", "string"),
                    "audit-ports", Map.of(),
                    "port-summary", Map.of("projectName", "string", "range", "string"),
                    "release-port", Map.of("projectName", "string", "serviceName", "string", "port", "integer",
                            "protocol", "string"),
                    "update-port", Map.of("projectName", "string", "serviceName", "string", "description", "string",
                            "cloudflareHostname", "string"),
                    "check-port", Map.of("port", "integer"),
                    "find-conflicts", Map.of(),
                    "env", Map.of("projectName", "string"));
            Map<String, List<String>> required = Map.of("get-port", List.of("projectName", "serviceName"),
                    "allocate-port", List.of("projectName", "serviceName"),
                    "update-port", List.of("projectName", "serviceName"), "check-port", List.of("port"));
            Set<String> readOnly = Set.of("list-ports", "audit-ports", "port-summary", "check-port", "find-conflicts",
                    "env");
            for (McpSchema.Tool tool : tools) {
                String name = tool.name();
                assertTrue(tool.description().length() > 40, name + ": " + tool.description());
                JsonNode schema = JSON.valueToTree(tool.inputSchema());
                assertEquals("object", schema.get("type").asText(), name);
                assertFalse(schema.get("additionalProperties").asBoolean(), name);
                Map<String, String> types = new LinkedHashMap<>();
                schema.get("properties").fields().forEachRemaining(p -> {
                    types.put(p.getKey(), p.getValue().get("type").asText());
                    assertTrue(p.getValue().get("description").asText().length() > 10, name + "." + p.getKey());
                });
                assertEquals(properties.get(name), types, name);
                List<String> req = new ArrayList<>();
                schema.path("required").forEach(r -> req.add(r.asText()));
                assertEquals(required.getOrDefault(name, List.of()), req, name);
                assertEquals(readOnly.contains(name), tool.annotations().readOnlyHint(), name);
            }
            JsonNode port = JSON.valueToTree(tools.get(1).inputSchema()).get("properties").get("port");
            assertEquals(1, port.get("minimum").asInt());
            assertEquals(65_535, port.get("maximum").asInt());
            assertEquals("[\"tcp\",\"udp\",\"both\"]",
                    JSON.valueToTree(tools.get(0).inputSchema()).get("properties").get("protocol").get("enum")
                            .toString());
            assertTrue(tools.get(0).description().startsWith("Get the port of a service, allocating one the first "
                    + "time"), tools.get(0).description());
        }
    }

    @Test
    void everyTool_withGoodArguments_answersATextAndTheCliJson() throws Exception {
        try (Session s = connect()) {
            McpSchema.CallToolResult get = s.call("get-port", "projectName", "consilio", "serviceName", "api",
                    "serviceType", "mcp", "description", "Main API server", "cloudflareHostname",
                    "api.consilio.153.se");
            assertEquals("port " + first + ": consilio/api " + first + "/TCP on localhost (range mcp)", text(get));
            assertEquals(portman("show", "consilio", "api", "--json").json(), json(get));
            assertEquals(text(get), text(s.call("get-port", "projectName", "consilio", "serviceName", "api")));

            McpSchema.CallToolResult allocate = s.call("allocate-port", "projectName", "consilio", "serviceName",
                    "web", "port", last);
            assertEquals("allocated port " + last + ": consilio/web " + last + "/TCP on localhost (range mcp)",
                    text(allocate));

            McpSchema.CallToolResult update = s.call("update-port", "projectName", "consilio", "serviceName", "api",
                    "description", "Updated API server");
            assertEquals("updated consilio/api " + first + "/TCP on localhost (range mcp)", text(update));
            assertEquals("Updated API server", json(update).get("description").asText());
            assertEquals("api.consilio.153.se", json(update).get("metadata").get("cloudflare_hostname").asText());

            McpSchema.CallToolResult list = s.call("list-ports", "projectName", "consilio");
            assertEquals("2 allocations of project consilio\nconsilio/api " + first + "/TCP on localhost (range mcp)"
                    + "\nconsilio/web " + last + "/TCP on localhost (range mcp)", text(list));
            assertEquals(portman("list", "--project", "consilio", "--json").json(), json(list).get("allocations"));

            McpSchema.CallToolResult summary = s.call("port-summary", "range", "mcp");
            assertEquals("mcp " + first + "-" + last + ": 2 of 4 allocated (50.0%), 2 available", text(summary));
            assertEquals("{\"range\":\"mcp\",\"start\":" + first + ",\"end\":" + last + ",\"total\":4,\"allocated\":2,"
                    + "\"excluded\":0,\"available\":2,\"utilization_percent\":50.0}", json(summary).toString());

            McpSchema.CallToolResult check = s.call("check-port", "port", first);
            assertEquals("port " + first + ": allocated to consilio/api " + first + "/TCP on localhost (range mcp); "
                    + "nothing listens", text(check));
            assertEquals(json(get).get("id"), json(check).get("allocation").get("id"));
            assertTrue(json(check).get("listener").isNull(), json(check).toString());

            McpSchema.CallToolResult env = s.call("env", "projectName", "consilio");
            assertEquals("CONSILIO_API_PORT=" + first + "\nCONSILIO_API_URL=http://localhost:" + first
                    + "\nCONSILIO_WEB_PORT=" + last + "\nCONSILIO_WEB_URL=http://localhost:" + last, text(env));
            assertEquals(portman("env", "consilio", "--json").json(), json(env));

            McpSchema.CallToolResult audit = s.call("audit-ports");
            assertEquals(2, json(audit).get("summary").get("not_running").asInt());
            assertTrue(text(audit).startsWith("allocated 2, in use 0, not running 2, reserved 0: health 0%; "
                    + "0 conflicts, "), text(audit));

            McpSchema.CallToolResult conflicts = s.call("find-conflicts");
            assertEquals("no conflicts", text(conflicts));
            assertEquals("{\"conflicts\":[]}", json(conflicts).toString());

            McpSchema.CallToolResult release = s.call("release-port", "projectName", "consilio", "serviceName",
                    "web");
            assertEquals("released consilio/web", text(release));
            assertEquals("{\"target\":\"consilio/web\",\"released\":true}", json(release).toString());
            assertEquals(1, portman("list", "--json").json().size(), "the release is in the registry file");
        }
    }

    @Test
    void everyTool_withBadArguments_answersAToolErrorWithTheCliMessage_andTheServerGoesOn() throws Exception {
        portman("allocate", "p", "s", "-r", "mcp");
        try (Session s = connect(); ServerSocket held = new ServerSocket(first + 1, 50,
                InetAddress.getLoopbackAddress())) {
            // The same words as the CLI's error line after "portman <command>: ", the fixes in the tools' words.
            // The same problem as the CLI's, and the fix in the tools' words rather than the CLI's commands.
            String cli = cliError("allocate", "p", "s", "-r", "mcp");
            assertEquals(cli.substring(0, cli.indexOf("; ")) + "; get-port returns it, release-port frees it",
                    error(s.call("allocate-port", "projectName", "p", "serviceName", "s", "serviceType", "mcp"),
                            "allocation_exists"));
            assertEquals("port 70000 is outside 1-65535; ports are numbered 1 to 65535",
                    error(s.call("allocate-port", "projectName", "p", "serviceName", "t", "port", 70_000),
                            "invalid_argument"));
            assertEquals(cliError("allocate", "p", "t", "--port", String.valueOf(first + 1)),
                    error(s.call("allocate-port", "projectName", "p", "serviceName", "t", "port", first + 1),
                            "port_conflict"));
            s.call("get-port", "projectName", "p", "serviceName", "u", "serviceType", "mcp");
            s.call("get-port", "projectName", "p", "serviceName", "v", "serviceType", "mcp");
            assertEquals(cliError("get", "p", "w", "-r", "mcp"),
                    error(s.call("get-port", "projectName", "p", "serviceName", "w", "serviceType", "mcp"),
                            "no_free_port"));
            assertEquals("get-port needs serviceName: the service within the project, such as \"api\" or \"web\"",
                    error(s.call("get-port", "projectName", "p"), "invalid_argument"));
            assertEquals("list-ports takes no argument 'project'; it takes projectName",
                    error(s.call("list-ports", "project", "p"), "invalid_argument"));
            assertEquals("audit-ports takes no argument 'verbose'; it takes none",
                    error(s.call("audit-ports", "verbose", "yes"), "invalid_argument"));
            assertEquals("project p has no range of its own (the ranges: mcp); give range to summarize one of them, "
                    + "or nothing for all",
                    error(s.call("port-summary", "projectName", "p"), "invalid_argument"));
            assertEquals("release-port needs projectName and serviceName, or port",
                    error(s.call("release-port", "serviceName", "s"), "invalid_argument"));
            assertEquals("nothing to update: give description or cloudflareHostname",
                    error(s.call("update-port", "projectName", "p", "serviceName", "s"), "invalid_argument"));
            assertEquals("port must be an integer, such as 8080; got \"eighty\"",
                    error(s.call("check-port", "port", "eighty"), "invalid_argument"));
            assertEquals("find-conflicts takes no argument 'port'; it takes none",
                    error(s.call("find-conflicts", "port", 1), "invalid_argument"));
            assertEquals("project must not be blank (was ' '); give a name such as 'api'",
                    error(s.call("env", "projectName", " "), "invalid_argument"));

            assertEquals("released p/s", text(s.call("release-port", "projectName", "p", "serviceName", "s")));
            assertEquals(List.of(), s.stderr, "nothing logged for refused calls");
        }
    }

    @Test
    void twoClients_allocating50PortsEachAtOnce_intoOneRegistry_neverGetTheSamePort() throws Exception {
        int start = FreeSpan.find(100);
        defineRange("load", start, start + 99);
        try (Session a = connect(); Session b = connect()) {
            CompletableFuture<List<Integer>> fromA = CompletableFuture.supplyAsync(() -> allocate(a, "a", 50));
            CompletableFuture<List<Integer>> fromB = CompletableFuture.supplyAsync(() -> allocate(b, "b", 50));
            List<Integer> all = new ArrayList<>(fromA.get(240, TimeUnit.SECONDS));
            all.addAll(fromB.get(240, TimeUnit.SECONDS));
            assertEquals(100, all.size());
            assertEquals(100, new HashSet<>(all).size(), "a port handed out twice: " + all);
            assertTrue(all.stream().allMatch(p -> p >= start && p <= start + 99), all.toString());
            assertEquals(100, portman("list", "-r", "load", "--json").json().size());
        }
    }

    private static List<Integer> allocate(Session s, String prefix, int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            McpSchema.CallToolResult r = s.call("get-port", "projectName", "load", "serviceName", prefix + i,
                    "serviceType", "load");
            assertFalse(r.isError(), () -> text(r));
            ports.add(json(r).get("port").asInt());
        }
        return ports;
    }

    @Test
    void mcp_deepInARepository_servesItsRegistry_answersALineThatIsNoMessage_andKeepsServing() throws Exception {
        // No --store: the same default as every command, the repository's design/worktrees/ports.json upward.
        Path registry = Files.createDirectories(dir.resolve("repo/design/worktrees")).resolve("ports.json");
        PortManager.builder().store("json:" + registry).range("mcp", first, last).build().close();
        Path deep = Files.createDirectories(dir.resolve("repo/services/api"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                PortmanJar.jar().toString(), "mcp");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(deep.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("PORTMANAGER_STORE");
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + dir);   // were the search to fail: not ~ itself
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.UTF_8))) {
            String lines = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "GET / HTTP/1.1\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"get-port\","
                    + "\"arguments\":{\"projectName\":\"raw\",\"serviceName\":\"api\",\"serviceType\":\"mcp\"}}}\n";
            in.write(lines.getBytes(StandardCharsets.UTF_8));
            in.flush();
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            while (byId.size() < 3) {
                String line = out.readLine();
                assertTrue(line != null, "the server stopped; answers so far: " + byId);
                JsonNode message = JSON.readTree(line);
                assertEquals("2.0", message.get("jsonrpc").asText(), line);
                byId.put(message.get("id").asText(), message);
            }
            assertEquals("portmanager", byId.get("1").get("result").get("serverInfo").get("name").asText());
            assertEquals(-32700, byId.get("null").get("error").get("code").asInt());
            assertEquals(first, byId.get("2").get("result").get("structuredContent").get("port").asInt());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "portman mcp did not end when its stdin closed");
        assertEquals(0, p.exitValue());
        try (PortManager repo = PortManager.builder().store("json:" + registry).build()) {
            assertEquals(first, repo.find("raw", "api").orElseThrow().port());
        }
    }

    /** The CLI's error for the same request: its one stderr line, without "portman COMMAND: ". */
    private String cliError(String... args) throws Exception {
        PortmanJar.Result r = portman(args);
        assertTrue(r.exit() != 0, r.toString());
        String prefix = "portman " + args[0] + ": ";
        assertTrue(r.err().startsWith(prefix), r.err());
        return r.err().substring(prefix.length()).stripTrailing();
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private static JsonNode json(McpSchema.CallToolResult r) {
        return JSON.valueToTree(r.structuredContent());
    }

    /** A result that must be a tool error: its text, after checking the error form says the same. */
    private static String error(McpSchema.CallToolResult r, String kind) {
        assertTrue(r.isError(), () -> "not an error: " + text(r));
        assertEquals(kind, json(r).get("error").asText(), () -> text(r));
        assertEquals(text(r), json(r).get("message").asText());
        return text(r);
    }

    /** The SDK's client over stdio to a {@code portman mcp} process of its own. */
    private static final class Session implements AutoCloseable {
        final McpSyncClient client;
        final List<String> stderr = new CopyOnWriteArrayList<>();

        Session(Path dir) {
            ServerParameters server = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString())
                    .args("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", PortmanJar.jar().toString(),
                            "--store", "json:" + dir.resolve("ports.json"), "mcp")
                    .build();
            StdioClientTransport transport = new StdioClientTransport(server, new JacksonMcpJsonMapper(JSON)) {
                @Override
                protected ProcessBuilder getProcessBuilder() {
                    ProcessBuilder pb = new ProcessBuilder().directory(dir.toFile());
                    pb.environment().remove("PORTMANAGER_STORE");
                    return pb;
                }
            };
            transport.setStdErrorHandler(stderr::add);
            client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                    .initializationTimeout(Duration.ofSeconds(120)).build();
            client.initialize();
        }

        McpSchema.CallToolResult call(String tool, Object... pairs) {
            Map<String, Object> args = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                args.put((String) pairs[i], pairs[i + 1]);
            }
            return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        }

        @Override
        public void close() {
            client.closeGracefully();
        }
    }
}
