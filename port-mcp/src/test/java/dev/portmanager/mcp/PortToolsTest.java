package dev.portmanager.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.PortManager;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tool called in this JVM, as the server calls it: exact texts, the CLI's JSON forms, and a tool error with the
 * CLI's message for each way a call goes wrong. A range of ports of the test's own, in memory.
 */
class PortToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int first = FreeSpan.find(4);
    private final int last = first + 3;
    private final SystemProbe probe = SystemProbe.create();
    private final PortManager pm = PortManager.builder().store("memory:").range("mcp", first, last)
            .range("tiny", last, last).defaultRange("mcp").probe(probe).build();
    private final PortTools tools = new PortTools(pm, probe);

    @AfterEach
    void close() {
        pm.close();
    }

    private McpSchema.CallToolResult call(String tool, Object... pairs) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            args.put((String) pairs[i], pairs[i + 1]);
        }
        PortTools.Tool t = tools.all().stream().filter(x -> x.spec().name.equals(tool)).findFirst().orElseThrow();
        return ToolCalls.call(t, args, new JacksonMcpJsonMapper(JSON));
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private static JsonNode json(McpSchema.CallToolResult r) {
        return (JsonNode) r.structuredContent();
    }

    /** A result that must be an error: its text, after checking the error form says the same. */
    private static String error(McpSchema.CallToolResult r, String kind) {
        assertTrue(r.isError(), () -> "not an error: " + text(r));
        assertEquals(1, r.content().size());
        assertEquals(kind, json(r).get("error").asText());
        assertEquals(text(r), json(r).get("message").asText());
        return text(r);
    }

    @Test
    void tools_areTheTenOfTheIssue_inOrder() {
        assertEquals(List.of("get-port", "allocate-port", "list-ports", "audit-ports", "port-summary", "release-port",
                "update-port", "check-port", "find-conflicts", "env"),
                tools.all().stream().map(t -> t.spec().name).toList());
    }

    @Test
    void getPort_givesTheSamePortEveryCall_asTheCliJson_withTheTunnelInMetadata() throws Exception {
        McpSchema.CallToolResult r = call("get-port", "projectName", "consilio", "serviceName", "api",
                "description", "Main API server", "cloudflareHostname", "api.consilio.153.se");
        assertFalse(r.isError());
        assertEquals("port " + first + ": consilio/api " + first + "/TCP on localhost (range mcp)", text(r));
        JsonNode a = json(r);
        assertEquals(first, a.get("port").asInt());
        assertEquals("mcp", a.get("range").asText());
        assertEquals("Main API server", a.get("description").asText());
        assertEquals("api.consilio.153.se", a.get("metadata").get("cloudflare_hostname").asText());
        assertEquals(a, JSON.readTree(((McpSchema.TextContent) r.content().get(1)).text()), "the JSON as text too");
        assertEquals(text(r), text(call("get-port", "projectName", "consilio", "serviceName", "api")));
    }

    @Test
    void getPort_withServiceTypeAndProtocol_takesThatRangeAndProtocol() {
        McpSchema.CallToolResult r = call("get-port", "projectName", "consilio", "serviceName", "dns",
                "serviceType", "tiny", "protocol", "udp");
        assertEquals("port " + last + ": consilio/dns " + last + "/UDP on localhost (range tiny)", text(r));
        assertEquals("udp", json(r).get("protocol").asText());
    }

    @Test
    void getPort_whenTheRangeIsFull_isAToolErrorWithTheCliMessage() {
        call("get-port", "projectName", "p", "serviceName", "one", "serviceType", "tiny");
        assertEquals("no free TCP port in range 'tiny' " + last + "-" + last + " on localhost: 1 allocated, 0 busy, "
                + "0 excluded; widen the range or release one",
                error(call("get-port", "projectName", "p", "serviceName", "two", "serviceType", "tiny"),
                        "no_free_port"));
    }

    @Test
    void getPort_whenAnArgumentIsBad_isAToolErrorNamingIt() {
        assertEquals("get-port needs serviceName: the service within the project, such as \"api\" or \"web\"",
                error(call("get-port", "projectName", "p"), "invalid_argument"));
        assertEquals("protocol 'tcp6' is not one of: tcp, udp, both",
                error(call("get-port", "projectName", "p", "serviceName", "s", "protocol", "tcp6"),
                        "invalid_argument"));
        assertEquals("no range named 'nope' in memory: (ranges: mcp " + first + "-" + last + ", tiny " + last + "-"
                + last + "); give serviceType a range the registry has (port-summary lists them), or have it defined: "
                + "portman define-range nope START END",
                error(call("get-port", "projectName", "p", "serviceName", "s", "serviceType", "nope"),
                        "invalid_argument"));
        assertEquals("get-port takes no argument 'port'; it takes projectName, serviceName, serviceType, "
                + "description, cloudflareHostname, protocol, preferredPort, alternatives, alternativesOnly",
                error(call("get-port", "projectName", "p", "serviceName", "s", "port", 80), "invalid_argument"));
    }

    @Test
    void getPort_withAlternatives_takesTheFirstFreeOne_andAlternativesOnlyNeverAnother() {
        assertFalse(call("allocate-port", "projectName", "p", "serviceName", "held", "port", first).isError());
        McpSchema.CallToolResult r = call("get-port", "projectName", "p", "serviceName", "api", "preferredPort", first,
                "alternatives", List.of(first + 2, first + 1), "alternativesOnly", true);
        assertEquals(first + 2, json(r).get("port").asInt(), text(r));
        assertFalse(call("allocate-port", "projectName", "p", "serviceName", "web", "port", first + 1).isError());
        assertTrue(error(call("get-port", "projectName", "p", "serviceName", "db", "preferredPort", first,
                "alternatives", List.of(String.valueOf(first + 1)), "alternativesOnly", true), "no_free_port")
                .contains(String.valueOf(first + 1)));
        assertEquals("alternatives: \"x\" is not a port number; give numbers, such as [8001, 8002]",
                error(call("get-port", "projectName", "p", "serviceName", "s", "alternatives", List.of("x")),
                        "invalid_argument"));
        assertEquals("alternatives names 8001 twice; name each port once", error(call("get-port", "projectName", "p",
                "serviceName", "s", "alternatives", List.of(8001, 8001)), "invalid_argument"));
        assertEquals("alternativesOnly limits the request to its alternatives, but none were given; pass them as "
                + "alternatives, such as [8001, 8002]", error(call("get-port", "projectName", "p", "serviceName", "s",
                "alternativesOnly", true), "invalid_argument"));
        assertEquals("port 8000 asks for exactly that port, so alternatives would never be tried; pass it as "
                + "preferredPort instead", error(call("allocate-port", "projectName", "p", "serviceName", "s", "port",
                8000, "alternatives", List.of(8001)), "invalid_argument"));
        assertEquals("alternativesOnly must be true or false, such as true; got \"yes\"", error(call("get-port",
                "projectName", "p", "serviceName", "s", "alternativesOnly", "yes"), "invalid_argument"));
    }

    @Test
    void allocatePort_whenTheServiceHoldsAPort_isAToolErrorSayingWhichAndWhatToDo() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        assertEquals("consilio/api already holds " + first + "/TCP on localhost (environment default); get-port "
                + "returns it, release-port frees it",
                error(call("allocate-port", "projectName", "consilio", "serviceName", "api"), "allocation_exists"));
    }

    @Test
    void allocatePort_whenAnotherProcessListensOnThePortAskedFor_isAToolErrorNamingIt() throws Exception {
        try (ServerSocket held = new ServerSocket(first + 1, 50, InetAddress.getLoopbackAddress())) {
            assertEquals("port " + (first + 1) + "/TCP on localhost asked for by consilio/web is in use by java (pid "
                    + ProcessHandle.current().pid() + "); stop it or ask for another port",
                    error(call("allocate-port", "projectName", "consilio", "serviceName", "web", "port", first + 1),
                            "port_conflict"));
        }
    }

    @Test
    void allocatePort_withPortAndPreferredPort_isRefused() {
        assertEquals("port " + first + " and preferredPort " + last + " both name a port; give one",
                error(call("allocate-port", "projectName", "p", "serviceName", "s", "port", first,
                        "preferredPort", last), "invalid_argument"));
        assertEquals("port 70000 is outside 1-65535; ports are numbered 1 to 65535",
                error(call("allocate-port", "projectName", "p", "serviceName", "s", "port", 70_000),
                        "invalid_argument"));
    }

    @Test
    void allocatePort_withAPort_takesExactlyThatPort() {
        McpSchema.CallToolResult r = call("allocate-port", "projectName", "p", "serviceName", "s", "port", first + 2);
        assertEquals("allocated port " + (first + 2) + ": p/s " + (first + 2) + "/TCP on localhost (range mcp)",
                text(r));
    }

    @Test
    void listPorts_listsEveryAllocation_orOneProjects() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        call("get-port", "projectName", "odin", "serviceName", "web");
        McpSchema.CallToolResult all = call("list-ports");
        assertEquals("2 allocations\nconsilio/api " + first + "/TCP on localhost (range mcp)\nodin/web " + (first + 1)
                + "/TCP on localhost (range mcp)", text(all));
        assertEquals(2, json(all).get("allocations").size());
        McpSchema.CallToolResult odin = call("list-ports", "projectName", "odin");
        assertEquals("1 allocation of project odin\nodin/web " + (first + 1) + "/TCP on localhost (range mcp)",
                text(odin));
        assertEquals("odin", json(odin).get("allocations").get(0).get("project").asText());
        assertEquals("0 allocations of project none", text(call("list-ports", "projectName", "none")));
    }

    @Test
    void releasePort_byServiceOrPort_andSaysWhenNothingWasAllocated() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        call("get-port", "projectName", "consilio", "serviceName", "web");
        McpSchema.CallToolResult r = call("release-port", "projectName", "consilio", "serviceName", "api");
        assertEquals("released consilio/api", text(r));
        assertEquals("{\"target\":\"consilio/api\",\"released\":true}", json(r).toString());
        assertEquals("released port " + (first + 1), text(call("release-port", "port", first + 1, "protocol", "tcp")));
        McpSchema.CallToolResult again = call("release-port", "projectName", "consilio", "serviceName", "api");
        assertFalse(again.isError());
        assertEquals("nothing released: consilio/api is not allocated on localhost (environment default)",
                text(again));
        assertFalse(json(again).get("released").asBoolean());
    }

    @Test
    void releasePort_whenTheTargetIsUnclear_isRefused() {
        assertEquals("release-port needs projectName and serviceName, or port",
                error(call("release-port", "projectName", "consilio"), "invalid_argument"));
        assertEquals("give port, or projectName and serviceName, not both",
                error(call("release-port", "projectName", "consilio", "serviceName", "api", "port", first),
                        "invalid_argument"));
        assertEquals("protocol goes with port; a service is released whatever its protocol",
                error(call("release-port", "projectName", "consilio", "serviceName", "api", "protocol", "udp"),
                        "invalid_argument"));
    }

    @Test
    void updatePort_changesDescriptionAndTunnel_andRefusesNothingOrNoAllocation() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        McpSchema.CallToolResult r = call("update-port", "projectName", "consilio", "serviceName", "api",
                "description", "Updated API server", "cloudflareHostname", "api.consilio.153.se");
        assertEquals("updated consilio/api " + first + "/TCP on localhost (range mcp)", text(r));
        assertEquals("Updated API server", json(r).get("description").asText());
        assertEquals("api.consilio.153.se", json(r).get("metadata").get("cloudflare_hostname").asText());
        assertEquals("nothing to update: give description or cloudflareHostname",
                error(call("update-port", "projectName", "consilio", "serviceName", "api"), "invalid_argument"));
        assertEquals("cannot update consilio/gone: it holds no port on localhost (environment default); allocate one "
                + "first", error(call("update-port", "projectName", "consilio", "serviceName", "gone",
                "description", "x"), "allocation_not_found"));
    }

    @Test
    void portSummary_ofARange_ofEveryRange_andOfAProjectWithoutItsOwnRange() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        McpSchema.CallToolResult mcp = call("port-summary", "range", "mcp");
        assertEquals("mcp " + first + "-" + last + ": 1 of 4 allocated (25.0%), 3 available", text(mcp));
        assertEquals(25.0, json(mcp).get("utilization_percent").asDouble());
        McpSchema.CallToolResult all = call("port-summary");
        assertEquals("mcp " + first + "-" + last + ": 1 of 4 allocated (25.0%), 3 available\ntiny " + last + "-"
                + last + ": 0 of 1 allocated (0.0%), 1 available", text(all));
        assertEquals(2, json(all).get("ranges").size());
        assertEquals("project consilio has no range of its own (the ranges: mcp, tiny); give range to summarize one "
                + "of them, or nothing for all", error(call("port-summary", "projectName", "consilio"),
                "invalid_argument"));
        assertEquals("projectName consilio and range mcp both name a range; give one",
                error(call("port-summary", "projectName", "consilio", "range", "mcp"), "invalid_argument"));
    }

    @Test
    void portSummary_ofAProjectWithABlock_isItsBlock() {
        try (PortManager blocks = PortManager.builder().store("memory:").projectBlocks(first, last, 2).probe(probe)
                .build()) {
            PortTools t = new PortTools(blocks, probe);
            PortTools.Tool get = t.all().get(0);
            PortTools.Tool summary = t.all().get(4);
            JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(JSON);
            ToolCalls.call(get, Map.of("projectName", "consilio", "serviceName", "web"), mapper);
            McpSchema.CallToolResult r = ToolCalls.call(summary, Map.of("projectName", "consilio"), mapper);
            assertEquals("consilio " + first + "-" + (first + 1) + ": 1 of 2 allocated (50.0%), 1 available",
                    text(r));
        }
    }

    @Test
    void checkPort_saysWhoHoldsThePort_inTheRegistryAndOnTheMachine() throws Exception {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        try (ServerSocket listening = new ServerSocket(first, 50, InetAddress.getLoopbackAddress())) {
            McpSchema.CallToolResult r = call("check-port", "port", first);
            assertTrue(text(r).startsWith("port " + first + ": allocated to consilio/api " + first + "/TCP on "
                    + "localhost (range mcp); held by "), text(r));
            assertEquals("consilio", json(r).get("allocation").get("project").asText());
            assertEquals(ProcessHandle.current().pid(), json(r).get("listener").get("pid").asLong());
        }
        McpSchema.CallToolResult free = call("check-port", "port", last);
        assertEquals("port " + last + ": not allocated; nothing listens", text(free));
        assertEquals("{\"port\":" + last + ",\"allocation\":null,\"listener\":null}", json(free).toString());
        assertEquals("check-port needs port: the port to look at", error(call("check-port"), "invalid_argument"));
    }

    @Test
    void auditPortsAndFindConflicts_seeAServiceThatIsNotRunning() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        McpSchema.CallToolResult audit = call("audit-ports");
        assertEquals("allocated 1, in use 0, not running 1, reserved 0: health 0%; 0 conflicts, 0 orphans",
                text(audit));
        assertEquals("consilio", json(audit).get("zombies").get(0).get("project").asText());
        McpSchema.CallToolResult conflicts = call("find-conflicts");
        assertEquals("no conflicts", text(conflicts));
        assertEquals("{\"conflicts\":[]}", json(conflicts).toString());
        assertEquals("audit-ports takes no argument 'projectName'; it takes none",
                error(call("audit-ports", "projectName", "consilio"), "invalid_argument"));
    }

    @Test
    void env_givesAProjectsVariables() {
        call("get-port", "projectName", "consilio", "serviceName", "api");
        McpSchema.CallToolResult r = call("env", "projectName", "consilio");
        assertEquals("CONSILIO_API_PORT=" + first + "\nCONSILIO_API_URL=http://localhost:" + first, text(r));
        assertEquals("{\"CONSILIO_API_PORT\":\"" + first + "\",\"CONSILIO_API_URL\":\"http://localhost:" + first
                + "\"}", json(r).toString());
        assertEquals("no ports allocated for project odin", text(call("env", "projectName", "odin")));
        assertEquals("env takes no argument 'project'; it takes projectName",
                error(call("env", "project", "odin"), "invalid_argument"));
    }
}
